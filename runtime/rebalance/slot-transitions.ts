// The handoff of one slot as a pure state machine: (slot state, event) -> (next state, actions).
// The coordinator (handoff-coordinator.ts) reads a slot's state from its SlotTable, asks one of these functions
// what to do, writes the next state back and carries the actions out; nothing here touches a
// network, a clock or an actor, so every transition is pinned by a unit test row.

/** Ownership of one slot on this node: someone else's, ours, on its way to us, or on its way away. */
export type SlotCode = "foreign" | "owned" | "gaining" | "losing";

/** Everything the machine knows of one slot. */
export interface SlotFacts {
  readonly code: SlotCode;
  /** Gaining: the member expected to hand it over, and its join sequence (a rejoined id is another member). */
  readonly gainFrom?: string;
  readonly gainSeq?: number;
  /** Losing (or gaining but moved on): the next owner in the chain, and the epoch it was lost in. */
  readonly lostTo?: string;
  readonly lostAt?: number;
  /** Gaining or losing: when it began (for the pause metric and deadlines). */
  readonly since?: number;
  /** Losing: its handoff is being sent. */
  readonly sending?: boolean;
}

/** What the coordinator does for a transition, besides writing the next state. */
export type SlotAction =
  | { readonly type: "release-held" } // deliver what was held for the slot, through the owner check
  | { readonly type: "detach-queued" } // take the events queued in the slot's actors, ahead of what is held
  | { readonly type: "warn-sender-left"; readonly from: string } // the member to hand it over left first
  | { readonly type: "deliver-handoff" } // run the handed-over events (and install its states) here
  | { readonly type: "deliver-events-only" } // a late handoff: its events run, its (stale) states do not
  | { readonly type: "pass-on" } // install its states and hold its events: they go on along the chain
  | { readonly type: "send"; readonly to: string; readonly late: boolean } // send the slot's handoff now
  | { readonly type: "give-up"; readonly from: string } // a gaining slot waited three deadlines
  | { readonly type: "warn-late"; readonly role: "losing" | "gaining" }
  | { readonly type: "collect-held" }; // a fence: the slot's queued and held events go back to the node, to route after it rejoins

/** A transition: the slot's next state and what to do. */
export interface Transition {
  readonly next: SlotFacts;
  readonly actions: readonly SlotAction[];
  /** For the rebalance log: the slot was gained or lost by this view. */
  readonly gained?: boolean;
  readonly lost?: boolean;
}

const OWNED: SlotFacts = { code: "owned" };
const FOREIGN: SlotFacts = { code: "foreign" };
const stay = (s: SlotFacts, actions: readonly SlotAction[] = []): Transition => ({ next: s, actions });
const losing = (lostAt: number, lostTo: string, now: number): SlotFacts => ({ code: "losing", lostAt, lostTo, since: now, sending: false });

/** What a new view says about one slot. */
export interface ViewFacts {
  readonly self: string;
  /** The slot's owner in the new view ("" when none). */
  readonly owner: string;
  readonly epoch: number;
  readonly now: number;
  /** Whom a slot newly ours comes from (its owner before), and that member's join sequence. */
  readonly from: string | undefined;
  readonly fromSeq: number;
  /** A handoff of this slot that arrived ahead of its epoch, waiting: its sender is waited for even if gone. */
  readonly parkedFrom: string | undefined;
  /** Whether a member (id and join sequence) is in the new view. */
  readonly present: (id: string | undefined, seq: number | undefined) => boolean;
}

/** A new membership view. */
export function onView(s: SlotFacts, v: ViewFacts): Transition {
  const senderGone = (x: SlotFacts) => !v.present(x.gainFrom, x.gainSeq) && v.parkedFrom === undefined;
  if (v.owner === v.self) {
    switch (s.code) {
      case "foreign":
        if (v.from && v.from !== v.self && (v.present(v.from, v.fromSeq) || v.from === v.parkedFrom)) {
          return { next: { code: "gaining", gainFrom: v.from, gainSeq: v.fromSeq, since: v.now }, actions: [], gained: true };
        }
        return { next: OWNED, actions: [], gained: true };
      case "gaining": {
        // It came back to us while in flight: we wait for it, and no longer pass it on.
        const back: SlotFacts = { code: "gaining", gainFrom: s.gainFrom, gainSeq: s.gainSeq, since: s.since };
        if (senderGone(back)) return stay(OWNED, [{ type: "warn-sender-left", from: s.gainFrom ?? "" }, { type: "release-held" }]);
        return stay(back);
      }
      default:
        // Losing and coming back: its handoff still goes to the next link, which may hold events for
        // it, and the slot returns from there (taking it back at once could run newer events first).
        return stay(s);
    }
  }
  switch (s.code) {
    case "owned":
      return { next: losing(v.epoch, v.owner, v.now), actions: [{ type: "detach-queued" }], lost: true };
    case "gaining": {
      // Still in flight to us, but it has moved on: we stay a link of the chain and pass it on when it arrives.
      const moved: SlotFacts = s.lostTo === undefined && v.owner ? { ...s, lostTo: v.owner, lostAt: v.epoch } : s;
      if (senderGone(moved)) return stay(losing(moved.lostAt || v.epoch, moved.lostTo ?? v.owner, v.now));
      return stay(moved);
    }
    default:
      return stay(s);
  }
}

/** A handoff of this slot arrived (its epoch is not ahead of ours); `owner` is the slot's owner now. */
export function onHandoff(s: SlotFacts, h: { readonly self: string; readonly owner: string; readonly epoch: number; readonly now: number }): Transition {
  if (s.code === "owned") return stay(s, [{ type: "deliver-events-only" }]);
  if (s.code === "gaining" && s.lostTo === undefined && h.owner === h.self) return stay(OWNED, [{ type: "deliver-handoff" }]);
  // Not ours (any more): pass state and events on, older events first.
  if (s.code !== "losing" && s.lostTo === undefined) return stay(losing(h.epoch, h.owner, h.now), [{ type: "pass-on" }]);
  if (s.code === "gaining") return stay(losing(s.lostAt ?? h.epoch, s.lostTo!, h.now), [{ type: "pass-on" }]);
  return stay(s, [{ type: "pass-on" }]);
}

/** What the periodic check knows of a slot in transition. */
export interface TickFacts {
  readonly self: string;
  readonly epoch: number;
  readonly now: number;
  readonly timeoutMs: number;
  /** The slot's owner now. */
  readonly owner: string;
  /** Losing: where its handoff would go now (the next link while it is a member, else the owner), if anywhere. */
  readonly target: string | undefined;
  /** Every member acknowledged the epoch the slot was lost in (no stale sender can still reach this node); asked only when it matters. */
  readonly acked: () => boolean;
  /** No actor of the slot is running or has events queued; asked only when it matters. */
  readonly idle: () => boolean;
  /** This node may act (its lease is fresh). */
  readonly mayAct: boolean;
}

/** The periodic check of a slot in transition: send a losing slot's handoff once safe, give up on one that never arrives. */
export function onTick(s: SlotFacts, t: TickFacts): Transition {
  const waited = t.now - (s.since ?? t.now);
  if (s.code === "losing") {
    if (s.sending || !t.mayAct || !t.target) return stay(s);
    const late = waited > t.timeoutMs;
    if (!late && (!t.acked() || !t.idle())) return stay(s);
    return stay({ ...s, sending: true }, [{ type: "send", to: t.target, late }]);
  }
  if (s.code === "gaining") {
    if (waited > t.timeoutMs * 3) {
      const give: SlotAction = { type: "give-up", from: s.gainFrom ?? "" };
      if (t.owner === t.self && s.lostTo === undefined) return stay(OWNED, [give, { type: "release-held" }]);
      return stay(losing(s.lostAt || t.epoch, s.lostTo ?? t.owner, t.now), [give]);
    }
    if (waited > t.timeoutMs) return stay(s, [{ type: "warn-late", role: "gaining" }]);
  }
  return stay(s);
}

/**
 * When `onTick` could next decide something for this slot on its own, by the clock alone (its other
 * triggers are events: acknowledgements, an idle slot, a view, a renewed lease); undefined when no
 * deadline is ahead. Losing: the send deadline. Gaining: the late warning, then giving up.
 */
export function nextDeadline(s: SlotFacts, timeoutMs: number, now: number): number | undefined {
  if (s.since === undefined) return undefined;
  if (s.code === "losing") return s.sending ? undefined : after(s.since + timeoutMs, now);
  if (s.code === "gaining") return after(s.since + timeoutMs, now) ?? after(s.since + 3 * timeoutMs, now);
  return undefined;
}

// `onTick` acts once `waited > limit`: the first whole millisecond past it, if that is still ahead.
function after(limit: number, now: number): number | undefined {
  return now <= limit ? limit + 1 : undefined;
}

/** A losing slot's handoff went out (or, with no next owner, stays or returns here). */
export function afterSend(s: SlotFacts, a: { readonly self: string; readonly owner: string; readonly target: string | undefined; readonly targetSeq: number; readonly now: number }): Transition {
  if (a.target === a.self) return stay(OWNED, [{ type: "deliver-handoff" }]);
  // Nobody to send it to (no owner in the view): it stays here, losing, and goes when there is one.
  if (!a.target) return stay(losing(s.lostAt ?? 0, s.lostTo ?? "", a.now), [{ type: "pass-on" }]);
  // It came back to us while on its way to `target` (a link of the chain): it returns from there.
  if (a.owner === a.self) return stay({ code: "gaining", gainFrom: a.target, gainSeq: a.targetSeq, since: a.now });
  return stay(FOREIGN);
}

/** The node fenced itself: every slot is someone else's until the next view, and what it held goes back to the node. */
export function onFence(): Transition {
  return stay(FOREIGN, [{ type: "collect-held" }]);
}

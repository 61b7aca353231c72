// Over 300 lines: the driver of the pure handoff machine (slot-transitions.ts). It feeds the machine
// views, handoffs, acknowledgements and deadlines and carries out each action; what a handoff carries
// is gathered in handoff-payload.ts, and what it needs of the node is in handoff-host.ts.
import { slotOwners, type MembershipView } from "../cluster/membership.js";
import { RoutingTable } from "../placement/routing-table.js";
import type { ActorHandoff, ControlMessage, Envelope, StagedStates } from "../types.js";
import { EpochBarrier } from "./epoch-barrier.js";
import type { HandoffApp, HandoffHost } from "./handoff-host.js";
import { gatherHandoff } from "./handoff-payload.js";
import { SLOT_CODE, type SlotTable } from "./slot-table.js";
import { afterSend, nextDeadline, onFence, onHandoff, onTick, onView, type SlotAction, type Transition } from "./slot-transitions.js";

type HandoffDone = Extract<ControlMessage, { type: "handoff-done" }>;
// What a transition's actions work with: a handoff's states (pre-copied ones as `stored`) and events, or a fence's collection.
type Carried = { actors?: readonly ActorHandoff[]; stored?: StagedStates; events?: readonly Envelope[]; collect?: Envelope[] };

const now = (): number => performance.now();
// A handoff whose send failed (the store or the transport refused) is tried again after this.
const SEND_RETRY_MS = 50;

/**
 * Moves slots between owners when the placement epoch changes (DESIGN.md "Handoff"): what to do with
 * each slot is decided by the pure state machine in slot-transitions.ts; this class feeds it views,
 * arriving handoffs and a periodic check, and carries its actions out. The old owner stops running a
 * slot and holds what arrives for it; once every member has acknowledged the new epoch (the epoch
 * barrier) and the slot's actors are idle, it sends the state and the held events in one
 * `handoff-done`. The new owner holds events for the slot until that arrives (or the old owner is
 * gone), then runs the handed-over events before its own.
 */
export class HandoffCoordinator {
  /** Current placement epoch of this node (0 before it joined). */
  epoch = 0;
  view: MembershipView = { epoch: 0, members: [] };
  table: RoutingTable = new RoutingTable(0, []);
  private readonly barrier = new EpochBarrier();
  private readonly parked: HandoffDone[] = [];
  // The next deadline of a slot in transition (send anyway, warn, give up), and whether a slot is in transition.
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private woken = false;
  private closed = false;
  // Whoever waits for the next change of a slot or of the view (a drain).
  private watchers: Array<() => void> = [];
  private readonly warned = new Set<string>();
  /** Handoffs sent and received so far. */
  sent = 0;
  received = 0;
  // The rebalance in progress: when its first epoch arrived and what it moved.
  private rebalance: { epoch: number; start: number; gained: number; lost: number } | undefined;
  /** Rebalances completed on this node and the last one's duration (ms). */
  rebalances = 0;
  lastRebalanceMs = 0;

  constructor(private readonly host: HandoffHost) {}

  /** Applies a newer membership view: recomputes placement and starts every transition it implies. */
  applyView(view: MembershipView): void {
    if (view.epoch <= this.epoch) return;
    const self = this.host.nodeId;
    const first = this.epoch === 0;
    const owners = slotOwners(view);
    const table = new RoutingTable(view.epoch, owners);
    // A first join takes each slot from its owner in the view it changed (or, where that is not known,
    // in the placement without this node); later views from this node's own table. A member is the
    // same member only with the same join sequence: a node restarted under the same id is another.
    const joinedFrom = first ? (view.previous ?? view.members.filter((m) => m.id !== self)) : undefined;
    const previous = joinedFrom ? new RoutingTable(view.epoch, slotOwners({ epoch: view.epoch, members: joinedFrom })) : this.table;
    const seqs = new Map(view.members.map((m) => [m.id, m.joinedSeq]));
    const before = new Map((joinedFrom ?? this.view.members).map((m) => [m.id, m.joinedSeq]));
    const present = (id: string | undefined, seq: number | undefined): boolean => id !== undefined && seqs.get(id) === seq;
    const t = now();
    let gained = 0;
    let lost = 0;
    for (const app of this.host.apps.values()) {
      for (const p of app.app.partitions) {
        const st = app.tables[p.index]!;
        const next = table.owners(p.slots);
        const prev = joinedFrom ? previous.owners(p.slots) : st.owners;
        for (let slot = 0; slot < p.slots; slot++) {
          const owner = next[slot] ?? "";
          const parkedFrom = this.parkedFrom(app.name, p.name, slot);
          const from = parkedFrom ?? prev[slot];
          const fromSeq = (from === parkedFrom ? seqs.get(from ?? "") : before.get(from ?? "")) ?? -1;
          const tr = onView(st.facts(slot), { self, owner, epoch: view.epoch, now: t, from, fromSeq, parkedFrom, present });
          if (tr.gained) gained++;
          if (tr.lost) lost++;
          this.carryOut(app, p.index, slot, tr);
        }
        st.owners = next;
      }
    }
    this.view = view;
    this.table = table;
    this.epoch = view.epoch;
    this.host.router.flush();
    // A lost slot's outputs go out before its handoff: start writing them now, while the barrier is awaited.
    if (lost > 0) void this.host.flushOutputs?.();
    // Everything this node sent under older epochs is now ahead of this ack on each channel.
    for (const m of view.members) if (m.id !== self) this.host.transport.sendControl(m.id, { type: "epoch-ack", epoch: view.epoch, from: self });
    this.host.log.info({ epoch: view.epoch, members: view.members.map((m) => `${m.id}:${m.status}`), slotsGained: gained, slotsLost: lost }, "epoch changed");
    if (gained + lost > 0) {
      const r = this.rebalance;
      this.rebalance = { epoch: view.epoch, start: r?.start ?? t, gained: (r?.gained ?? 0) + gained, lost: (r?.lost ?? 0) + lost };
    }
    for (const msg of this.parked.splice(0)) this.onHandoffDone(msg, false);
    this.host.viewApplied(view);
    this.notify();
    this.pump();
  }

  /** Records that `from` has applied `epoch`. */
  onAck(from: string, epoch: number): void {
    if (this.barrier.ack(from, epoch)) this.pump();
  }

  /** Receives a slot from its old owner (one that arrives ahead of this node's epoch waits for it). */
  onHandoffDone(msg: HandoffDone, wake = true): void {
    if (msg.epoch > this.epoch) {
      this.parked.push(msg);
      return;
    }
    const app = this.host.apps.get(msg.app);
    const pi = app?.partitionIndex(msg.partition);
    if (!app || pi === undefined) {
      this.host.log.error({ app: msg.app, partition: msg.partition }, "handoff for an unknown app or partition; is every node running the same apps?");
      return;
    }
    this.received++;
    const st = app.tables[pi]!;
    const slot = msg.slot;
    this.host.log.debug({ slot, partition: msg.partition, from: msg.from, msgEpoch: msg.epoch, code: st.code(slot), lostTo: st.lostTo[slot], events: msg.buffered.length }, "handoff received");
    if (st.code(slot) === SLOT_CODE.GAINING) this.host.paused(now() - st.since[slot]!);
    const held = st.takeHeld(slot);
    const events = msg.buffered.length === 0 ? held : [...msg.buffered, ...held];
    // A handoff that completes a pre-copy carries what changed since; the rest was staged here.
    const stored = this.host.staging?.complete(msg.from, msg.app, msg.partition, slot, msg.copy ?? 0, msg.actors, msg.stale ?? []);
    if (msg.copy && !stored) this.host.log.error({ slot, partition: msg.partition, from: msg.from, copy: msg.copy }, "a handoff completes a pre-copy that is not staged here; only its changed states are installed");
    const tr = onHandoff(st.facts(slot), { self: this.host.nodeId, owner: st.owners[slot] ?? "", epoch: this.epoch, now: now() });
    if (tr.actions[0]?.type === "deliver-events-only") {
      // We already serve this slot (its old owner was given up for dead): its state is stale, its events are not.
      this.host.log.warn({ slot, partition: msg.partition, from: msg.from, actors: msg.actors.length }, "late handoff for a slot already served; applying its events, not its state");
    }
    if (tr.actions[0]?.type === "deliver-handoff" && msg.delivered) this.host.handedOver?.(msg.app, pi, slot, msg.delivered);
    this.carryOut(app, pi, slot, tr, { actors: msg.actors, stored, events });
    if (wake) this.wake();
  }

  /**
   * Something a slot in transition may wait for happened (an actor of it went idle, the lease was
   * renewed, a handoff went out): looks again once this turn of the event loop is done, coalesced.
   */
  wake(): void {
    if (!this.pending || this.woken) return;
    this.woken = true;
    setImmediate(() => {
      this.woken = false;
      this.pump();
    });
  }

  /**
   * Fencing after this node was removed from the view (or could not renew its liveness):
   * it stops running every slot at once, keeps nothing it could write back, and returns the
   * events it held so the node can route them again after it rejoins.
   */
  fence(): Envelope[] {
    const held: Envelope[] = [];
    for (const app of this.host.apps.values()) {
      for (const p of app.app.partitions) {
        const st = app.tables[p.index]!;
        for (let slot = 0; slot < p.slots; slot++) this.carryOut(app, p.index, slot, onFence(), { collect: held });
        st.owners = []; // route nothing anywhere until the next view: events park
        app.hosts[p.index]!.clear();
      }
    }
    this.epoch = 0; // the next view is applied as a fresh join
    return held;
  }

  /** Slots in transition on this node (gaining or losing). */
  inTransition(): number {
    let n = 0;
    for (const app of this.host.apps.values())
      for (const st of app.tables) {
        const c = st.counts();
        n += c.gaining + c.losing;
      }
    return n;
  }

  /**
   * Sends every handoff that is ready and checks deadlines. Runs on events (a view, an acknowledgement,
   * a handoff, `wake()`), and by a timer only at the next deadline of a slot in transition.
   */
  pump = (): void => {
    if (this.closed) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const t = now();
    const self = this.host.nodeId;
    const mayAct = this.host.mayAct ? this.host.mayAct() : true;
    let pending = 0;
    let next = Infinity;
    for (const app of this.host.apps.values()) {
      for (const p of app.app.partitions) {
        const st = app.tables[p.index]!;
        for (let slot = 0; slot < p.slots; slot++) {
          const code = st.code(slot);
          if (code !== SLOT_CODE.LOSING && code !== SLOT_CODE.GAINING) continue;
          pending++;
          const f = st.facts(slot);
          if (f.code === "losing" && f.sending) continue;
          const tr = onTick(f, {
            self,
            epoch: this.epoch,
            now: t,
            timeoutMs: this.host.timeoutMs,
            owner: st.owners[slot] ?? "",
            target: f.code === "losing" ? this.targetOf(st, slot) : undefined,
            acked: () => this.barrier.passed(f.lostAt ?? 0, this.view.members, self),
            idle: () => app.hosts[p.index]!.isSlotIdle(slot),
            mayAct,
          });
          this.carryOut(app, p.index, slot, tr);
          const d = nextDeadline(st.facts(slot), this.host.timeoutMs, t);
          if (d !== undefined && d < next) next = d;
        }
      }
    }
    this.pending = pending > 0;
    if (next !== Infinity) this.timer = setTimeout(this.pump, Math.max(1, next - t));
    if (pending === 0 && this.rebalance) {
      const r = this.rebalance;
      this.rebalance = undefined;
      this.rebalances++;
      this.lastRebalanceMs = t - r.start;
      this.host.log.info({ epoch: r.epoch, slotsGained: r.gained, slotsLost: r.lost, ms: Math.round(this.lastRebalanceMs) }, "rebalance complete");
    }
  };

  /** Resolves at the next change of a slot's state or of the view, or after `timeoutMs`. */
  changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(0, timeoutMs));
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.watchers.push(done);
    });
  }

  /** Stops the deadline timer; nothing runs after this. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  // Writes a transition's next state and does what it says, in order.
  private carryOut(app: HandoffApp, partition: number, slot: number, tr: Transition, with_: Carried = {}): void {
    const st = app.tables[partition]!;
    const host = app.hosts[partition]!;
    // Actions that look at the state before it changes.
    for (const a of tr.actions) if (a.type === "detach-queued") st.holdFirst(slot, host.detachQueued(slot));
    if (with_.collect) with_.collect.push(...host.detachQueued(slot), ...st.takeHeld(slot));
    const was = st.code(slot);
    st.apply(slot, tr.next);
    if (this.watchers.length > 0) this.notify();
    if (st.code(slot) !== was) this.host.slotsChanged?.();
    for (const a of tr.actions) this.act(a, app, partition, slot, with_);
  }

  private act(a: SlotAction, app: HandoffApp, partition: number, slot: number, with_: Carried): void {
    const st = app.tables[partition]!;
    const host = app.hosts[partition]!;
    const pname = app.app.partitions[partition]!.name;
    switch (a.type) {
      case "release-held":
        for (const env of st.takeHeld(slot)) this.host.deliver(env);
        return;
      case "warn-sender-left":
        this.host.log.warn({ slot, partition: pname, from: a.from }, "previous owner left before handing off; serving the slot from the store");
        return;
      case "deliver-events-only":
        for (const env of with_.events ?? []) this.host.deliver(env);
        return;
      case "deliver-handoff":
        if (with_.stored) host.installStored(slot, with_.stored);
        host.install(slot, with_.actors ?? []);
        for (const env of with_.events ?? []) this.host.deliver(env);
        return;
      case "pass-on":
        if (with_.stored) host.installStored(slot, with_.stored);
        host.install(slot, with_.actors ?? []);
        for (const env of with_.events ?? []) st.hold(slot, env);
        this.pump();
        return;
      case "send":
        if (a.late) this.warnOnce(`lose:${app.name}:${pname}:${slot}`, { slot, partition: pname, target: a.to }, "handoff deadline passed before every member acknowledged the epoch; sending anyway");
        this.send(app, partition, slot).then(
          () => this.wake(),
          (err: unknown) => {
            st.sending[slot] = 0;
            this.host.log.error({ err, slot, partition: pname }, "handoff failed; retrying");
            setTimeout(this.pump, SEND_RETRY_MS).unref();
          },
        );
        return;
      case "give-up":
        this.host.log.error({ slot, partition: pname, from: a.from }, "handoff never arrived; going on from the store");
        return;
      case "warn-late":
        this.warnOnce(`gain:${app.name}:${pname}:${slot}`, { slot, partition: pname, from: st.gainFrom[slot] }, "handoff is late; still waiting");
        return;
      case "detach-queued":
      case "collect-held":
        return; // done before the state changed
    }
  }

  // The slot's state goes (memory mode: with it; otherwise to the store), then the held events.
  private async send(app: HandoffApp, partition: number, slot: number): Promise<void> {
    const st = app.tables[partition]!;
    const p = app.app.partitions[partition]!;
    const tStart = now();
    const gathered = await gatherHandoff(this.host, app, partition, slot);
    const tGathered = now();
    const held = gathered.held;
    const target = this.targetOf(st, slot);
    const since = st.since[slot]!;
    const targetSeq = this.view.members.find((m) => m.id === target)?.joinedSeq ?? -1;
    const tr = afterSend(st.facts(slot), { self: this.host.nodeId, owner: st.owners[slot] ?? "", target, targetSeq, now: now() });
    // Pre-copied to the target: only what changed since goes (the target staged the rest).
    const pc = target ? this.host.preCopy?.complete(app.name, partition, slot, target, targetSeq) : undefined;
    if (target && target !== this.host.nodeId) {
      const picked = pc ? gathered.states.pick(pc.changed) : { states: gathered.states.all(), missing: [] };
      const sent = picked.states;
      this.host.router.flush();
      this.host.transport.sendControl(target, { type: "handoff-done", app: app.name, partition: p.name, slot, epoch: this.epoch, from: this.host.nodeId, actors: sent, buffered: held, copy: pc?.copy ?? 0, stale: picked.missing, delivered: gathered.delivered });
      this.sent++;
      this.host.log.debug({ slot, partition: p.name, to: target, events: held.length, actors: sent.length, copy: pc?.copy ?? 0, waitedMs: Math.round(tStart - since), gatherMs: Math.round(tGathered - tStart) }, "handoff sent");
      this.host.paused(now() - since);
    }
    // Sent on: nothing of it stays here. Kept (no next owner, or it came back here): every state is installed again.
    const keep = tr.actions.some((a) => a.type === "pass-on" || a.type === "deliver-handoff");
    this.carryOut(app, partition, slot, tr, { actors: keep ? gathered.states.all() : [], events: held });
  }

  // The next link of the chain: the owner in the epoch we lost the slot, while it is still a member.
  private targetOf(st: SlotTable, slot: number): string | undefined {
    const to = st.lostTo[slot];
    if (to && this.view.members.some((m) => m.id === to)) return to;
    return st.owners[slot] || undefined;
  }

  // The sender of a handoff of `slot` received ahead of its epoch (parked until this view), if any.
  private parkedFrom(app: string, partition: string, slot: number): string | undefined {
    if (this.parked.length === 0) return undefined;
    return this.parked.find((m) => m.slot === slot && m.app === app && m.partition === partition)?.from;
  }

  private notify(): void {
    const w = this.watchers;
    this.watchers = [];
    for (const done of w) done();
  }

  private warnOnce(id: string, fields: Record<string, unknown>, msg: string): void {
    if (this.warned.has(id)) return;
    this.warned.add(id);
    this.host.log.warn(fields, msg);
  }
}

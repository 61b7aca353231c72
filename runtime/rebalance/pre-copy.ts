import { futureSlotOwners, type MembershipView } from "../cluster/membership.js";
import { DEFAULT_PRECOPY_CHUNK_ACTORS, DEFAULT_PRECOPY_DELTA_ACTORS, DEFAULT_PRECOPY_MAX_ROUNDS, DEFAULT_PRECOPY_SLOTS_IN_FLIGHT } from "../defaults.js";
import type { Logger } from "../logger.js";
import { RoutingTable } from "../placement/routing-table.js";
import type { Transport } from "../transport/transport.js";
import type { ControlMessage } from "../types.js";
import type { HandoffApp } from "./handoff-host.js";
import { SLOT_CODE } from "./slot-table.js";

type CopyAck = Extract<ControlMessage, { type: "slot-copy-ack" }>;

/** What the pre-copy needs from its node. */
export interface PreCopyHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, HandoffApp>;
  readonly transport: Transport;
  /** False while the node may not act (its lease ran out): nothing is copied then. */
  mayAct(): boolean;
}

// One slot on its way to a joining member: which copy, how far, and whether its first round is staged there.
interface Copy {
  readonly app: HandoffApp;
  readonly partition: number;
  readonly slot: number;
  readonly to: string;
  readonly toSeq: number;
  readonly id: number;
  round: number;
  phase: "queued" | "sending" | "settled";
  /** The joiner staged round 1, so a handoff may send only what changed since. */
  based: boolean;
}

/** Counters of pre-copies sent (for /cluster and metrics). */
export interface PreCopyStats {
  slots: number;
  rounds: number;
  actors: number;
  refused: number;
  cancelled: number;
  /** Handoffs that sent only what changed since the pre-copy, and the states they carried. */
  deltas: number;
  deltaActors: number;
  /** Handoffs of a slot that was being pre-copied but went whole (not staged in time, or to another member). */
  whole: number;
}

const id = (app: string, partition: number, slot: number) => `${app}\u0000${partition}\u0000${slot}`;

/**
 * The sending side of a warm join (like a live VM migration): while a member is `joining`, each owner
 * copies the slots that will move to it, while it keeps serving them, a few slots at a time
 * (`DEFAULT_PRECOPY_SLOTS_IN_FLIGHT`): the states in memory (`slot-copy`; in snapshot and durable modes
 * with the store revision and sequence each stands at, and whether it is stored), then again those that
 * changed (or were written) meanwhile, for up to `DEFAULT_PRECOPY_MAX_ROUNDS` rounds. Once every slot
 * for a joiner is settled the owner says `copy-ready`; the joiner becomes `up`, and the epoch switch
 * hands over only what changed since the last round: the pause is the delta, not the slot.
 */
export class PreCopy {
  readonly stats: PreCopyStats = { slots: 0, rounds: 0, actors: 0, refused: 0, cancelled: 0, deltas: 0, deltaActors: 0, whole: 0 };
  private readonly copies = new Map<string, Copy>();
  private nextId = 1;
  private sending = 0;
  // The view epoch each joiner was last told `copy-ready` in.
  private readonly readySaid = new Map<string, number>();
  private view: MembershipView = { epoch: 0, members: [] };
  private closed = false;

  constructor(private readonly host: PreCopyHost) {}

  /** Slots being pre-copied from this node (queued, in flight or settled, not yet handed over). */
  get pending(): number {
    return this.copies.size;
  }

  /** After the coordinator applied `view`: starts copying what moves to a joining member, gives up what no longer does. */
  applyView(view: MembershipView): void {
    this.view = view;
    const joining = new Map(view.members.filter((m) => m.status === "joining").map((m) => [m.id, m.joinedSeq]));
    const future = new RoutingTable(view.epoch, futureSlotOwners(view));
    const self = this.host.nodeId;
    for (const app of this.host.apps.values()) {
      for (const p of app.app.partitions) {
        const st = app.tables[p.index]!;
        const next = future.owners(p.slots);
        for (let slot = 0; slot < p.slots; slot++) {
          const key = id(app.name, p.index, slot);
          const c = this.copies.get(key);
          const code = st.code(slot);
          // A slot in its handoff keeps its copy: the handoff takes it (`complete`).
          if (code === SLOT_CODE.LOSING && c) continue;
          const to = code === SLOT_CODE.OWNED ? next[slot] : undefined;
          const toSeq = to === undefined || to === self ? undefined : joining.get(to);
          if (c && (toSeq === undefined || c.to !== to || c.toSeq !== toSeq)) this.cancel(c);
          if (toSeq !== undefined && (!c || c.to !== to || c.toSeq !== toSeq)) {
            this.copies.set(key, { app, partition: p.index, slot, to: to!, toSeq, id: this.nextId++, round: 0, phase: "queued", based: false });
            this.stats.slots++;
          }
        }
      }
    }
    this.pump();
    this.sayReady();
  }

  /** The joiner staged a round (or refused it). */
  onAck(from: string, msg: CopyAck): void {
    const app = this.host.apps.get(msg.app);
    const pi = app?.partitionIndex(msg.partition);
    const c = pi === undefined ? undefined : this.copies.get(id(msg.app, pi, msg.slot));
    if (!c || c.id !== msg.copy || c.to !== from || c.phase !== "sending" || c.round !== msg.round) return;
    this.sending--;
    if (!msg.ok) {
      // The joiner's staging is full: this slot goes whole at the switch.
      this.stats.refused++;
      c.app.hosts[c.partition]!.changes.untrack(c.slot);
      c.phase = "settled";
      c.based = false;
    } else {
      if (c.round === 1) c.based = true;
      this.afterRound(c, c.app.hosts[c.partition]!.changes.count(c.slot));
    }
    this.pump();
    this.sayReady();
  }

  /** Whether `slot` is being (or was) pre-copied from here and not yet handed over. */
  copying(app: string, partition: number, slot: number): boolean {
    return this.copies.has(id(app, partition, slot));
  }

  /**
   * A losing slot's handoff is about to go to `target`: when its pre-copy is staged there, the handoff
   * sends only the keys changed since (returned with the copy id); otherwise undefined, and it goes whole.
   * Either way the slot's pre-copy ends here.
   */
  complete(app: string, partition: number, slot: number, target: string, targetSeq: number): { copy: number; changed: ReadonlySet<string> } | undefined {
    const c = this.copies.get(id(app, partition, slot));
    if (!c) return undefined;
    const changed = this.drop(c);
    this.pump();
    if (c.based && c.to === target && c.toSeq === targetSeq) {
      this.stats.deltas++;
      this.stats.deltaActors += changed.size;
      return { copy: c.id, changed };
    }
    // The staged copy is of no use (the slot goes elsewhere): its holder drops it. The target drops it as the handoff arrives.
    this.stats.whole++;
    if (c.to !== target) this.tellDrop(c);
    return undefined;
  }

  /** Stops copying (the node stops or fences itself). */
  close(): void {
    this.closed = true;
    for (const c of [...this.copies.values()]) this.drop(c);
  }

  /** Starts queued rounds while fewer than the bound are in flight (also when the lease is renewed). */
  pump(): void {
    if (this.closed || !this.host.mayAct()) return;
    for (const c of this.copies.values()) {
      if (this.sending >= DEFAULT_PRECOPY_SLOTS_IN_FLIGHT) return;
      if (c.phase !== "queued") continue;
      if (c.app.tables[c.partition]!.code(c.slot) !== SLOT_CODE.OWNED) continue;
      this.sendRound(c);
    }
  }

  private sendRound(c: Copy): void {
    const host = c.app.hosts[c.partition]!;
    const pname = c.app.app.partitions[c.partition]!.name;
    c.round++;
    c.phase = "sending";
    this.sending++;
    this.stats.rounds++;
    // What changed since the last round (round 1: everything); noting starts afresh before the states are read.
    const changed = host.changes.track(c.slot);
    const { states, missing } = host.copyStates(c.slot, c.round === 1 ? undefined : changed);
    this.stats.actors += states.length;
    const chunk = DEFAULT_PRECOPY_CHUNK_ACTORS;
    for (let i = 0; i === 0 || i < states.length; i += chunk) {
      const last = i + chunk >= states.length;
      const stale = last && missing.length > 0 ? missing : undefined;
      this.host.transport.sendControl(c.to, { type: "slot-copy", app: c.app.name, partition: pname, slot: c.slot, copy: c.id, round: c.round, actors: states.slice(i, i + chunk), last, ...(stale ? { stale } : {}) });
    }
  }

  // Another round while much changed meanwhile (and rounds are left); else the slot waits for its switch.
  private afterRound(c: Copy, changed: number): void {
    c.phase = changed > DEFAULT_PRECOPY_DELTA_ACTORS && c.round < DEFAULT_PRECOPY_MAX_ROUNDS ? "queued" : "settled";
  }

  // Tells each joining member whose every slot from here is settled, once per view (it counts the newest).
  private sayReady(): void {
    for (const m of this.view.members) {
      if (m.status !== "joining" || m.id === this.host.nodeId || this.readySaid.get(m.id) === this.view.epoch) continue;
      let settled = true;
      for (const c of this.copies.values()) if (c.to === m.id && c.phase !== "settled") settled = false;
      if (!settled) continue;
      this.readySaid.set(m.id, this.view.epoch);
      this.host.transport.sendControl(m.id, { type: "copy-ready", epoch: this.view.epoch });
    }
  }

  private cancel(c: Copy): void {
    this.tellDrop(c);
    this.stats.cancelled++;
    this.drop(c);
  }

  // The copy's holder drops what it staged (only a member holds any: a departed one is forgotten by the transport).
  private tellDrop(c: Copy): void {
    if (c.round === 0 || !this.view.members.some((m) => m.id === c.to && m.joinedSeq === c.toSeq)) return;
    this.host.transport.sendControl(c.to, { type: "slot-copy-cancel", app: c.app.name, partition: c.app.app.partitions[c.partition]!.name, slot: c.slot, copy: c.id });
  }

  // Forgets a copy; returns the keys noted since its last round.
  private drop(c: Copy): Set<string> {
    const key = id(c.app.name, c.partition, c.slot);
    if (this.copies.get(key) !== c) return new Set();
    this.copies.delete(key);
    if (c.phase === "sending") this.sending--;
    return c.app.hosts[c.partition]!.changes.untrack(c.slot);
  }
}

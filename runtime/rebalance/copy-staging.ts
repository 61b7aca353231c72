import type { ActorHandoff, ControlMessage, StagedStates } from "../types.js";

type SlotCopy = Extract<ControlMessage, { type: "slot-copy" }>;

// What a joiner holds of one future slot: whose copy, and the states so far (undefined: refused).
interface Staged {
  readonly from: string;
  readonly copy: number;
  states: Map<string, unknown> | undefined;
}

const id = (app: string, partition: string, slot: number) => `${app}\u0000${partition}\u0000${slot}`;

/**
 * The receiving side of a pre-copy: the states of slots this node will own, staged (not running) until
 * their handoff arrives. The first piece of a copy is refused when staging would pass its bound (the
 * slot then comes whole at the switch); once a copy's first round is acknowledged, later rounds are
 * always taken, because its sender may then send only what changed. A staged copy leaves with the
 * slot's handoff, its sender's cancel, or its sender.
 */
export class CopyStaging {
  private readonly slots = new Map<string, Staged>();
  private count = 0;
  /** Copies staged, refused (bound), and completed by a handoff. */
  readonly stats = { staged: 0, refused: 0, completed: 0, missing: 0 };

  constructor(
    private readonly maxActors: number,
    /** Stage the states alone (memory mode), not with where the store stands. */
    private readonly plain: boolean,
  ) {}

  /** States staged now. */
  get actors(): number {
    return this.count;
  }

  /** A piece of a copy arrived; on its round's last piece, returns whether it was staged (the ack). */
  onCopy(from: string, msg: SlotCopy): boolean | undefined {
    const key = id(msg.app, msg.partition, msg.slot);
    let s = this.slots.get(key);
    if (!s || s.from !== from || s.copy !== msg.copy) {
      if (s) this.remove(key, s);
      // A new copy starts with round 1; a later round of a copy we no longer hold is refused.
      const fits = msg.round === 1 && this.count + msg.actors.length <= this.maxActors;
      s = { from, copy: msg.copy, states: fits ? new Map() : undefined };
      this.slots.set(key, s);
      if (fits) this.stats.staged++;
      else this.stats.refused++;
    }
    if (s.states) {
      for (const a of msg.actors) {
        if (!s.states.has(a.key)) this.count++;
        // Plain (a store that keeps objects): the state alone, ready to be adopted as the slot's stored states.
        s.states.set(a.key, this.plain ? a.state : a);
      }
      // Copied before, out of date now, and not in memory there: its next owner reads the store.
      for (const k of msg.stale ?? []) if (s.states.delete(k)) this.count--;
    }
    return msg.last ? s.states !== undefined : undefined;
  }

  /** The sender gave the copy up. */
  cancel(from: string, app: string, partition: string, slot: number, copy: number): void {
    const key = id(app, partition, slot);
    const s = this.slots.get(key);
    if (s && s.from === from && s.copy === copy) this.remove(key, s);
  }

  /**
   * A slot's handoff arrived: the staged states it completes (those of a key it carries left out: the
   * handoff has the newer one), or undefined when it completes no copy, or one not staged here (a
   * protocol breach, counted in `missing`). The slot's staging is gone either way.
   */
  complete(from: string, app: string, partition: string, slot: number, copy: number, changed: readonly ActorHandoff[], stale: readonly string[]): StagedStates | undefined {
    const key = id(app, partition, slot);
    const s = this.slots.get(key);
    if (s) this.remove(key, s);
    if (!copy) return undefined;
    if (!s || s.from !== from || s.copy !== copy || !s.states) {
      this.stats.missing++;
      return undefined;
    }
    this.stats.completed++;
    for (const a of changed) s.states.delete(a.key);
    for (const k of stale) s.states.delete(k);
    return this.plain ? { plain: true, states: s.states } : { plain: false, states: s.states as Map<string, ActorHandoff> };
  }

  /** The members whose copies are staged here. */
  senders(): Set<string> {
    const out = new Set<string>();
    for (const s of this.slots.values()) out.add(s.from);
    return out;
  }

  /** Drops what `nodeId` staged here (it left the cluster) or everything (no argument: a fence or stop). */
  forget(nodeId?: string): void {
    for (const [key, s] of this.slots) if (nodeId === undefined || s.from === nodeId) this.remove(key, s);
  }

  private remove(key: string, s: Staged): void {
    this.slots.delete(key);
    if (s.states) this.count -= s.states.size;
  }
}

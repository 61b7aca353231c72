import type { ActorHandoff, StagedStates } from "../types.js";
import type { StateStore } from "../state/state-store.js";
import type { Actor } from "./actor.js";
import { handoffOf } from "./taken-slot.js";

/** What the copies of a host's slots read and make in the host. */
export interface SlotCopiesHost {
  readonly app: string;
  readonly partition: string;
  readonly store: StateStore;
  /** The slot's actors in memory: active ones, then evicted ones not yet passive. */
  inMemory(slot: number): Iterable<Actor>;
  /** Makes each state an active actor of `slot`. */
  install(slot: number, actors: readonly ActorHandoff[]): void;
}

/**
 * A host's slot states copied out ahead of a warm join (on the owner) and staged in ahead of their
 * actors (on the joiner): states of a store that encodes wait here, each until its key's first event
 * activates it in place of a store read (`take`).
 */
export class SlotCopies {
  // Per slot, staged states that activate in place of a store read.
  private readonly preloaded: Array<Map<string, ActorHandoff> | undefined> = [];

  constructor(private readonly host: SlotCopiesHost) {}

  /**
   * The states of `slot`'s actors in memory (active and evicting; with a store that keeps objects,
   * stored ones too), or of those of `keys` that are there, without taking them: a pre-copy. Each
   * carries what its next owner needs to go on from it: its store revision, sequence, and whether it is stored.
   */
  copy(slot: number, keys?: ReadonlySet<string>): { states: ActorHandoff[]; missing: string[] } {
    const { store, app, partition } = this.host;
    const states: ActorHandoff[] = [];
    const seen = new Set<string>();
    const encodes = store.saveEncoded !== undefined;
    for (const a of this.host.inMemory(slot)) {
      if (seen.has(a.key) || (keys && !keys.has(a.key)) || a.loading) continue;
      seen.add(a.key);
      states.push(handoffOf(a, !encodes));
    }
    const stored = store.slotEntries?.(app, partition, slot);
    if (stored) {
      for (const [key, state] of stored) {
        if (seen.has(key) || (keys && !keys.has(key))) continue;
        seen.add(key);
        states.push({ key, state });
      }
    }
    // Keys asked for that are not in memory (written and passivated since): their next owner reads the store.
    const missing = keys ? [...keys].filter((k) => !seen.has(k)) : [];
    return { states, missing };
  }

  /**
   * Installs pre-copied states of `slot` without activating them, each as its first event asks: into
   * a store that keeps objects, or kept here in place of a store read (stored states; one not stored
   * yet becomes an active actor at once, so that write-behind stores it).
   */
  stage(slot: number, staged: StagedStates): void {
    const { store, app, partition } = this.host;
    if (staged.plain) {
      if (store.putSlot) store.putSlot(app, partition, slot, staged.states);
      else this.host.install(slot, Array.from(staged.states, ([key, state]) => ({ key, state })));
      return;
    }
    const states = staged.states;
    const unstored: ActorHandoff[] = [];
    for (const a of states.values()) if (a.dirty) unstored.push(a);
    for (const a of unstored) states.delete(a.key);
    this.host.install(slot, unstored);
    const pre = this.preloaded[slot];
    if (!pre) this.preloaded[slot] = states;
    else for (const [k, a] of states) pre.set(k, a);
  }

  /** The staged state of `key`, taken out (its actor is activating), or undefined. */
  take(slot: number, key: string): ActorHandoff | undefined {
    const pre = this.preloaded[slot]?.get(key);
    if (pre) this.preloaded[slot]!.delete(key);
    return pre;
  }

  /** Forgets what is staged for `slot` (the slot left, or was dropped). */
  drop(slot: number): void {
    this.preloaded[slot] = undefined;
  }

  /** Forgets everything staged. */
  clear(): void {
    this.preloaded.length = 0;
  }
}

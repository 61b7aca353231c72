import type { ActorHandoff } from "../types.js";
import type { Actor } from "./actor.js";

/**
 * A slot's states as a handoff took them out of its host: its active actors (by key), evicted ones not
 * yet passive, and (a store that keeps objects) stored ones. A handoff that completes a pre-copy picks
 * the changed keys only; any other takes them all. Nothing is copied until asked, so taking a slot
 * costs the same at any size.
 */
export class TakenSlot {
  constructor(
    private readonly active: ReadonlyMap<string, Actor> | undefined,
    private readonly evicting: readonly Actor[],
    private readonly stored: ReadonlyArray<[string, unknown]>,
    /** The store keeps objects (memory mode): every state travels. Otherwise the store keeps the stored ones, and only those not stored yet travel. */
    private readonly storesObjects: boolean,
  ) {}

  private everything: ActorHandoff[] | undefined;

  /** Every state the next owner needs from here (an actor's over a stored one of the same key); built once. */
  all(): ActorHandoff[] {
    if (this.everything) return this.everything;
    const out: ActorHandoff[] = (this.everything = []);
    const taken = new Set<string>();
    const mark = this.stored.length > 0 || this.evicting.length > 0;
    if (this.active) {
      for (const a of this.active.values()) {
        if (mark) taken.add(a.key);
        if (this.storesObjects || a.dirty || a.unstorable) out.push(this.of(a));
      }
    }
    for (const a of this.evicting) {
      if (taken.has(a.key)) continue;
      taken.add(a.key);
      if (this.storesObjects || a.dirty || a.unstorable) out.push(this.of(a));
    }
    for (const [key, state] of this.stored) if (!taken.has(key)) out.push({ key, state });
    return out;
  }

  /** The states of `keys` the slot has here, and the keys it does not (their next owner reads the store). */
  pick(keys: ReadonlySet<string>): { states: ActorHandoff[]; missing: string[] } {
    const states: ActorHandoff[] = [];
    const missing: string[] = [];
    let stored: Map<string, unknown> | undefined;
    for (const key of keys) {
      const a = this.active?.get(key) ?? this.evicting.find((e) => e.key === key);
      if (a) {
        states.push(this.of(a));
        continue;
      }
      if (this.stored.length > 0) {
        stored ??= new Map(this.stored);
        if (stored.has(key)) {
          states.push({ key, state: stored.get(key) });
          continue;
        }
      }
      missing.push(key);
    }
    return { states, missing };
  }

  private of(a: Actor): ActorHandoff {
    return handoffOf(a, this.storesObjects);
  }
}

/** What a handoff carries of an actor: a store that keeps objects, the state alone (its next owner keeps it as changed); otherwise where the store stands too. */
export function handoffOf(a: Actor, storesObjects: boolean): ActorHandoff {
  if (storesObjects) return { key: a.key, state: a.state };
  return { key: a.key, state: a.state, revision: a.revision ?? 0, seq: a.doneSeq, dirty: a.dirty || a.unstorable };
}

/** An actor as its handoff left it (`dirty`: a handoff's states are written here unless said stored). */
export function fromHandoff(a: Actor, h: ActorHandoff, dirtyByDefault: boolean): void {
  a.state = h.state;
  a.dirty = h.dirty ?? dirtyByDefault;
  // Its next write is conditional on the revision its old owner left (stores that encode).
  if (h.revision) a.revision = h.revision;
  if (h.seq) a.seq = a.doneSeq = h.seq;
}

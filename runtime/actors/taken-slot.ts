import type { ActorHandoff } from "../types.js";
import type { Actor } from "./actor.js";

/**
 * A slot's states as a handoff took them out of its host: its active actors (by key), evicted ones not
 * yet passive, and stored ones. A handoff that completes a pre-copy picks the changed keys only; any
 * other takes them all. Nothing is copied until asked, so taking a slot costs the same at any size.
 */
export class TakenSlot {
  constructor(
    private readonly active: ReadonlyMap<string, Actor> | undefined,
    private readonly evicting: readonly Actor[],
    private readonly stored: ReadonlyArray<[string, unknown]>,
  ) {}

  /** Every state of the slot (an actor's over a stored one of the same key). */
  all(): ActorHandoff[] {
    const out: ActorHandoff[] = [];
    const taken = new Set<string>();
    if (this.active) {
      for (const a of this.active.values()) {
        out.push({ key: a.key, state: a.state });
        if (this.stored.length > 0 || this.evicting.length > 0) taken.add(a.key);
      }
    }
    for (const a of this.evicting) {
      if (taken.has(a.key)) continue;
      taken.add(a.key);
      out.push({ key: a.key, state: a.state });
    }
    for (const [key, state] of this.stored) if (!taken.has(key)) out.push({ key, state });
    return out;
  }

  /** The states of `keys` (those the slot has). */
  pick(keys: ReadonlySet<string>): ActorHandoff[] {
    const out: ActorHandoff[] = [];
    let stored: Map<string, unknown> | undefined;
    for (const key of keys) {
      const a = this.active?.get(key) ?? this.evicting.find((e) => e.key === key);
      if (a) {
        out.push({ key, state: a.state });
        continue;
      }
      if (this.stored.length === 0) continue;
      stored ??= new Map(this.stored);
      if (stored.has(key)) out.push({ key, state: stored.get(key) });
    }
    return out;
  }
}

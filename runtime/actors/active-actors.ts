import type { Actor } from "./actor.js";

/**
 * The active actors of one partition on one node: at most `max`, the least recently used evicted
 * first (handed to `onEvict`), found by slot and key on every event, and listed by slot for handoffs
 * (which must not scan every actor).
 *
 * One map per slot holds the actors (the lookup, and a slot's listing, in one). Recency is CLOCK
 * ("second chance"), the approximation of LRU that page caches use: a use only sets the actor's
 * `referenced` bit; the actors form a ring threaded through themselves (`newer`/`older`), and to
 * evict, the hand takes the oldest: referenced, it loses the bit and goes to the newest end;
 * otherwise it is the one. So an event writes to its own actor only (moving it to the front of a
 * list would touch two random neighbours, a cache miss each), and an actor costs its map entry and
 * two fields. (lru-cache, used before, took a second key map and four arrays: about 120 bytes per actor;
 * the dependency is gone.)
 */
const NONE: readonly Actor[] = [];
// Detached actors unlinked per turn of the event loop.
const SWEEP_BATCH = 4_096;

export class ActiveActors {
  private readonly bySlot: Array<Map<string, Actor> | undefined> = [];
  // The recency list: `newest` was used last, `oldest` goes first.
  private newest: Actor | undefined = undefined;
  private oldest: Actor | undefined = undefined;
  private count = 0;
  // Actors of slots taken out whole (`detachSlot`), still threaded through the ring: unlinked a batch
  // at a time on later turns, so that a handoff does not pay for a slot's worth of unlinking at once.
  private detached: Actor[][] = [];
  private sweeping = false;

  constructor(
    private readonly max: number,
    private readonly onEvict: (actor: Actor) => void,
  ) {}

  /** Active actors. */
  get size(): number {
    return this.count;
  }

  /** The active actor of `key` in `slot` (undefined when none), as an event for it arrives: counts as a use. */
  use(key: string, slot: number): Actor | undefined {
    const actor = this.bySlot[slot]?.get(key);
    if (actor !== undefined) actor.referenced = true;
    return actor;
  }

  /** The active actor of `key` in `slot`, without counting a use. */
  peek(key: string, slot: number): Actor | undefined {
    return this.bySlot[slot]?.get(key);
  }

  /** Makes `actor` active, the most recently used; evicts the least recent one over the bound. */
  add(actor: Actor): void {
    let map = this.bySlot[actor.slot];
    if (!map) this.bySlot[actor.slot] = map = new Map();
    const old = map.get(actor.key);
    if (old === actor) return;
    if (old) this.remove(old);
    map.set(actor.key, actor);
    actor.referenced = false;
    this.linkNewest(actor);
    this.count++;
    if (this.count > this.max) {
      const victim = this.hand();
      this.remove(victim);
      this.onEvict(victim);
    }
  }

  /** Makes `actor` inactive without evicting it (no `onEvict`), if it is the active one of its key. */
  remove(actor: Actor): void {
    const map = this.bySlot[actor.slot];
    if (map?.get(actor.key) !== actor) return;
    map.delete(actor.key);
    this.unlink(actor);
    this.count--;
  }

  /**
   * Takes every actor of `slot` out at once and returns them by key (they leave the recency ring
   * over the next turns, marked dropped): a handoff's cost does not grow with the slot's size.
   */
  detachSlot(slot: number): Map<string, Actor> | undefined {
    const map = this.bySlot[slot];
    this.bySlot[slot] = undefined;
    if (!map || map.size === 0) return undefined;
    this.count -= map.size;
    this.detached.push([...map.values()]);
    if (!this.sweeping) {
      this.sweeping = true;
      setImmediate(this.sweep);
    }
    return map;
  }

  /** The active actors of `slot`, not copied: for reading only (remove none while iterating). */
  inSlot(slot: number): Iterable<Actor> {
    return this.bySlot[slot]?.values() ?? NONE;
  }

  /** The active actors of `slot` (a copy: safe to remove while iterating). */
  ofSlot(slot: number): Actor[] {
    const map = this.bySlot[slot];
    return map ? [...map.values()] : [];
  }

  /** Active actors per slot. */
  slotCounts(): Map<number, number> {
    const m = new Map<number, number>();
    this.bySlot.forEach((map, slot) => {
      if (map?.size) m.set(slot, map.size);
    });
    return m;
  }

  /** Every active actor, most recently added (or spared by the hand) first. */
  *values(): IterableIterator<Actor> {
    for (let a = this.newest; a !== undefined; ) {
      const next = a.older; // the caller may remove `a`
      if (this.holds(a)) yield a;
      a = next;
    }
  }

  /** Makes every actor inactive without evicting any. */
  clear(): void {
    for (let a = this.newest; a !== undefined; ) {
      const next = a.older;
      a.newer = a.older = undefined;
      a = next;
    }
    this.bySlot.length = 0;
    this.newest = this.oldest = undefined;
    this.count = 0;
    this.detached = [];
  }

  // The eviction victim: the oldest actor not used since the hand last passed it (at most one lap: a
  // lap clears every bit, so it ends at the actor it started from).
  private hand(): Actor {
    for (;;) {
      const a = this.oldest!;
      if (!this.holds(a)) {
        this.unlink(a); // of a detached slot, not swept yet
        continue;
      }
      if (!a.referenced || a === this.newest) return a;
      a.referenced = false;
      this.unlink(a);
      this.linkNewest(a);
    }
  }

  // Whether `a` is an actor of this set (not one of a detached slot).
  private holds(a: Actor): boolean {
    return this.bySlot[a.slot]?.get(a.key) === a;
  }

  // Unlinks detached actors, a bounded batch per turn, until none is left.
  private readonly sweep = (): void => {
    let budget = SWEEP_BATCH;
    while (budget > 0 && this.detached.length > 0) {
      const batch = this.detached[this.detached.length - 1]!;
      while (budget-- > 0 && batch.length > 0) {
        const a = batch.pop()!;
        a.dropped = true;
        if (!this.holds(a) && (a.newer !== undefined || a.older !== undefined || this.newest === a)) this.unlink(a);
      }
      if (batch.length === 0) this.detached.pop();
    }
    if (this.detached.length > 0) setImmediate(this.sweep);
    else this.sweeping = false;
  };

  private linkNewest(actor: Actor): void {
    actor.older = this.newest;
    actor.newer = undefined;
    if (this.newest) this.newest.newer = actor;
    else this.oldest = actor;
    this.newest = actor;
  }

  private unlink(actor: Actor): void {
    const { newer, older } = actor;
    if (newer) newer.older = older;
    else this.newest = older;
    if (older) older.newer = newer;
    else this.oldest = newer;
    actor.newer = actor.older = undefined;
  }
}

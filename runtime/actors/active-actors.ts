import { LRUCache } from "lru-cache";
import type { Actor } from "./actor.js";

/**
 * The active actors of one partition on one node: at most `max`, least recently used evicted first
 * (handed to `onEvict`), found by key on every event and by slot for handoffs (which must not scan
 * every actor).
 *
 * lru-cache owns the bound and the eviction order; a plain Map is the per-event lookup. lru-cache's
 * get() costs an options object per call, so recency is refreshed every `refreshEvery` lookups of an
 * actor: between two refreshes at most `refreshEvery` others can pass it, so a busy actor is never
 * the least recent while the bound is larger than that.
 */
export class ActiveActors {
  private readonly lru: LRUCache<string, Actor>;
  private readonly byKey = new Map<string, Actor>();
  private readonly bySlot = new Map<number, Set<Actor>>();
  private readonly refreshEvery: number;
  private tick = 0;

  constructor(max: number, onEvict: (actor: Actor) => void) {
    this.refreshEvery = Math.max(1, max >> 2);
    this.lru = new LRUCache<string, Actor>({
      max,
      dispose: (actor, key, reason) => {
        if (this.byKey.get(key) === actor) this.byKey.delete(key);
        this.bySlot.get(actor.slot)?.delete(actor);
        if (reason === "evict") onEvict(actor);
      },
    });
  }

  /** Active actors. */
  get size(): number {
    return this.lru.size;
  }

  /** The active actor of `key` (undefined when none), as an event for it arrives: counts as a use. */
  use(key: string): Actor | undefined {
    const t = ++this.tick;
    const actor = this.byKey.get(key);
    if (actor && t - actor.touched >= this.refreshEvery) {
      actor.touched = t;
      this.lru.get(key);
    }
    return actor;
  }

  /** The active actor of `key`, without counting a use. */
  peek(key: string): Actor | undefined {
    return this.byKey.get(key);
  }

  /** Makes `actor` active, the most recently used (may evict the least recent). */
  add(actor: Actor): void {
    actor.touched = this.tick;
    this.lru.set(actor.key, actor);
    this.byKey.set(actor.key, actor);
    let set = this.bySlot.get(actor.slot);
    if (!set) this.bySlot.set(actor.slot, (set = new Set()));
    set.add(actor);
  }

  /** Makes `actor` inactive without evicting it (no `onEvict`), if it is the active one of its key. */
  remove(actor: Actor): void {
    if (this.byKey.get(actor.key) === actor) this.lru.delete(actor.key);
  }

  /** The active actors of `slot` (a copy: safe to remove while iterating). */
  ofSlot(slot: number): Actor[] {
    const set = this.bySlot.get(slot);
    return set ? [...set] : [];
  }

  /** Active actors per slot. */
  slotCounts(): Map<number, number> {
    const m = new Map<number, number>();
    for (const [slot, set] of this.bySlot) if (set.size) m.set(slot, set.size);
    return m;
  }

  /** Every active actor. */
  values(): IterableIterator<Actor> {
    return this.lru.values();
  }

  /** Makes every actor inactive without evicting any. */
  clear(): void {
    this.lru.clear();
    this.byKey.clear();
    this.bySlot.clear();
  }
}

import type { Application } from "../builder/application.js";

/** A value that may be ready now or later: the hot path avoids a promise when it can. */
export type MaybePromise<T> = T | Promise<T>;

/** A stored actor: its state, the last event-stream sequence applied to it (0 outside durable mode) and the store's revision of it. */
export interface StoredActor {
  readonly state: unknown;
  readonly seq: number;
  /** The store's revision of the key as read (stores with compare-and-set writes). */
  readonly revision?: number;
}

/** Where actor state lives while its actor is passive (and, in snapshot mode, across owners). */
export interface StateStore {
  readonly kind: "memory" | "jetstream-kv";
  /** The stored state of `key`, or undefined if the key has none. */
  load(app: string, partition: string, slot: number, key: string): MaybePromise<unknown>;
  /** Stores the state of `key` (stores that keep objects: the memory store). */
  save(app: string, partition: string, slot: number, key: string, state: unknown, seq?: number): MaybePromise<void>;
  /**
   * Stores a state already encoded with its partition's codec, on the condition that the key is still at
   * `revision` (undefined: the writer never read it, so it must not exist); resolves with the new revision.
   * A key another owner wrote since fails with `FencedError`; a write while this node's lease is out fails
   * with `LeaseExpiredError`.
   */
  saveEncoded?(app: string, partition: string, slot: number, key: string, bytes: Uint8Array, seq: number, revision: number | undefined): Promise<number>;
  /** The stored state of `key` with the last event-stream sequence it reflects and its revision (stores that keep them). */
  loadEntry?(app: string, partition: string, slot: number, key: string): MaybePromise<StoredActor | undefined>;
  /** The stored actors of a slot, left in place (stores that keep objects: a pre-copy reads them). */
  slotEntries?(app: string, partition: string, slot: number): Iterable<[string, unknown]>;
  /** Stores the states of a slot at once (stores that keep objects: pre-copied states arriving with their handoff). */
  putSlot?(app: string, partition: string, slot: number, states: Map<string, unknown>): void;
  /** Removes and returns every stored actor of a slot (memory mode hands these off directly). */
  takeSlot(app: string, partition: string, slot: number): MaybePromise<Array<[string, unknown]>>;
  /** Learns the apps whose state it stores (stores that encode state need their codecs). */
  attach?(apps: readonly Application[]): void;
  /** Counters of the store (reads, writes, conflicts...), for /cluster and metrics. */
  readonly stats?: Readonly<Record<string, number>>;
  /** Releases resources. */
  close(): Promise<void>;
}

/** State kept in this process's memory: fast, and gone with the process. */
export class MemoryStateStore implements StateStore {
  readonly kind = "memory" as const;
  private readonly slots = new Map<string, Map<string, unknown>>();

  load(app: string, partition: string, slot: number, key: string): unknown {
    return this.slots.get(slotId(app, partition, slot))?.get(key);
  }

  save(app: string, partition: string, slot: number, key: string, state: unknown): void {
    const id = slotId(app, partition, slot);
    let m = this.slots.get(id);
    if (!m) this.slots.set(id, (m = new Map()));
    m.set(key, state);
  }

  slotEntries(app: string, partition: string, slot: number): Iterable<[string, unknown]> {
    return this.slots.get(slotId(app, partition, slot))?.entries() ?? [];
  }

  putSlot(app: string, partition: string, slot: number, states: Map<string, unknown>): void {
    const id = slotId(app, partition, slot);
    const m = this.slots.get(id);
    if (!m) this.slots.set(id, states);
    else for (const [k, s] of states) m.set(k, s);
  }

  takeSlot(app: string, partition: string, slot: number): Array<[string, unknown]> {
    const id = slotId(app, partition, slot);
    const m = this.slots.get(id);
    this.slots.delete(id);
    return m ? [...m] : [];
  }

  /** Number of stored (passive) actors. */
  size(): number {
    let n = 0;
    for (const m of this.slots.values()) n += m.size;
    return n;
  }

  async close(): Promise<void> {
    this.slots.clear();
  }
}

function slotId(app: string, partition: string, slot: number): string {
  return `${app}\u0000${partition}\u0000${slot}`;
}

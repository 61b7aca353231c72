import type { PartitionDef } from "../builder/application.js";
import { STATE_LOAD_RETRY_MAX_MS, STATE_LOAD_RETRY_MIN_MS } from "../defaults.js";
import { FencedError, OutputsNotWrittenError, StateTooLargeError } from "../errors.js";
import type { MaybePromise, StateStore, StoredActor } from "../state/state-store.js";
import { backoffDelay, backoffPolicy } from "../util/backoff.js";
import type { Actor } from "./actor.js";

// A failed load is tried again after this (doubling per failure in a row).
const LOAD_RETRY = backoffPolicy({ minMs: STATE_LOAD_RETRY_MIN_MS, maxMs: STATE_LOAD_RETRY_MAX_MS });

/** What persistence needs from the host around it. */
export interface PersistenceHost {
  readonly app: string;
  readonly store: StateStore;
  /** A read or write of the store failed (it is retried; a fenced write drops the actor's copy). */
  storeFailed(error: unknown, key: string): void;
  /** Durable mode: runs between taking copies of states and writing them (outputs first, see ActorHostContext); false: the outputs are not out, so nothing is written. */
  beforeWrite?(): Promise<boolean>;
  /** An actor's state arrived from the store: its queued events may run. */
  loaded(actor: Actor): void;
  /** An actor's writes are done for now: an evicted one may become passive. */
  settled(actor: Actor): void;
  /** The store holds a newer owner's state of this key: the host forgets its copy. */
  stale(actor: Actor): void;
}

/**
 * Reads and writes the actors' states of one partition: the one place that knows which writes are in
 * flight, per actor (each write waits for the last, on the revision it left) and per slot (a flush of
 * a slot waits for that slot's). A failed load is retried with backoff while the actor's events wait;
 * a failed write leaves the actor dirty for the next flush; a fenced write drops the actor.
 */
export class ActorPersistence {
  /** Loads that failed (and were retried), writes that failed (and stay dirty), actors dropped as a stale owner's copy, and writes of states too large to store. */
  readonly stats = { loadFailures: 0, writeFailures: 0, fencedDrops: 0, tooLarge: 0 };
  private readonly writing = new Map<number, Set<Promise<unknown>>>();

  constructor(
    private readonly partition: PartitionDef,
    private readonly host: PersistenceHost,
  ) {}

  /** Starts loading an actor's state; `host.loaded` runs once it is there (now, for a synchronous store). */
  load(actor: Actor): void {
    const { store, app } = this.host;
    let loaded: MaybePromise<StoredActor | undefined>;
    try {
      loaded = store.loadEntry ? store.loadEntry(app, this.partition.name, actor.slot, actor.key) : wrap(store.load(app, this.partition.name, actor.slot, actor.key));
    } catch (err) {
      loaded = Promise.reject(err);
    }
    if (!(loaded instanceof Promise)) {
      this.apply(actor, loaded);
      return;
    }
    actor.loading = true;
    loaded.then(
      (s) => {
        if (actor.dropped) return;
        this.apply(actor, s);
        actor.loading = false;
        this.host.loaded(actor);
      },
      (err: unknown) => {
        // Never run without the stored state: the events wait, the load is tried again.
        if (actor.dropped) return;
        this.stats.loadFailures++;
        this.host.storeFailed(err, actor.key);
        const delay = backoffDelay(LOAD_RETRY, actor.loadTries++);
        setTimeout(() => {
          if (!actor.dropped) this.load(actor);
        }, delay).unref();
      },
    );
  }

  /**
   * Writes the states of `dirty` actors a bounded number at a time. Resolves once these and every write
   * already in flight for `slot` (or every slot) are done: a handoff after it finds the store complete.
   * Rejects if a write failed (that actor stays dirty: the next flush writes it again).
   */
  async flush(dirty: readonly Actor[], slot: number | undefined, concurrency: number): Promise<number> {
    const earlier = this.inFlight(slot);
    const work = this.writeAll(dirty, concurrency);
    for (const s of new Set(dirty.map((a) => a.slot))) this.track(s, work);
    const n = await work;
    if (earlier.length) {
      const results = await Promise.allSettled(earlier);
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
    return n;
  }

  /** Writes an evicted actor's state (passivation); a flush of its slot waits for it. */
  passivate(actor: Actor): void {
    const { store, app } = this.host;
    if (!store.saveEncoded) {
      actor.dirty = false;
      const r = store.save(app, this.partition.name, actor.slot, actor.key, actor.state, actor.doneSeq);
      if (r instanceof Promise) this.track(actor.slot, r.catch((err: unknown) => this.host.storeFailed(err, actor.key)));
      return;
    }
    const bytes = this.partition.state.codec.encode(actor.state);
    const seq = actor.doneSeq;
    actor.dirty = false;
    const w = this.write(actor, bytes, seq, this.host.beforeWrite?.());
    this.track(actor.slot, w.catch(() => undefined));
  }

  // Writes in flight for `slot` (or for every slot).
  private inFlight(slot: number | undefined): Promise<unknown>[] {
    if (slot !== undefined) return [...(this.writing.get(slot) ?? [])];
    const all: Promise<unknown>[] = [];
    for (const set of this.writing.values()) all.push(...set);
    return all;
  }

  private track(slot: number, p: Promise<unknown>): void {
    let set = this.writing.get(slot);
    if (!set) this.writing.set(slot, (set = new Set()));
    set.add(p);
    const done = () => {
      set.delete(p);
      if (set.size === 0 && this.writing.get(slot) === set) this.writing.delete(slot);
    };
    p.then(done, done);
  }

  private async writeAll(dirty: readonly Actor[], concurrency: number): Promise<number> {
    if (dirty.length === 0) return 0;
    const { store, app } = this.host;
    if (!store.saveEncoded) {
      // A store that keeps objects (memory): nothing can fail or race.
      for (const a of dirty) {
        a.dirty = false;
        await store.save(app, this.partition.name, a.slot, a.key, a.state, a.doneSeq);
        this.host.settled(a);
      }
      return dirty.length;
    }
    // Copies of the states as they are now, and the offsets they reflect.
    const encoded = dirty.map((a) => this.partition.state.codec.encode(a.state));
    const seqs = dirty.map((a) => a.doneSeq);
    for (const a of dirty) a.dirty = false;
    const before = this.host.beforeWrite ? this.host.beforeWrite() : undefined;
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (next < dirty.length) {
        const i = next++;
        try {
          await this.write(dirty[i]!, encoded[i]!, seqs[i]!, before);
        } catch (err) {
          // A state too large to store is a limit, not an outage: retrying cannot help (it was logged).
          if (!(err instanceof StateTooLargeError)) failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, dirty.length) }, worker));
    if (failure !== undefined) throw failure;
    return dirty.length;
  }

  /**
   * Writes one copy of an actor's state, after its earlier writes (and after `before`, the durable
   * mode's output flush) and on the revision they left. On failure the actor is dirty again (a later
   * flush retries); a fenced write drops the actor: the store holds a newer owner's state.
   */
  private write(actor: Actor, bytes: Uint8Array, seq: number, before: Promise<boolean> | undefined): Promise<void> {
    const prev = actor.writing;
    const { store, app } = this.host;
    const run = async (): Promise<void> => {
      if (prev) await prev.catch(() => undefined);
      // Durable mode: a replay skips the events a stored state reflects, so their outputs must be out
      // before it is stored; if they could not be written, storing it could lose them for good.
      if (before && !(await before)) {
        if (!actor.dropped) actor.dirty = true;
        throw new OutputsNotWrittenError(`state of key ${JSON.stringify(actor.key.slice(0, 60))} not stored: its outputs could not be written to the sinks first; it stays dirty and is stored once they are (check that the sink receivers are up and reading)`);
      }
      if (actor.dropped) return;
      try {
        actor.revision = await store.saveEncoded!(app, this.partition.name, actor.slot, actor.key, bytes, seq, actor.revision);
        actor.unstorable = false;
      } catch (err) {
        if (err instanceof FencedError) {
          this.stats.fencedDrops++;
          this.host.stale(actor);
        } else if (err instanceof StateTooLargeError) {
          // Never retried as it is: written again only once the actor changes (it may have shrunk).
          this.stats.tooLarge++;
          actor.unstorable = true;
        } else {
          this.stats.writeFailures++;
          if (!actor.dropped) actor.dirty = true;
        }
        this.host.storeFailed(err, actor.key);
        throw err;
      }
    };
    const p = run();
    actor.writing = p;
    const clear = () => {
      if (actor.writing !== p) return;
      actor.writing = undefined;
      this.host.settled(actor);
    };
    p.then(clear, clear);
    return p;
  }

  private apply(actor: Actor, s: StoredActor | undefined): void {
    actor.loadTries = 0;
    actor.state = s === undefined || s.state === undefined ? this.partition.state.create() : s.state;
    actor.seq = actor.doneSeq = s?.seq ?? 0;
    actor.revision = s?.revision;
  }
}

function wrap(loaded: MaybePromise<unknown>): MaybePromise<StoredActor | undefined> {
  if (loaded instanceof Promise) return loaded.then((state) => (state === undefined ? undefined : { state, seq: 0 }));
  return loaded === undefined ? undefined : { state: loaded, seq: 0 };
}

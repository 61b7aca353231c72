import { LRUCache } from "lru-cache";
import type { PartitionDef, StateStageDef } from "../builder/application.js";
import type { StepContext } from "../builder/specs.js";
import type { Envelope } from "../cluster/envelope.js";
import type { MaybePromise, StateStore, StoredActor } from "../state/state-store.js";

/** What the host needs from the node around it. */
export interface ActorHostContext {
  readonly app: string;
  readonly nodeId: string;
  readonly store: StateStore;
  /** The node's current epoch. */
  epoch(): number;
  /** The input value of an envelope (decoding its payload if it came over the wire); throws on bad input. */
  inputOf(env: Envelope): unknown;
  /** Receives a step's output (undefined outputs are not passed). */
  emit(stage: StateStageDef, output: unknown, env: Envelope): void;
  /** A step threw or rejected. */
  stepFailed(stage: StateStageDef, env: Envelope, error: unknown): void;
  /** The stage definition of an envelope. */
  stageOf(env: Envelope): StateStageDef;
  /** A passivation write to the store failed. */
  storeFailed(error: unknown, key: string): void;
  /** Called as a step starts running on an event (single-owner tests); optional. */
  applied?(env: Envelope): void;
  /**
   * Durable mode: runs between taking a copy of the states to write and writing them, so that the
   * outputs of every event a written state reflects are out first (a replay skips those events).
   */
  beforeWrite?(): Promise<unknown>;
}

/** One virtual actor: a key's private state and its queue of pending events. */
class Actor implements StepContext {
  state: unknown = undefined;
  queue: Envelope[] | undefined = undefined;
  busy = false;
  loading = false;
  evicted = false;
  dirty = false;
  /** Host tick at which the LRU last saw this actor. */
  touched = 0;
  skipWrite = false;
  /** Durable mode: the offset of the last stream event started (events at or below it are repeats). */
  seq = 0;
  /** ... and of the last one finished: what a stored state reflects. */
  doneSeq = 0;
  constructor(
    readonly key: string,
    readonly slot: number,
    readonly nodeId: string,
    private readonly epochOf: () => number,
  ) {}
  get epoch(): number {
    return this.epochOf();
  }
  unchanged(): void {
    this.skipWrite = true;
  }
}

/**
 * Runs the actors of one state partition on one node: activation on first event,
 * one event at a time per actor (also across async steps), an LRU bound on active
 * actors, and passivation of evicted actors into the state store.
 */
export class ActorHost {
  // lru-cache owns the bound and the eviction order; `active` is the per-event lookup. lru-cache's
  // get() costs an options object per call, so recency is refreshed every `refreshEvery` accesses:
  // between two refreshes of an actor at most `refreshEvery` others can pass it, so a busy actor
  // is never the least recent while the bound is larger than that.
  private readonly lru: LRUCache<string, Actor>;
  private readonly active = new Map<string, Actor>();
  // Active actors per slot: handoffs work a slot at a time and must not scan every actor.
  private readonly bySlot = new Map<number, Set<Actor>>();
  private readonly refreshEvery: number;
  private tick = 0;
  // Evicted actors that still had work in flight; they passivate when idle.
  private readonly evicting = new Map<string, Actor>();
  /** Actors passivated so far. */
  passivations = 0;
  /** Actors activated so far. */
  activations = 0;
  /** Events applied so far. */
  applied = 0;
  /** Durable mode: replayed events skipped because the actor's state already reflected them. */
  repeatsSkipped = 0;
  // Passivation writes in flight: a flush waits for them, so a checkpoint never runs ahead of the store.
  // Writes in flight (flushes and passivations), per slot: a flush of a slot waits for that slot's.
  private readonly writing = new Map<number, Set<Promise<unknown>>>();

  constructor(
    readonly partition: PartitionDef,
    private readonly ctx: ActorHostContext,
    maxActors: number,
  ) {
    this.refreshEvery = Math.max(1, maxActors >> 2);
    this.lru = new LRUCache<string, Actor>({
      max: maxActors,
      dispose: (actor, key, reason) => {
        if (this.active.get(key) === actor) this.active.delete(key);
        this.bySlot.get(actor.slot)?.delete(actor);
        if (reason === "evict") this.passivate(actor);
      },
    });
  }

  /** Active actors. */
  get size(): number {
    return this.lru.size;
  }

  /** Runs `env` on the actor of its key, now if the actor is idle, else after what is queued. */
  deliver(env: Envelope): void {
    const t = ++this.tick;
    let actor = this.active.get(env.key);
    if (!actor) actor = this.activate(env.key, env.slot);
    else if (t - actor.touched >= this.refreshEvery) {
      actor.touched = t;
      this.lru.get(env.key);
    }
    if (actor.busy || actor.loading || actor.queue) {
      (actor.queue ??= []).push(env);
      return;
    }
    this.run(actor, env);
  }

  /** True when no actor of `slot` has an event in flight or queued. */
  isSlotIdle(slot: number): boolean {
    for (const a of this.slotActors(slot)) if (a.busy || a.loading || a.queue) return false;
    for (const a of this.evicting.values()) if (a.slot === slot) return false;
    return true;
  }

  /** Removes every active and passive actor of `slot` and returns their states (for a handoff). */
  async takeSlot(slot: number): Promise<Array<[string, unknown]>> {
    const out: Array<[string, unknown]> = [];
    for (const a of this.slotActors(slot)) out.push([a.key, a.state]);
    for (const [key] of out) this.lru.delete(key);
    const stored = await this.ctx.store.takeSlot(this.ctx.app, this.partition.name, slot);
    const active = new Set(out.map(([k]) => k));
    for (const [k, s] of stored) if (!active.has(k)) out.push([k, s]);
    return out;
  }

  /**
   * Writes the state of every dirty actor of `slot` (or of all slots) to the store, a bounded number
   * at a time. Resolves once these and every write already in flight (an earlier flush's, a
   * passivation's) are done: a handoff after it finds the store complete.
   */
  async flushDirty(slot?: number, concurrency = 256): Promise<number> {
    const earlier = this.inFlight(slot);
    const touched = new Set<number>();
    // The dirty actors are taken synchronously (before the first await), so `touched` is complete here.
    const work = this.writeDirty(slot, concurrency, touched);
    for (const s of touched) this.track(s, work);
    const n = await work;
    if (earlier.length) await Promise.allSettled(earlier);
    return n;
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

  private async writeDirty(slot: number | undefined, concurrency: number, touched: Set<number>): Promise<number> {
    const dirty: Actor[] = [];
    for (const a of slot === undefined ? this.lru.values() : this.slotActors(slot)) if (a.dirty) dirty.push(a);
    for (const a of dirty) touched.add(a.slot);
    const store = this.ctx.store;
    const encoded = this.ctx.beforeWrite && store.saveEncoded ? dirty.map((a) => this.partition.state.codec.encode(a.state)) : undefined;
    const seqs = dirty.map((a) => a.doneSeq);
    for (const a of dirty) a.dirty = false;
    if (encoded && dirty.length) await this.ctx.beforeWrite!();
    let next = 0;
    let failure: unknown;
    const worker = async () => {
      while (next < dirty.length) {
        const i = next++;
        const a = dirty[i]!;
        try {
          if (encoded) await store.saveEncoded!(this.ctx.app, this.partition.name, a.slot, a.key, encoded[i]!, seqs[i]!);
          else await store.save(this.ctx.app, this.partition.name, a.slot, a.key, a.state, seqs[i]);
        } catch (err) {
          // Still dirty: a later flush (or the handoff's retry) writes it again.
          a.dirty = true;
          failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, dirty.length) }, worker));
    if (failure !== undefined) throw failure;
    return dirty.length;
  }

  /** Takes the events queued (not yet started) in the actors of `slot`, per key in order, so that a slot being handed off runs nothing more here. */
  detachQueued(slot: number): Envelope[] {
    const out: Envelope[] = [];
    const take = (a: Actor) => {
      if (a.slot !== slot || !a.queue) return;
      out.push(...a.queue);
      a.queue = undefined;
    };
    for (const a of this.slotActors(slot)) take(a);
    for (const a of this.evicting.values()) take(a);
    return out;
  }

  /** Removes every actor of `slot` from memory without writing it (its state is already in the store). */
  dropSlot(slot: number): number {
    const actors = this.slotActors(slot);
    for (const a of actors) this.lru.delete(a.key);
    return actors.length;
  }

  /** Installs actor states received in a handoff (they become active, LRU permitting). */
  install(slot: number, actors: ReadonlyArray<{ key: string; state: unknown }>): void {
    for (const { key, state } of actors) {
      const a = new Actor(key, slot, this.ctx.nodeId, this.ctx.epoch);
      a.state = state;
      a.dirty = true;
      this.insert(key, a);
    }
  }

  /** The state of `key` without activating it (active, passivating or stored), for inspection and tests. */
  peek(key: string, slot: number): unknown {
    const a = this.active.get(key) ?? this.evicting.get(key);
    if (a) return a.state;
    return this.ctx.store.load(this.ctx.app, this.partition.name, slot, key);
  }

  /** Keys of active actors per slot (for /cluster and tests). */
  activeSlots(): Map<number, number> {
    const m = new Map<number, number>();
    for (const [slot, set] of this.bySlot) if (set.size) m.set(slot, set.size);
    return m;
  }

  /** Drops every actor without writing (used when a node stops). */
  clear(): void {
    this.lru.clear();
    this.active.clear();
    this.bySlot.clear();
    this.evicting.clear();
  }

  private insert(key: string, actor: Actor): void {
    actor.touched = this.tick;
    this.lru.set(key, actor);
    this.active.set(key, actor);
    let set = this.bySlot.get(actor.slot);
    if (!set) this.bySlot.set(actor.slot, (set = new Set()));
    set.add(actor);
  }

  private slotActors(slot: number): Actor[] {
    const set = this.bySlot.get(slot);
    return set ? [...set] : [];
  }

  private activate(key: string, slot: number): Actor {
    const back = this.evicting.get(key);
    if (back) {
      this.evicting.delete(key);
      back.evicted = false;
      this.insert(key, back);
      return back;
    }
    const actor = new Actor(key, slot, this.ctx.nodeId, this.ctx.epoch);
    this.activations++;
    this.insert(key, actor);
    const store = this.ctx.store;
    const loaded = store.loadEntry ? store.loadEntry(this.ctx.app, this.partition.name, slot, key) : wrap(store.load(this.ctx.app, this.partition.name, slot, key));
    if (loaded instanceof Promise) {
      actor.loading = true;
      loaded.then(
        (s) => {
          actor.state = s === undefined ? this.partition.state.create() : s.state;
          actor.seq = actor.doneSeq = s?.seq ?? 0;
          actor.loading = false;
          this.resume(actor);
        },
        (err: unknown) => {
          // Without its stored state the actor must not run: its events fail as step errors.
          actor.loading = false;
          const queued = actor.queue ?? [];
          actor.queue = undefined;
          this.lru.delete(key);
          for (const env of queued) this.ctx.stepFailed(this.ctx.stageOf(env), env, err);
        },
      );
    } else {
      actor.state = loaded === undefined ? this.partition.state.create() : loaded.state;
      actor.seq = actor.doneSeq = loaded?.seq ?? 0;
    }
    return actor;
  }

  private run(actor: Actor, env: Envelope): void {
    if (env.offset !== 0) {
      // Replayed from the event stream: the stored state already has it (exactly-once state effects).
      if (env.offset <= actor.seq) {
        this.repeatsSkipped++;
        return;
      }
      actor.seq = env.offset;
    }
    const stage = this.ctx.stageOf(env);
    let out: unknown;
    try {
      const input = env.value !== undefined ? env.value : this.ctx.inputOf(env);
      actor.skipWrite = false;
      this.ctx.applied?.(env);
      out = stage.fn(input, actor.state, actor);
    } catch (err) {
      if (env.offset > actor.doneSeq) actor.doneSeq = env.offset;
      this.ctx.stepFailed(stage, env, err);
      return;
    }
    if (out instanceof Promise) {
      actor.busy = true;
      out.then(
        (o) => {
          this.done(actor, stage, env, o);
          actor.busy = false;
          this.resume(actor);
        },
        (err: unknown) => {
          if (env.offset > actor.doneSeq) actor.doneSeq = env.offset;
          this.ctx.stepFailed(stage, env, err);
          actor.busy = false;
          this.resume(actor);
        },
      );
      return;
    }
    this.done(actor, stage, env, out);
  }

  private done(actor: Actor, stage: StateStageDef, env: Envelope, out: unknown): void {
    this.applied++;
    if (env.offset > actor.doneSeq) actor.doneSeq = env.offset;
    if (!actor.skipWrite) actor.dirty = true;
    if (out !== undefined) this.ctx.emit(stage, out, env);
  }

  private resume(actor: Actor): void {
    while (actor.queue && !actor.busy && !actor.loading) {
      const next = actor.queue.shift()!;
      if (actor.queue.length === 0) actor.queue = undefined;
      this.run(actor, next);
    }
    if (actor.evicted && !actor.busy && !actor.loading && !actor.queue) {
      this.evicting.delete(actor.key);
      this.persist(actor);
    }
  }

  private passivate(actor: Actor): void {
    if (actor.busy || actor.loading || actor.queue) {
      actor.evicted = true;
      this.evicting.set(actor.key, actor);
      return;
    }
    this.persist(actor);
  }

  private persist(actor: Actor): void {
    this.passivations++;
    const store = this.ctx.store;
    let r: MaybePromise<void>;
    if (this.ctx.beforeWrite && store.saveEncoded) {
      const bytes = this.partition.state.codec.encode(actor.state);
      const seq = actor.doneSeq;
      r = this.ctx.beforeWrite().then(() => store.saveEncoded!(this.ctx.app, this.partition.name, actor.slot, actor.key, bytes, seq));
    } else r = store.save(this.ctx.app, this.partition.name, actor.slot, actor.key, actor.state, actor.doneSeq);
    if (r instanceof Promise) {
      this.track(actor.slot, r.catch((err: unknown) => this.ctx.storeFailed(err, actor.key)));
    }
  }
}

function wrap(loaded: MaybePromise<unknown>): MaybePromise<StoredActor | undefined> {
  if (loaded instanceof Promise) return loaded.then((state) => (state === undefined ? undefined : { state, seq: 0 }));
  return loaded === undefined ? undefined : { state: loaded, seq: 0 };
}

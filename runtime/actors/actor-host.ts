// Over 300 lines: one concept, the lifecycle of a partition's actors (activate, run one event at a
// time, evict, passivate, and hand a slot over: take it out, copy it ahead of a warm join, install it);
// which are active is ActiveActors', reading and writing state ActorPersistence's, noting the changes
// a pre-copy resends SlotChanges', copying states out and staging them in ahead of their actors SlotCopies'.
import type { PartitionDef, StateStageDef } from "../builder/application.js";
import type { ActorHandoff, Envelope, StagedStates } from "../types.js";
import type { StateStore } from "../state/state-store.js";
import { ActiveActors } from "./active-actors.js";
import { Actor } from "./actor.js";
import { ActorPersistence } from "./actor-persistence.js";
import { SlotChanges } from "./slot-changes.js";
import { SlotCopies } from "./slot-copies.js";
import { fromHandoff, TakenSlot } from "./taken-slot.js";

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
  /** A read or write of the store failed (it is retried; a fenced write drops the actor's copy). */
  storeFailed(error: unknown, key: string): void;
  /** A replayed event was skipped: the actor's state already reflects it (its step did not run). */
  repeated?(env: Envelope): void;
  /** Called as a step starts running on an event (single-owner tests); optional. */
  applied?(env: Envelope): void;
  /**
   * Durable mode: runs between taking a copy of the states to write and writing them, so that the
   * outputs of every event a written state reflects are out first (a replay skips those events).
   */
  beforeWrite?(): Promise<boolean>;
  /** False while the node may not run steps (its lease ran out): queued events wait for `kick`. */
  mayRun?(): boolean;
  /** An actor finished what it had (a step or a load that was in flight, and its queue): a handoff waiting for its slot to be idle looks again. */
  actorIdle?(): void;
  /** An actor was evicted over the bound (the count of evictions still writing may have grown). */
  evicted?(): void;
}

/**
 * Runs the actors of one state partition on one node: activation on first event,
 * one event at a time per actor (also across async steps), an LRU bound on active
 * actors, and passivation of evicted actors into the state store.
 *
 * An evicted actor stays in `evicting` until its state is safely stored (or, with the memory store,
 * until it is idle): its key re-activates from there, never from a store that its write has not
 * reached yet. An actor never runs without the state it had: a failed load is retried while its
 * events wait, and a failed write keeps the actor (dirty) until a later write succeeds. Reads and
 * writes of the store, and the writes in flight, are {@link ActorPersistence}'s.
 */
export class ActorHost {
  private readonly active: ActiveActors;
  // Evicted actors not yet passive: busy, loading, queued, or their state not yet stored.
  private readonly evicting = new Map<string, Actor>();
  // Actors whose queued events wait for the node to run steps again.
  private readonly stalled = new Set<Actor>();
  /** Actors passivated so far. */
  passivations = 0;
  /** Actors activated so far. */
  activations = 0;
  /** Events applied so far. */
  applied = 0;
  /** Durable mode: replayed events skipped because the actor's state already reflected them. */
  repeatsSkipped = 0;
  private readonly persistence: ActorPersistence;
  // States pre-copied out of here, and staged here ahead of their actors.
  private readonly copies: SlotCopies;
  /** Pre-copy: per slot being copied, the keys whose state may have changed since its last copy. */
  readonly changes = new SlotChanges();
  // The class of this host's actors (their node id and the node's epoch on its prototype).
  private readonly HostActor: ReturnType<typeof Actor.of>;

  constructor(
    readonly partition: PartitionDef,
    private readonly ctx: ActorHostContext,
    maxActors: number,
  ) {
    this.active = new ActiveActors(maxActors, (actor) => this.passivate(actor));
    this.HostActor = Actor.of({ nodeId: ctx.nodeId, epoch: () => ctx.epoch() });
    this.persistence = new ActorPersistence(partition, {
      app: ctx.app,
      store: ctx.store,
      storeFailed: (err, key) => ctx.storeFailed(err, key),
      ...(ctx.beforeWrite ? { beforeWrite: () => ctx.beforeWrite!() } : {}),
      loaded: (a) => this.resume(a),
      settled: (a) => this.settle(a),
      stale: (a) => this.dropStale(a),
    });
    this.copies = new SlotCopies({
      app: ctx.app,
      partition: partition.name,
      store: ctx.store,
      inMemory: (slot) => this.inMemory(slot),
      install: (slot, actors) => this.install(slot, actors),
    });
  }

  /** Loads that failed (and were retried), writes that failed (and stay dirty), actors dropped as a stale owner's copy, and writes of states too large to store. */
  get storeStats(): ActorPersistence["stats"] {
    return this.persistence.stats;
  }

  /** Active actors. */
  get size(): number {
    return this.active.size;
  }

  /** Actors whose queued events wait for the node to run steps again (see `kick`). */
  get stalledCount(): number {
    return this.stalled.size;
  }

  /** Evicted actors not yet passive (work or a write in flight, or a write to retry). */
  get evictingCount(): number {
    return this.evicting.size;
  }

  /** Runs `env` on the actor of its key, now if the actor is idle, else after what is queued. */
  deliver(env: Envelope): void {
    const actor = this.active.use(env.key, env.slot) ?? this.activate(env.key, env.slot);
    if (actor.busy || actor.loading || actor.queue) {
      (actor.queue ??= []).push(env);
      return;
    }
    this.run(actor, env);
  }

  /** Runs the events that waited while the node could not run steps. */
  kick(): void {
    const stalled = [...this.stalled];
    this.stalled.clear();
    for (const a of stalled) this.resume(a);
  }

  /** True when no actor of `slot` has an event in flight or queued. */
  isSlotIdle(slot: number): boolean {
    for (const a of this.active.inSlot(slot)) if (a.busy || a.loading || a.queue) return false;
    for (const a of this.evicting.values()) if (a.slot === slot && (a.busy || a.loading || a.queue)) return false;
    return true;
  }

  /**
   * Removes every actor of `slot` (active, evicting, and with a store that keeps objects, stored) and
   * returns their states for its handoff, once the slot's writes in flight are done (so each carries
   * the revision its last write left). The slot must be idle. A store that encodes keeps the states
   * that are stored: only those not stored yet need to travel (`TakenSlot.all`).
   */
  async takeSlot(slot: number): Promise<TakenSlot> {
    const encodes = this.ctx.store.saveEncoded !== undefined;
    if (encodes) await this.persistence.flush([], slot, 1).catch(() => undefined); // a failed write leaves its actor dirty: it travels
    this.copies.drop(slot);
    const active = this.active.detachSlot(slot);
    // Marked now where a load or write could still look (stores that encode); else as they leave the ring.
    if (active && encodes) for (const a of active.values()) a.dropped = true;
    const evicted: Actor[] = [];
    for (const a of this.evicting.values()) if (a.slot === slot) evicted.push(a);
    for (const a of evicted) {
      this.evicting.delete(a.key);
      a.dropped = true;
    }
    const stored = await this.ctx.store.takeSlot(this.ctx.app, this.partition.name, slot);
    return new TakenSlot(active, evicted, stored, !encodes);
  }

  /**
   * Writes the state of every dirty actor of `slot` (or of all slots), evicted ones included, a bounded
   * number at a time. Resolves once these and every write already in flight (an earlier flush's, a
   * passivation's) are done: a handoff after it finds the store complete. Rejects if a write failed
   * (that actor stays dirty: the next flush writes it again).
   */
  flushDirty(slot?: number, concurrency = 256): Promise<number> {
    const dirty: Actor[] = [];
    const pick = (a: Actor) => {
      if (a.dirty && !a.dropped && (slot === undefined || a.slot === slot)) dirty.push(a);
    };
    for (const a of slot === undefined ? this.active.values() : this.active.inSlot(slot)) pick(a);
    for (const a of this.evicting.values()) pick(a);
    return this.persistence.flush(dirty, slot, concurrency);
  }

  /** Slots with actors whose state is not stored yet (dirty, or evicted with a write to retry). */
  dirtySlots(): Set<number> {
    const out = new Set<number>();
    for (const a of this.active.values()) if (a.dirty) out.add(a.slot);
    for (const a of this.evicting.values()) if (a.dirty) out.add(a.slot);
    return out;
  }

  // An evicted actor whose state is now stored (and that did nothing since) becomes passive.
  private settle(actor: Actor): void {
    // A write landed (or failed): the revision (or dirtiness) a pre-copy sent of it is out of date.
    this.changes.note(actor.slot, actor.key);
    if (!actor.evicted || actor.dirty || actor.unstorable || actor.busy || actor.loading || actor.queue || actor.writing) return;
    if (this.evicting.get(actor.key) === actor) this.evicting.delete(actor.key);
  }

  // The store holds a newer owner's state of this key: forget our copy; queued events reload it.
  private dropStale(actor: Actor): void {
    actor.dropped = true;
    if (this.evicting.get(actor.key) === actor) this.evicting.delete(actor.key);
    this.active.remove(actor);
    const queued = actor.queue;
    actor.queue = undefined;
    if (queued) for (const env of queued) this.deliver(env);
  }

  /** A pre-copy of `slot`'s states in memory (all, or those of `keys`): see {@link SlotCopies.copy}. */
  copyStates(slot: number, keys?: ReadonlySet<string>): { states: ActorHandoff[]; missing: string[] } {
    return this.copies.copy(slot, keys);
  }

  /** Takes the events queued (not yet started) in the actors of `slot`, per key in order, so that a slot being handed off runs nothing more here. */
  detachQueued(slot: number): Envelope[] {
    const out: Envelope[] = [];
    const take = (a: Actor) => {
      if (a.slot !== slot || !a.queue) return;
      out.push(...a.queue);
      a.queue = undefined;
    };
    for (const a of this.active.inSlot(slot)) take(a);
    for (const a of this.evicting.values()) take(a);
    return out;
  }

  /** Removes every actor of `slot` from memory without writing it (its state is already in the store). */
  dropSlot(slot: number): number {
    this.copies.drop(slot);
    // Marked at once: a write or load of theirs still in flight must not act on them.
    const actors = this.active.detachSlot(slot);
    if (actors) for (const a of actors.values()) a.dropped = true;
    for (const a of [...this.evicting.values()]) {
      if (a.slot !== slot) continue;
      a.dropped = true;
      this.evicting.delete(a.key);
    }
    return actors?.size ?? 0;
  }

  /** Installs pre-copied states of `slot` without activating them: see {@link SlotCopies.stage}. */
  installStored(slot: number, staged: StagedStates): void {
    this.copies.stage(slot, staged);
  }

  /** Installs actor states received in a handoff (they become active, LRU permitting). */
  install(slot: number, actors: readonly ActorHandoff[]): void {
    for (const h of actors) {
      const a = new this.HostActor(h.key, slot);
      fromHandoff(a, h, true);
      this.active.add(a);
    }
  }

  /** The state of `key` without activating it (active, passivating or stored), for inspection and tests. */
  peek(key: string, slot: number): unknown {
    const a = this.active.peek(key, slot) ?? this.evicting.get(key);
    if (a) return a.state;
    return this.ctx.store.load(this.ctx.app, this.partition.name, slot, key);
  }

  /** True when `key` has an actor in memory (active, or evicted with its write not yet done). */
  isActive(key: string, slot: number): boolean {
    return this.active.peek(key, slot) !== undefined || this.evicting.has(key);
  }

  /** Keys of active actors per slot (for /cluster and tests). */
  activeSlots(): Map<number, number> {
    return this.active.slotCounts();
  }

  /** Drops every actor without writing (used when a node stops or fences itself). */
  clear(): void {
    this.copies.clear();
    for (const a of this.active.values()) a.dropped = true;
    for (const a of this.evicting.values()) a.dropped = true;
    this.active.clear();
    this.evicting.clear();
    this.stalled.clear();
  }

  // The slot's actors in memory: active ones, then evicted ones not yet passive.
  private *inMemory(slot: number): Iterable<Actor> {
    yield* this.active.inSlot(slot);
    for (const a of this.evicting.values()) if (a.slot === slot) yield a;
  }

  private activate(key: string, slot: number): Actor {
    const back = this.evicting.get(key);
    if (back) {
      // Evicted but not passive yet (or its write still in flight): it comes back as it is.
      this.evicting.delete(key);
      back.evicted = false;
      this.active.add(back);
      return back;
    }
    const actor = new this.HostActor(key, slot);
    this.activations++;
    this.active.add(actor);
    const pre = this.copies.take(slot, key);
    // Pre-copied with its revision: as good as a read of the store, without one.
    if (pre) fromHandoff(actor, pre, false);
    else this.persistence.load(actor);
    return actor;
  }

  private run(actor: Actor, env: Envelope): void {
    // A step may change the state: a pre-copy of its slot sends it again (an async step's change is noted again as it ends).
    this.changes.note(actor.slot, actor.key);
    if (env.offset !== 0) {
      // Replayed from the event stream: the stored state already has it (exactly-once state effects).
      if (env.offset <= actor.seq) {
        this.repeatsSkipped++;
        this.ctx.repeated?.(env);
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
      this.awaitStep(actor, stage, env, out);
      return;
    }
    this.done(actor, stage, env, out);
  }

  // An async step: the actor is busy until it settles. (Its own method: closures in `run` would make
  // V8 allocate their context on every call, async step or not.)
  private awaitStep(actor: Actor, stage: StateStageDef, env: Envelope, out: Promise<unknown>): void {
    actor.busy = true;
    out.then(
      (o) => {
        this.changes.note(actor.slot, actor.key);
        this.done(actor, stage, env, o);
        actor.busy = false;
        this.resume(actor);
      },
      (err: unknown) => {
        this.changes.note(actor.slot, actor.key);
        if (env.offset > actor.doneSeq) actor.doneSeq = env.offset;
        this.ctx.stepFailed(stage, env, err);
        actor.busy = false;
        this.resume(actor);
      },
    );
  }

  private done(actor: Actor, stage: StateStageDef, env: Envelope, out: unknown): void {
    this.applied++;
    if (env.offset > actor.doneSeq) actor.doneSeq = env.offset;
    if (!actor.skipWrite) actor.dirty = true;
    if (out !== undefined) this.ctx.emit(stage, out, env);
  }

  private resume(actor: Actor): void {
    if (actor.dropped) return;
    while (actor.queue && !actor.busy && !actor.loading) {
      if (this.ctx.mayRun && !this.ctx.mayRun()) {
        this.stalled.add(actor);
        return;
      }
      const next = actor.queue.shift()!;
      if (actor.queue.length === 0) actor.queue = undefined;
      this.run(actor, next);
    }
    if (!actor.busy && !actor.loading && !actor.queue) this.ctx.actorIdle?.();
    if (actor.evicted && !actor.busy && !actor.loading && !actor.queue && this.evicting.get(actor.key) === actor) {
      if (actor.dirty) this.persist(actor);
      else this.settle(actor);
    }
  }

  private passivate(actor: Actor): void {
    actor.evicted = true;
    this.ctx.evicted?.();
    if (actor.busy || actor.loading || actor.queue) {
      this.evicting.set(actor.key, actor);
      return;
    }
    if (actor.dirty) this.persist(actor);
    // Clean, but its last write may still be on its way: kept until it lands (the store has it then).
    else if (actor.writing) this.evicting.set(actor.key, actor);
  }

  private persist(actor: Actor): void {
    this.passivations++;
    // Kept until the write lands: a re-activation takes it back instead of reading a store it has not
    // reached. A store that keeps objects (memory) has it at once.
    if (this.ctx.store.saveEncoded) this.evicting.set(actor.key, actor);
    else this.evicting.delete(actor.key);
    this.persistence.passivate(actor);
  }
}


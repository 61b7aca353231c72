import type { StepContext } from "../builder/specs.js";
import type { Envelope } from "../types.js";

/** What every actor of one host shares (one object per host, not a field per actor). */
export interface ActorScope {
  readonly nodeId: string;
  epoch(): number;
}

// Flag bits above the slot number (slots are at most 65536, see the builder) in `Actor.bits`.
const SLOT_MASK = 0x1ffff;
const BUSY = 1 << 17;
const LOADING = 1 << 18;
const EVICTED = 1 << 19;
const DIRTY = 1 << 20;
const SKIP_WRITE = 1 << 21;
const DROPPED = 1 << 22;
const UNSTORABLE = 1 << 23;
const REFERENCED = 1 << 24;

/** What most actors never need (a queue, store bookkeeping): allocated on first use, so an idle memory-mode actor does without. */
interface StoreMarks {
  queue: Envelope[] | undefined;
  seq: number;
  doneSeq: number;
  revision: number | undefined;
  writing: Promise<void> | undefined;
  loadTries: number;
}

/**
 * One virtual actor: a key's private state, its queue of pending events, and where its state stands
 * against the store. The host ({@link ActorHost}) moves it through its lifecycle (loading, running,
 * evicted, passive); {@link ActorPersistence} reads and writes its state; {@link ActiveActors} links it
 * into its recency list.
 *
 * There can be millions of these, so an actor is kept small: its flags and slot share one number,
 * what every actor of a host shares is on its class's prototype (`Actor.of`), and a queue and store
 * bookkeeping live in `marks`, made on first use. Accessors keep the fields readable as plain properties.
 */
export abstract class Actor implements StepContext {
  // `declare` and assignments in the constructor: class-field initializers define each property in
  // turn, a measurable cost when a flood of new keys activates an actor per event.
  declare readonly key: string;
  declare state: unknown;
  /** Neighbours in the active actors' ring (ActiveActors'). */
  declare newer: Actor | undefined;
  declare older: Actor | undefined;
  declare private bits: number;
  declare private marks: StoreMarks | undefined;

  constructor(key: string, slot: number) {
    this.key = key;
    this.state = undefined;
    this.newer = undefined;
    this.older = undefined;
    this.bits = slot;
    this.marks = undefined;
  }

  /** The actor class of one host: its node id and epoch come from `scope` through the prototype, not a field per actor. */
  static of(scope: ActorScope): new (key: string, slot: number) => Actor {
    return class HostActor extends Actor {
      get nodeId(): string {
        return scope.nodeId;
      }
      get epoch(): number {
        return scope.epoch();
      }
    };
  }

  abstract readonly nodeId: string;
  abstract readonly epoch: number;

  get slot(): number {
    return this.bits & SLOT_MASK;
  }
  unchanged(): void {
    this.skipWrite = true;
  }

  /** Used since the eviction hand last passed it (ActiveActors' CLOCK). */
  get referenced(): boolean {
    return (this.bits & REFERENCED) !== 0;
  }
  set referenced(v: boolean) {
    this.flag(REFERENCED, v);
  }
  /** A step (async) is running. */
  get busy(): boolean {
    return (this.bits & BUSY) !== 0;
  }
  set busy(v: boolean) {
    this.flag(BUSY, v);
  }
  /** Its state is being read from the store. */
  get loading(): boolean {
    return (this.bits & LOADING) !== 0;
  }
  set loading(v: boolean) {
    this.flag(LOADING, v);
  }
  /** Out of the active set (the LRU evicted it); passive once its state is stored. */
  get evicted(): boolean {
    return (this.bits & EVICTED) !== 0;
  }
  set evicted(v: boolean) {
    this.flag(EVICTED, v);
  }
  /** Changed since its state was last stored. */
  get dirty(): boolean {
    return (this.bits & DIRTY) !== 0;
  }
  set dirty(v: boolean) {
    this.flag(DIRTY, v);
  }
  /** The running step said it changed nothing (`unchanged()`). */
  get skipWrite(): boolean {
    return (this.bits & SKIP_WRITE) !== 0;
  }
  set skipWrite(v: boolean) {
    this.flag(SKIP_WRITE, v);
  }
  /** Dropped without writing (its slot left, the node fenced, or the store holds a newer owner's state): it never writes again. */
  get dropped(): boolean {
    return (this.bits & DROPPED) !== 0;
  }
  set dropped(v: boolean) {
    this.flag(DROPPED, v);
  }
  /** Its state is too large for the store: kept in memory (never passive) until a write succeeds. */
  get unstorable(): boolean {
    return (this.bits & UNSTORABLE) !== 0;
  }
  set unstorable(v: boolean) {
    this.flag(UNSTORABLE, v);
  }

  /** Events waiting for the one running (or the state loading); undefined when none (rare: kept with the marks). */
  get queue(): Envelope[] | undefined {
    return this.marks?.queue;
  }
  set queue(v: Envelope[] | undefined) {
    if (this.marks || v !== undefined) this.store().queue = v;
  }
  /** Durable mode: the offset of the last stream event started (events at or below it are repeats). */
  get seq(): number {
    return this.marks?.seq ?? 0;
  }
  set seq(v: number) {
    if (this.marks || v !== 0) this.store().seq = v;
  }
  /** ... and of the last one finished: what a stored state reflects. */
  get doneSeq(): number {
    return this.marks?.doneSeq ?? 0;
  }
  set doneSeq(v: number) {
    if (this.marks || v !== 0) this.store().doneSeq = v;
  }
  /** The store's revision of this key as last read or written (undefined: never read, so it must not exist). */
  get revision(): number | undefined {
    return this.marks?.revision;
  }
  set revision(v: number | undefined) {
    if (this.marks || v !== undefined) this.store().revision = v;
  }
  /** The last write of this actor in flight: its writes run one after another, each on the revision the last left. */
  get writing(): Promise<void> | undefined {
    return this.marks?.writing;
  }
  set writing(v: Promise<void> | undefined) {
    if (this.marks || v !== undefined) this.store().writing = v;
  }
  /** Failed loads in a row (retried with backoff while its events wait). */
  get loadTries(): number {
    return this.marks?.loadTries ?? 0;
  }
  set loadTries(v: number) {
    if (this.marks || v !== 0) this.store().loadTries = v;
  }

  private flag(bit: number, on: boolean): void {
    this.bits = on ? this.bits | bit : this.bits & ~bit;
  }

  private store(): StoreMarks {
    return (this.marks ??= { queue: undefined, seq: 0, doneSeq: 0, revision: undefined, writing: undefined, loadTries: 0 });
  }
}

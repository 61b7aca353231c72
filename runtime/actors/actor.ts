import type { StepContext } from "../builder/specs.js";
import type { Envelope } from "../types.js";

/**
 * One virtual actor: a key's private state, its queue of pending events, and where its state stands
 * against the store. The host ({@link ActorHost}) moves it through its lifecycle (loading, running,
 * evicted, passive); {@link ActorPersistence} reads and writes its state.
 */
export class Actor implements StepContext {
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
  /** The store's revision of this key as last read or written (undefined: never read, so it must not exist). */
  revision: number | undefined = undefined;
  /** The last write of this actor in flight: its writes run one after another, each on the revision the last left. */
  writing: Promise<void> | undefined = undefined;
  /** Dropped without writing (its slot left, the node fenced, or the store holds a newer owner's state): it never writes again. */
  dropped = false;
  /** Failed loads in a row (retried with backoff while its events wait). */
  loadTries = 0;
  /** Its state is too large for the store: kept in memory (never passive) until a write succeeds. */
  unstorable = false;
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

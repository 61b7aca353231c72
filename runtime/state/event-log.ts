import type { Envelope } from "../types.js";
import type { WireContext } from "../transport/transport.js";

/** Reads an app's event stream until closed. */
export interface StreamReader {
  close(): void;
}

/** One slot of one app's state partition. */
export interface SlotRef {
  readonly app: string;
  readonly partition: number;
  readonly slot: number;
}

/**
 * What an append reports, once: stored (`err` undefined) or failed, with the event, its `clientSeq`
 * and the caller's `tag` handed back, so a caller passes one function for every event (no closure each).
 */
export type AppendDone = (err: Error | undefined, env: Envelope, clientSeq: number, tag: unknown) => void;

/** Appends one producer's events (a source connection's, or a node's own) in order, each once. */
export interface LogProducer {
  /**
   * Appends `env`; `done` runs once it is stored (or with the error), given `env`, `clientSeq` and `tag`. `clientSeq` is the frame number
   * of an acknowledged client (0 otherwise): a frame an earlier connection of the client already
   * stored completes at once and is not stored again. An event that cannot be stored even alone (over
   * the server's max payload) fails with `EventTooLargeError`: no retry can succeed.
   */
  append(env: Envelope, clientSeq: number, done: AppendDone, tag?: unknown): void;
  /** No more appends: released once what it holds is stored. */
  close(): void;
}

/** One stream message as a reader sees it: where each event goes, and the event itself decoded on demand. */
export interface EventBatchView {
  readonly stages: readonly number[];
  readonly slots: readonly number[];
  /** Decodes event `i` (readers decode only the events of slots they own). */
  event(i: number): Envelope;
}

/** Events per stream message at most (an event's offset is `sequence * 2^16 + index`); the server's max payload bounds its bytes too. */
export const MAX_BATCH_EVENTS = 4096;
/** Offsets of the events of stream message `seq` lie in [seq * OFFSET_SCALE, seq * OFFSET_SCALE + MAX_BATCH_EVENTS). */
export const OFFSET_SCALE = 65_536;

/**
 * The durable log of accepted events (durable mode): an ordered stream per app. Producers append
 * batches; every node reads the whole stream and runs the events of the slots it owns.
 */
export interface EventLog {
  readonly kind: "jetstream";
  /** Creates (or checks) the streams and checkpoint buckets of `apps`. */
  open(apps: readonly string[], wire: WireContext): Promise<void>;
  /** A producer for `app`: `id` names it (stable for an acknowledged client, unique otherwise). */
  producer(app: string, id: string, acked: boolean): LogProducer;
  /** Events appended and not yet stored. */
  pending(): number;
  /** Bytes of the events appended and not yet stored. */
  pendingBytes(): number;
  /** Delivers the app's stream from sequence `from` on, one message (batch) at a time, in order, until closed. */
  read(app: string, from: number, onBatch: (seq: number, batch: EventBatchView) => void, onError: (err: Error) => void): StreamReader;
  /** A slot's checkpoint offset (0 when it has none): every event of the slot at or below it is in the stored actor states. */
  checkpoint(ref: SlotRef): Promise<number>;
  /** Records a slot's checkpoint offset. */
  saveCheckpoint(ref: SlotRef, offset: number, epoch: number, nodeId: string): Promise<void>;
  /** Every slot checkpoint of an app, by `<partition>.<slot>`. */
  checkpoints(app: string): Promise<Map<string, number>>;
  /** Removes the app's stream messages below sequence `seq` (retention). Returns how many. */
  trim(app: string, seq: number): Promise<number>;
  /** Counters for /cluster and metrics. */
  readonly stats: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

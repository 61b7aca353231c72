import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { EventLogError } from "../errors.js";
import type { EventBatchView, StreamReader } from "../state/event-log.js";
import { decodeEventBatch } from "../wire/event-batch-decode.js";
import type { EventLogStats, LastBatch } from "./event-log-shared.js";
import { isApiError, NO_MESSAGE_FOUND } from "./jetstream-codes.js";

/** One app's event stream, as its readers see it. */
export interface EventStreamRef {
  readonly app: string;
  readonly stream: string;
  /** The subjects of every producer of the app. */
  readonly subjects: string;
}

/**
 * Delivers `ref`'s stream from sequence `from` on, one message (batch) at a time, in order, until
 * closed: one ordered push consumer per app (a consumer per slot costs the server a filter check per
 * consumer per message). A batch that does not decode is counted, logged and skipped.
 */
export function readEventStream(
  js: JetStreamClient,
  ref: EventStreamRef,
  from: number,
  onBatch: (seq: number, batch: EventBatchView) => void,
  onError: (err: Error) => void,
  stats: EventLogStats,
  warn: (fields: Record<string, unknown>, msg: string) => void,
): StreamReader {
  let closed = false;
  let stop: (() => void) | undefined;
  const start = async () => {
    const consumer = await js.consumers.getPushConsumer(ref.stream, {
      filter_subjects: ref.subjects,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(1, from),
    });
    const messages = await consumer.consume({
      callback: (m) => {
        if (closed) return;
        let batch: EventBatchView;
        try {
          const b = decodeEventBatch(m.data);
          if (b.stages.length !== b.count || b.slots.length !== b.count) throw new Error("stages, slots and events differ in length");
          batch = b;
        } catch (err) {
          stats.malformed++;
          warn({ err: (err as Error).message, seq: m.seq, subject: m.subject }, "malformed batch in the event stream; skipped");
          return;
        }
        stats.batchesRead++;
        stats.eventsRead += batch.stages.length;
        onBatch(m.seq, batch);
      },
    });
    stop = () => {
      void messages.close().catch(() => undefined);
    };
    if (closed) stop();
  };
  start().catch((err: unknown) => {
    if (!closed) onError(new EventLogError(`cannot read the event stream of ${ref.app}: ${(err as Error).message}`, { cause: err }));
  });
  return {
    close: () => {
      closed = true;
      stop?.();
    },
  };
}

/** The last batch stored on `subject` of `stream`, or undefined when the subject has none. */
export async function lastBatch(jsm: JetStreamManager, stream: string, subject: string): Promise<LastBatch | undefined> {
  try {
    const m = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    if (!m) return undefined;
    const b = decodeEventBatch(m.data);
    return { seq: m.seq, clientLastSeq: b.clientLastSeq, batchId: b.batchId, count: b.count };
  } catch (err) {
    // nats.js answers "no message" with null already; this keeps that true whichever way it reports it.
    if (isApiError(err, NO_MESSAGE_FOUND)) return undefined;
    throw err;
  }
}

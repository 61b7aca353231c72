import type { Envelope } from "../types.js";
import { EVENT_LOG_LOOKUP_RETRY_MAX_MS, EVENT_LOG_LOOKUP_RETRY_MIN_MS } from "../defaults.js";
import { EventLogError, EventTooLargeError } from "../errors.js";
import { MAX_BATCH_EVENTS, type AppendDone, type LogProducer } from "../state/event-log.js";
import type { WireContext } from "../transport/transport.js";
import { backoffPolicy, retry } from "../util/backoff.js";
import { envelopeCodec, eventBatchCodec, type WireEnvelope } from "../wire/messages.js";
import type { Backlog, EventLogStats, LastBatch } from "./event-log-shared.js";
import { isWrongLastSequence, PAYLOAD_TOO_LARGE } from "./jetstream-codes.js";
import type { JetStreamPublishError, JetStreamPublisher, PublishListener } from "./jetstream-publisher.js";

/** What the producers of one event log share. */
export interface ProducerContext {
  readonly wire: WireContext | undefined;
  /** Publishes batches, sending a batch again while its answer is late. */
  readonly publisher: JetStreamPublisher;
  readonly stats: EventLogStats;
  readonly backlog: Backlog;
  /** True once the log is closed: answers and lookups are ignored from then on. */
  readonly closed: boolean;
  /** The last batch stored on `subject`, if any. */
  lastBatch(app: string, subject: string): Promise<LastBatch | undefined>;
  /** Logs a warning, at most a few per second. */
  warnLimited(fields: Record<string, unknown>, msg: string): void;
}

interface Item {
  readonly env: Envelope;
  readonly clientSeq: number;
  readonly done: AppendDone;
  readonly tag: unknown;
  /** The event encoded (once, when appended: its size decides which batch it fits in). */
  readonly bytes: Uint8Array;
}

// Tells an item's appender what became of it.
function report(it: Item, err: Error | undefined): void {
  it.done(err, it.env, it.clientSeq, it.tag);
}

interface Inflight {
  readonly items: Item[];
  readonly bytes: Uint8Array;
  readonly batchId: number;
  readonly clientLast: number;
}

// What an EventBatch adds per event (the event's tag and length, its stage and slot varints) and
// once (client_last_seq, batch_id, the packed fields' tags and lengths), with room to spare.
const EVENT_OVERHEAD = 16;
const BATCH_OVERHEAD = 64;
// Reading a subject's last batch failed (JetStream away): try again, further apart each time.
const LOOKUP_RETRY = backoffPolicy({ minMs: EVENT_LOG_LOOKUP_RETRY_MIN_MS, maxMs: EVENT_LOG_LOOKUP_RETRY_MAX_MS, jitter: 0.5 });

/**
 * One producer's events on its own subject. One batch is in flight at a time, published on the
 * condition that the subject's last sequence is the one this producer last stored: a batch sent
 * again (its answer late) that was stored already, or a second writer for the same client, is
 * refused by JetStream instead of stored twice or out of order; the producer then reads the
 * subject's last batch and goes on from there. A batch holds at most `MAX_BATCH_EVENTS` events and
 * fits the server's max payload; an event that cannot fit even alone fails its append with
 * `EventTooLargeError` (it can never be stored, so it is never retried).
 */
export class EventLogProducer implements LogProducer, PublishListener {
  private queue: Item[] = [];
  private inflight: Inflight | undefined;
  private last = 0;
  private lastClient = 0;
  private ready = false;
  private batches = 0;
  private scheduled = false;
  // Bytes a batch of several events may hold after nats.js refused one as over the max payload (halved each time).
  private cap = Infinity;

  constructor(
    private readonly ctx: ProducerContext,
    readonly app: string,
    readonly subject: string,
    readonly acked: boolean,
  ) {
    // A fresh subject needs no lookup; an acknowledged client's may hold its earlier batches.
    if (acked) this.lookup();
    else this.ready = true;
  }

  append(env: Envelope, clientSeq: number, done: AppendDone, tag?: unknown): void {
    if (this.ready && clientSeq > 0 && clientSeq <= this.lastClient) {
      done(undefined, env, clientSeq, tag); // stored by an earlier connection of this client
      return;
    }
    // An envelope with its input encoded (or a source frame's range) is its wire form already, as in
    // the transport: no copy made.
    if (env.payload === undefined && env.frame === undefined) env.payload = this.ctx.wire!.payloadOf(env);
    const bytes = envelopeCodec.encode(env as WireEnvelope);
    // Its decoded input is not needed again here (`done` reports with the envelope's bytes): let it die
    // young, not live until the batch is stored (as for the transport's unacknowledged batches).
    env.value = undefined;
    const it: Item = { env, clientSeq, done, tag, bytes };
    if (bytes.length + EVENT_OVERHEAD > this.capacity()) {
      this.tooLarge(it);
      return;
    }
    this.queue.push(it);
    this.ctx.backlog.events++;
    this.ctx.backlog.bytes += bytes.length;
    this.schedule();
  }

  /** Nothing to release: what it holds goes out all the same, and then nothing refers to it. */
  close(): void {}

  /** The answer to batch `batchId` (of whichever of its tries JetStream answered first). */
  published(batchId: number, err: JetStreamPublishError | undefined, seq: number): void {
    const f = this.inflight;
    if (!f || f.batchId !== batchId || this.ctx.closed) return;
    if (!err) {
      if (seq > 0) this.last = seq;
      if (f.clientLast > this.lastClient) this.lastClient = f.clientLast;
      this.settle(f, undefined);
    } else if (isWrongLastSequence(err.code)) {
      this.inflight = undefined;
      this.queue = f.items.concat(this.queue);
      this.ready = false;
      this.lookup(f.batchId);
    } else if (err.code === PAYLOAD_TOO_LARGE) this.oversized(f, err.maybeStored);
    else this.settle(f, new EventLogError(`JetStream refused a batch of ${f.items.length} events: ${err.message}`, { cause: err }));
  }

  // Bytes of events (each with its EVENT_OVERHEAD) one event log message can hold now.
  private capacity(): number {
    return this.ctx.publisher.budget.bytes() - BATCH_OVERHEAD;
  }

  private tooLarge(it: Item): void {
    this.ctx.stats.tooLarge++;
    const max = this.capacity() - EVENT_OVERHEAD;
    const err = new EventTooLargeError(`an event of ${it.bytes.length} bytes cannot be stored in the event log: one stream message holds at most ${max} bytes of event (NATS max_payload ${this.ctx.publisher.budget.maxPayload()})`);
    report(it, err);
  }

  // Takes one queued event off the backlog (it is stored, failed, or found stored already).
  private unqueued(it: Item): void {
    this.ctx.backlog.events--;
    this.ctx.backlog.bytes -= it.bytes.length;
  }

  private settle(f: Inflight, err: Error | undefined): void {
    this.inflight = undefined;
    for (const it of f.items) this.unqueued(it);
    const stats = this.ctx.stats;
    if (err) stats.appendFailed += f.items.length;
    else {
      stats.appended += f.items.length;
      stats.batches++;
    }
    for (const it of f.items) report(it, err);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inflight || !this.ready || this.queue.length === 0) return;
    this.scheduled = true;
    // One turn of the event loop gathers what the sources read into one batch.
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  private send(): void {
    if (this.inflight || !this.ready || this.queue.length === 0 || this.ctx.closed) return;
    const q = this.queue;
    const capacity = this.capacity();
    const limit = Math.min(capacity, this.cap);
    const items: Item[] = [];
    let bytes = 0;
    let i = 0;
    for (; i < q.length && items.length < MAX_BATCH_EVENTS; i++) {
      const it = q[i]!;
      if (this.lastClient > 0 && it.clientSeq > 0 && it.clientSeq <= this.lastClient) {
        // A frame queued before a lookup found it stored already.
        this.unqueued(it);
        this.ctx.stats.alreadyStored++;
        report(it, undefined);
        continue;
      }
      const size = it.bytes.length + EVENT_OVERHEAD;
      if (size > capacity) {
        // The server's limit fell after it was appended: it can never be stored now.
        this.unqueued(it);
        this.tooLarge(it);
        continue;
      }
      if (items.length > 0 && bytes + size > limit) break;
      items.push(it);
      bytes += size;
    }
    this.queue = i >= q.length ? [] : q.slice(i);
    if (items.length === 0) {
      this.schedule();
      return;
    }
    let clientLast = 0;
    for (const it of items) if (it.clientSeq > clientLast) clientLast = it.clientSeq;
    const batchId = ++this.batches;
    const batch = eventBatchCodec.encode({
      events: items.map((it) => it.bytes),
      clientLastSeq: clientLast,
      batchId,
      stages: items.map((it) => it.env.stage),
      slots: items.map((it) => it.env.slot),
    });
    this.inflight = { items, bytes: batch, batchId, clientLast };
    this.ctx.publisher.send(this.subject, batch, this.last, this, batchId);
  }

  // The batch is over the max payload (the server's limit fell after it was sized): never published
  // again as it is; its events go back to the queue and out in smaller batches.
  private oversized(f: Inflight, maybeStored: boolean): void {
    this.ctx.stats.oversizedBatches++;
    this.ctx.warnLimited({ subject: this.subject, bytes: f.bytes.length, events: f.items.length, maxPayload: this.ctx.publisher.budget.maxPayload() }, "event batch over the server's max payload; sending its events in smaller batches");
    this.inflight = undefined;
    if (!maybeStored && f.items.length === 1) {
      // Alone and never published: it can never be stored.
      this.unqueued(f.items[0]!);
      this.tooLarge(f.items[0]!);
      this.schedule();
      return;
    }
    this.cap = Math.max(1, Math.floor(f.bytes.length / 2));
    this.queue = f.items.concat(this.queue);
    if (!maybeStored) {
      this.schedule(); // never published: nothing of it can be stored
      return;
    }
    // An earlier try may have been stored (its answer lost): find out as after a failed condition.
    this.ready = false;
    this.lookup(f.batchId);
  }

  // Reads the subject's last batch: where this producer goes on from, and whether `ours` got stored.
  private lookup(ours?: number): void {
    retry(() => this.ctx.lastBatch(this.app, this.subject), LOOKUP_RETRY, {
      giveUp: () => this.ctx.closed,
      onRetry: (err, failures, delayMs) => this.ctx.warnLimited({ err: (err as Error).message, subject: this.subject, failures, delayMs: Math.round(delayMs) }, "cannot read a producer's last batch; retrying"),
    }).then(
      (found) => {
        if (this.ctx.closed) return;
        this.last = found?.seq ?? 0;
        if (found && this.acked && found.clientLastSeq > this.lastClient) this.lastClient = found.clientLastSeq;
        if (found && ours !== undefined && !this.acked && found.batchId === ours) {
          // Our batch was stored (its first answer was lost): it is the queue's head.
          const stored = this.queue.splice(0, found.count);
          for (const it of stored) this.unqueued(it);
          this.ctx.stats.appended += stored.length;
          for (const it of stored) report(it, undefined);
        }
        this.ready = true;
        this.schedule();
      },
      () => undefined, // the log closed while it retried
    );
  }
}

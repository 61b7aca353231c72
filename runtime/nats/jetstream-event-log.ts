import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { DeliverPolicy, DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { Envelope } from "../types.js";
import { DEFAULT_APPEND_RETRY_MS } from "../defaults.js";
import { EventLogError, EventTooLargeError } from "../errors.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import { MAX_BATCH_EVENTS, type EventBatchView, type EventLog, type LogProducer, type SlotRef, type StreamReader } from "../state/event-log.js";
import type { WireContext } from "../transport/transport.js";
import { envelopeFromWire, envelopeToWire } from "../wire/envelope-wire.js";
import { envelopeCodec, eventBatchCodec, slotCheckpointCodec } from "../wire/messages.js";
import { ensureStream } from "./ensure-stream.js";
import { isMaxPayloadError, PayloadBudget } from "./max-payload.js";
import { eventStream, eventStreamSubjects, eventSubject, offsetBucket } from "./subjects.js";

/** Options of the JetStream event log. */
export interface JetStreamEventLogOptions {
  readonly nc: NatsConnection;
  readonly cluster: string;
  readonly logger: Logger;
  readonly replicas?: number;
  readonly retryMs?: number;
}

interface Item {
  readonly env: Envelope;
  readonly clientSeq: number;
  readonly done: (err: Error | undefined) => void;
  /** The event encoded (once, when appended: its size decides which batch it fits in). */
  readonly bytes: Uint8Array;
}

interface Inflight {
  readonly items: Item[];
  readonly bytes: Uint8Array;
  readonly batchId: number;
  readonly clientLast: number;
  sentAt: number;
  tries: number;
}

const WRONG_LAST_SEQUENCE = 10071;
// What an EventBatch adds per event (the event's tag and length, its stage and slot varints) and
// once (client_last_seq, batch_id, the packed fields' tags and lengths), with room to spare.
const EVENT_OVERHEAD = 16;
const BATCH_OVERHEAD = 64;

/**
 * One producer's events on its own subject. One batch is in flight at a time, published on the
 * condition that the subject's last sequence is the one this producer last stored
 * (`Nats-Expected-Last-Subject-Sequence`): a retried batch that was stored already, or a second
 * writer for the same client, is refused by JetStream instead of stored twice or out of order;
 * the producer then reads the subject's last batch and goes on from there. A batch holds at most
 * `MAX_BATCH_EVENTS` events and fits the server's max payload; an event that cannot fit even alone
 * fails its append with `EventTooLargeError` (it can never be stored, so it is never retried).
 */
class Producer implements LogProducer {
  private queue: Item[] = [];
  private inflight: Inflight | undefined;
  private last = 0;
  private lastClient = 0;
  private ready = false;
  private batches = 0;
  private scheduled = false;
  private closed = false;
  // Bytes a batch of several events may hold after nats.js refused one as over the max payload (halved each time).
  private cap = Infinity;

  constructor(
    private readonly log: JetStreamEventLog,
    readonly app: string,
    readonly subject: string,
    readonly acked: boolean,
    readonly no: number,
  ) {
    // A fresh subject needs no lookup; an acknowledged client's may hold its earlier batches.
    if (acked) this.lookup();
    else this.ready = true;
  }

  append(env: Envelope, clientSeq: number, done: (err: Error | undefined) => void): void {
    if (this.ready && clientSeq > 0 && clientSeq <= this.lastClient) {
      done(undefined); // stored by an earlier connection of this client
      return;
    }
    const bytes = envelopeCodec.encode(envelopeToWire(env, this.log.wire!));
    if (bytes.length + EVENT_OVERHEAD > this.capacity()) {
      this.tooLarge(bytes.length, done);
      return;
    }
    this.queue.push({ env, clientSeq, done, bytes });
    this.log.pendingCount++;
    this.log.pendingByteCount += bytes.length;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.release();
  }

  private release(): void {
    if (this.closed && !this.inflight && this.queue.length === 0) this.log.forget(this.no);
  }

  /** The PubAck (or error) of try `attempt` of batch `batchId`. */
  onAck(batchId: number, ack: { seq?: number; error?: { code?: number; err_code?: number; description?: string } }): void {
    const f = this.inflight;
    if (!f || f.batchId !== batchId) return; // a repeat's answer, after an earlier try settled the batch
    if (ack.error) {
      if (ack.error.err_code === WRONG_LAST_SEQUENCE) {
        this.inflight = undefined;
        this.queue = f.items.concat(this.queue);
        this.ready = false;
        this.lookup(f.batchId);
        return;
      }
      this.settle(f, new EventLogError(`JetStream refused a batch of ${f.items.length} events: ${ack.error.description ?? "unknown error"}`));
      return;
    }
    this.last = ack.seq ?? this.last;
    if (f.clientLast > this.lastClient) this.lastClient = f.clientLast;
    this.settle(f, undefined);
  }

  // Bytes of events (each with its EVENT_OVERHEAD) one event log message can hold now.
  private capacity(): number {
    return this.log.budget.bytes() - BATCH_OVERHEAD;
  }

  private tooLarge(bytes: number, done: (err: Error | undefined) => void): void {
    this.log.stats.tooLarge++;
    const max = this.capacity() - EVENT_OVERHEAD;
    done(new EventTooLargeError(`an event of ${bytes} bytes cannot be stored in the event log: one stream message holds at most ${max} bytes of event (NATS max_payload ${this.log.budget.maxPayload()})`));
  }

  /** Publishes the batch in flight again when its answer is late (same condition: stored at most once). */
  retry(now: number, retryMs: number): void {
    const f = this.inflight;
    if (!f || now - f.sentAt < retryMs) return;
    f.tries++;
    this.log.stats.republished++;
    this.publish(f);
  }

  private settle(f: Inflight, err: Error | undefined): void {
    this.inflight = undefined;
    this.log.pendingCount -= f.items.length;
    for (const it of f.items) this.log.pendingByteCount -= it.bytes.length;
    if (err) this.log.stats.appendFailed += f.items.length;
    else {
      this.log.stats.appended += f.items.length;
      this.log.stats.batches++;
    }
    for (const it of f.items) it.done(err);
    this.schedule();
    this.release();
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
    if (this.inflight || !this.ready || this.queue.length === 0) return;
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
        this.log.pendingCount--;
        this.log.pendingByteCount -= it.bytes.length;
        this.log.stats.alreadyStored++;
        it.done(undefined);
        continue;
      }
      const size = it.bytes.length + EVENT_OVERHEAD;
      if (size > capacity) {
        // The server's limit fell after it was appended: it can never be stored now.
        this.log.pendingCount--;
        this.log.pendingByteCount -= it.bytes.length;
        this.tooLarge(it.bytes.length, it.done);
        continue;
      }
      if (items.length > 0 && bytes + size > limit) break;
      items.push(it);
      bytes += size;
    }
    this.queue = i >= q.length ? [] : q.slice(i);
    if (items.length === 0) {
      this.schedule();
      this.release();
      return;
    }
    let clientLast = 0;
    for (const it of items) if (it.clientSeq > clientLast) clientLast = it.clientSeq;
    const batchId = ++this.batches;
    const f: Inflight = {
      items,
      bytes: eventBatchCodec.encode({
        events: items.map((it) => it.bytes),
        clientLastSeq: clientLast,
        batchId,
        stages: items.map((it) => it.env.stage),
        slots: items.map((it) => it.env.slot),
      }),
      batchId,
      clientLast,
      sentAt: 0,
      tries: 1,
    };
    this.inflight = f;
    this.publish(f);
  }

  private publish(f: Inflight): void {
    f.sentAt = Date.now();
    const h = headers();
    h.set("Nats-Expected-Last-Subject-Sequence", String(this.last));
    try {
      this.log.nc.publish(this.subject, f.bytes, { reply: `${this.log.inbox}.${this.no}.${f.batchId}`, headers: h });
    } catch (err) {
      if (isMaxPayloadError(err)) this.oversized(f);
      // Otherwise closed or reconnecting: the retry timer publishes it again.
    }
  }

  // nats.js refused the batch as over the max payload (the server's limit fell after it was sized):
  // never published again as it is; its events go back to the queue and out in smaller batches.
  private oversized(f: Inflight): void {
    this.log.stats.oversizedBatches++;
    this.log.warnLimited({ subject: this.subject, bytes: f.bytes.length, events: f.items.length, maxPayload: this.log.budget.maxPayload() }, "event batch over the server's max payload; sending its events in smaller batches");
    this.inflight = undefined;
    if (f.tries === 1 && f.items.length === 1) {
      // Alone and never published: it can never be stored.
      this.log.pendingCount--;
      this.log.pendingByteCount -= f.items[0]!.bytes.length;
      this.tooLarge(f.items[0]!.bytes.length, f.items[0]!.done);
      this.schedule();
      this.release();
      return;
    }
    this.cap = Math.max(1, Math.floor(f.bytes.length / 2));
    this.queue = f.items.concat(this.queue);
    if (f.tries === 1) {
      this.schedule(); // never published: nothing of it can be stored
      return;
    }
    // An earlier try may have been stored (its answer lost): find out as after a failed condition.
    this.ready = false;
    this.lookup(f.batchId);
  }

  // Reads the subject's last batch: where this producer goes on from, and whether `ours` got stored.
  private lookup(ours?: number): void {
    this.log
      .lastBatch(this.app, this.subject)
      .then((found) => {
        this.last = found?.seq ?? 0;
        if (found && this.acked && found.clientLastSeq > this.lastClient) this.lastClient = found.clientLastSeq;
        if (found && ours !== undefined && !this.acked && found.batchId === ours) {
          // Our batch was stored (its first answer was lost): it is the queue's head.
          const stored = this.queue.splice(0, found.count);
          this.log.pendingCount -= stored.length;
          for (const it of stored) this.log.pendingByteCount -= it.bytes.length;
          this.log.stats.appended += stored.length;
          for (const it of stored) it.done(undefined);
        }
        this.ready = true;
        this.schedule();
      })
      .catch((err: unknown) => {
        this.log.warnLimited({ err: (err as Error).message, subject: this.subject }, "cannot read a producer's last batch; retrying");
        setTimeout(() => this.lookup(ours), 500);
      });
  }
}

/**
 * The durable event log on JetStream: a stream per app (file storage), a subject per producer,
 * batches of events per message. Every node reads the whole stream with one ordered consumer per
 * app (a consumer per slot costs the server a filter check per consumer per message).
 */
export class JetStreamEventLog implements EventLog {
  readonly kind = "jetstream" as const;
  readonly nc: NatsConnection;
  readonly inbox = createInbox();
  wire: WireContext | undefined;
  pendingCount = 0;
  /** Bytes of the events appended and not yet stored. */
  pendingByteCount = 0;
  /** How large one event log message may be on this connection. */
  readonly budget: PayloadBudget;
  private jsm: JetStreamManager | undefined;
  private js: JetStreamClient | undefined;
  private readonly offsets = new Map<string, KV>();
  private readonly producers = new Map<number, Producer>();
  private nextProducer = 1;
  private sub: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly retryMs: number;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);
  /** Counters (plain numbers, read by metrics and /cluster). */
  readonly stats = {
    appended: 0,
    batches: 0,
    alreadyStored: 0,
    republished: 0,
    appendFailed: 0,
    batchesRead: 0,
    eventsRead: 0,
    malformed: 0,
    checkpoints: 0,
    trims: 0,
    trimmed: 0,
    /** Events refused because even alone they are over the max payload (each one a `too_large` dead letter). */
    tooLarge: 0,
    /** Batches nats.js refused as over the max payload (their events went out again in smaller batches). */
    oversizedBatches: 0,
  };

  constructor(private readonly options: JetStreamEventLogOptions) {
    this.nc = options.nc;
    this.budget = new PayloadBudget(options.nc);
    this.retryMs = options.retryMs ?? DEFAULT_APPEND_RETRY_MS;
    this.log = options.logger.child({ component: "event-log" });
  }

  async open(apps: readonly string[], wire: WireContext): Promise<void> {
    this.wire = wire;
    const { nc, cluster } = this.options;
    try {
      this.jsm = await jetstreamManager(nc);
      this.js = jetstream(nc);
      for (const app of apps) {
        await ensureStream(this.jsm, {
          name: eventStream(cluster, app),
          subjects: [eventStreamSubjects(cluster, app)],
          storage: StorageType.File,
          retention: RetentionPolicy.Limits,
          discard: DiscardPolicy.Old,
          num_replicas: this.options.replicas ?? 1,
        });
        this.offsets.set(app, await new Kvm(nc).create(offsetBucket(cluster, app), { history: 1, replicas: this.options.replicas ?? 1 }));
      }
    } catch (err) {
      throw new EventLogError(`cannot open the durable event streams: ${(err as Error).message}. Durable mode needs JetStream (nats-server -js)`, { cause: err });
    }
    this.sub = nc.subscribe(`${this.inbox}.*.*`, { callback: (_err, msg) => this.onPubAck(msg) });
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const p of this.producers.values()) p.retry(now, this.retryMs);
    }, Math.max(50, this.retryMs / 4));
    this.timer.unref();
  }

  producer(app: string, id: string, acked: boolean): LogProducer {
    const no = this.nextProducer++;
    const p = new Producer(this, app, eventSubject(this.options.cluster, app, id), acked, no);
    this.producers.set(no, p);
    return p;
  }

  pending(): number {
    return this.pendingCount;
  }

  pendingBytes(): number {
    return this.pendingByteCount;
  }

  /** Drops a closed producer that holds nothing. */
  forget(no: number): void {
    this.producers.delete(no);
  }

  read(app: string, from: number, onBatch: (seq: number, batch: EventBatchView) => void, onError: (err: Error) => void): StreamReader {
    let closed = false;
    let stop: (() => void) | undefined;
    const start = async () => {
      const consumer = await this.js!.consumers.getPushConsumer(eventStream(this.options.cluster, app), {
        filter_subjects: eventStreamSubjects(this.options.cluster, app),
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: Math.max(1, from),
      });
      const messages = await consumer.consume({
        callback: (m) => {
          if (closed) return;
          let batch: EventBatchView;
          try {
            const b = eventBatchCodec.decode(m.data);
            if (b.stages.length !== b.events.length || b.slots.length !== b.events.length) throw new Error("stages, slots and events differ in length");
            batch = { stages: b.stages, slots: b.slots, event: (i) => envelopeFromWire(envelopeCodec.decode(b.events[i]!)) };
          } catch (err) {
            this.stats.malformed++;
            this.warnLimited({ err: (err as Error).message, seq: m.seq, subject: m.subject }, "malformed batch in the event stream; skipped");
            return;
          }
          this.stats.batchesRead++;
          this.stats.eventsRead += batch.stages.length;
          onBatch(m.seq, batch);
        },
      });
      stop = () => {
        void messages.close().catch(() => undefined);
      };
      if (closed) stop();
    };
    start().catch((err: unknown) => {
      if (!closed) onError(new EventLogError(`cannot read the event stream of ${app}: ${(err as Error).message}`, { cause: err }));
    });
    return {
      close: () => {
        closed = true;
        stop?.();
      },
    };
  }

  async checkpoint(ref: SlotRef): Promise<number> {
    const e = await this.kv(ref.app).get(`${ref.partition}.${ref.slot}`);
    if (!e || e.operation !== "PUT") return 0;
    return slotCheckpointCodec.decode(e.value).seq;
  }

  async saveCheckpoint(ref: SlotRef, offset: number, epoch: number, nodeId: string): Promise<void> {
    await this.kv(ref.app).put(`${ref.partition}.${ref.slot}`, slotCheckpointCodec.encode({ seq: offset, ownerEpoch: epoch, nodeId }));
    this.stats.checkpoints++;
  }

  async checkpoints(app: string): Promise<Map<string, number>> {
    const kv = this.kv(app);
    const out = new Map<string, number>();
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    await Promise.all(
      keys.map(async (k) => {
        const e = await kv.get(k);
        if (e && e.operation === "PUT") out.set(k, slotCheckpointCodec.decode(e.value).seq);
      }),
    );
    return out;
  }

  async trim(app: string, seq: number): Promise<number> {
    const r = await this.jsm!.streams.purge(eventStream(this.options.cluster, app), { seq });
    this.stats.trims++;
    this.stats.trimmed += r.purged;
    return r.purged;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.sub?.unsubscribe();
    this.producers.clear();
  }

  /** The last batch stored on `subject`, if any. */
  async lastBatch(app: string, subject: string): Promise<{ seq: number; clientLastSeq: number; batchId: number; count: number } | undefined> {
    try {
      const m = await this.jsm!.streams.getMessage(eventStream(this.options.cluster, app), { last_by_subj: subject });
      if (!m) return undefined;
      const b = eventBatchCodec.decode(m.data);
      return { seq: m.seq, clientLastSeq: b.clientLastSeq, batchId: b.batchId, count: b.events.length };
    } catch (err) {
      if (/no message found|not found/i.test((err as Error).message)) return undefined;
      throw err;
    }
  }

  /** Logs a warning, at most a few per second. */
  warnLimited(fields: Record<string, unknown>, msg: string): void {
    if (this.limiter.allow() >= 0) this.log.warn(fields, msg);
  }

  private kv(app: string): KV {
    const kv = this.offsets.get(app);
    if (!kv) throw new EventLogError(`app "${app}" has no event stream on this node; was it registered?`);
    return kv;
  }

  private onPubAck(msg: Msg): void {
    const rest = msg.subject.slice(this.inbox.length + 1);
    const dot = rest.indexOf(".");
    const p = this.producers.get(Number(rest.slice(0, dot)));
    if (!p) return;
    if (msg.data.length === 0) return; // no responders (JetStream down): the retry timer publishes again
    let ack: { seq?: number; error?: { code?: number; err_code?: number; description?: string } };
    try {
      ack = msg.json();
    } catch {
      return;
    }
    p.onAck(Number(rest.slice(dot + 1)), ack);
  }
}

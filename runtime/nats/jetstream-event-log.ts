import type { NatsConnection } from "@nats-io/transport-node";
import { DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { DEFAULT_APPEND_RETRY_MS } from "../defaults.js";
import { EventLogError } from "../errors.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import type { EventBatchView, EventLog, LogProducer, SlotRef, StreamReader } from "../state/event-log.js";
import type { WireContext } from "../transport/transport.js";
import { ensureStream } from "./ensure-stream.js";
import { EventLogProducer, type ProducerContext } from "./event-log-producer.js";
import { newEventLogStats, type Backlog, type EventLogStats, type LastBatch } from "./event-log-shared.js";
import { lastBatch, readEventStream } from "./event-stream-reader.js";
import { JetStreamPublisher } from "./jetstream-publisher.js";
import { SlotCheckpoints } from "./slot-checkpoints.js";
import { eventStream, eventStreamSubjects, eventSubject } from "./subjects.js";

/** Options of the JetStream event log. */
export interface JetStreamEventLogOptions {
  readonly nc: NatsConnection;
  readonly cluster: string;
  readonly logger: Logger;
  readonly replicas?: number;
  /** A batch not answered this long is published again (same condition: stored at most once). */
  readonly retryMs?: number;
}

/**
 * The durable event log on JetStream: a stream per app (file storage), a subject per producer,
 * batches of events per message. Its parts: the producers (`EventLogProducer`, over one
 * `JetStreamPublisher`), the readers (`readEventStream`), and the slot checkpoints with the
 * retention they allow (`SlotCheckpoints`).
 */
export class JetStreamEventLog implements EventLog, ProducerContext {
  readonly kind = "jetstream" as const;
  wire: WireContext | undefined;
  closed = false;
  /** Publishes the producers' batches, each again while its answer is late. */
  readonly publisher: JetStreamPublisher;
  readonly backlog: Backlog = { events: 0, bytes: 0 };
  /** Counters (plain numbers, read by metrics and /cluster). */
  readonly stats: EventLogStats;
  private jsm: JetStreamManager | undefined;
  private js: JetStreamClient | undefined;
  private readonly checkpointStore: SlotCheckpoints;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);

  constructor(private readonly options: JetStreamEventLogOptions) {
    this.publisher = new JetStreamPublisher(options.nc, { timeoutMs: options.retryMs ?? DEFAULT_APPEND_RETRY_MS, republishLate: true });
    this.stats = newEventLogStats(() => this.publisher.stats.republished);
    this.checkpointStore = new SlotCheckpoints(options.nc, options.cluster, options.replicas ?? 1, this.stats);
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
        await this.checkpointStore.open(app);
      }
    } catch (err) {
      throw new EventLogError(`cannot open the durable event streams: ${(err as Error).message}. Durable mode needs JetStream (nats-server -js)`, { cause: err });
    }
  }

  producer(app: string, id: string, acked: boolean): LogProducer {
    return new EventLogProducer(this, app, eventSubject(this.options.cluster, app, id), acked);
  }

  pending(): number {
    return this.backlog.events;
  }

  pendingBytes(): number {
    return this.backlog.bytes;
  }

  read(app: string, from: number, onBatch: (seq: number, batch: EventBatchView) => void, onError: (err: Error) => void): StreamReader {
    const ref = { app, stream: eventStream(this.options.cluster, app), subjects: eventStreamSubjects(this.options.cluster, app) };
    return readEventStream(this.js!, ref, from, onBatch, onError, this.stats, (fields, msg) => this.warnLimited(fields, msg));
  }

  checkpoint(ref: SlotRef): Promise<number> {
    return this.checkpointStore.get(ref);
  }

  saveCheckpoint(ref: SlotRef, offset: number, epoch: number, nodeId: string): Promise<void> {
    return this.checkpointStore.save(ref, offset, epoch, nodeId);
  }

  checkpoints(app: string): Promise<Map<string, number>> {
    return this.checkpointStore.all(app);
  }

  trim(app: string, seq: number): Promise<number> {
    return this.checkpointStore.trim(this.jsm!, app, seq);
  }

  async close(): Promise<void> {
    // Producers ignore what the publisher tells them from here on (its close fails what is in flight).
    this.closed = true;
    this.publisher.close();
  }

  /** The last batch stored on `subject`, if any. */
  lastBatch(app: string, subject: string): Promise<LastBatch | undefined> {
    return lastBatch(this.jsm!, eventStream(this.options.cluster, app), subject);
  }

  /** Logs a warning, at most a few per second. */
  warnLimited(fields: Record<string, unknown>, msg: string): void {
    if (this.limiter.allow() >= 0) this.log.warn(fields, msg);
  }
}

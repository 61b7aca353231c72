import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { DiscardPolicy, jetstreamManager, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { EventLogError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { DeadLetter, ReplayTarget } from "../observability/dead-letters.js";
import { ensureStream } from "./ensure-stream.js";
import { PayloadBudget } from "./max-payload.js";
import { deadLetterCodec, type WireDeadLetterRecord } from "../wire/messages.js";
import { deadLetterStream, deadLetterSubject, deadLetterSubjects, reinjectSubject } from "./subjects.js";

/** Dead letters are kept this long (and at most this many). */
export const DEAD_LETTER_MAX_AGE_MS = 7 * 24 * 3600_000;
export const DEAD_LETTER_MAX_MESSAGES = 1_000_000;
// A record left without its payload keeps at most this much of its detail and place (they are text for people).
const MAX_DETAIL_CHARS = 4_096;

/** One stored dead letter. */
export interface StoredDeadLetter {
  readonly seq: number;
  readonly record: WireDeadLetterRecord;
  readonly replay: ReplayTarget | undefined;
}

/** The answer of a node to a replay request. */
interface ReinjectReply {
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * Dead letters in a JetStream stream (one per cluster, a subject per app), kept for
 * `DEAD_LETTER_MAX_AGE_MS`: nodes publish each one with its reason; `troupe dlq list` reads them;
 * `troupe dlq replay` sends them back in through any node (a queue group) and deletes each one
 * that a node took.
 */
export class DeadLetterStream {
  private jsm: JetStreamManager | undefined;
  private sub: Subscription | undefined;
  private readonly budget: PayloadBudget;
  /** Dead letters published by this process. */
  published = 0;
  /** Dead letters stored without their payload because with it they were over the server's max payload. */
  payloadsLeftOut = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly cluster: string,
    private readonly replicas = 1,
  ) {
    this.budget = new PayloadBudget(nc);
  }

  /** Creates the stream if it is missing. */
  async open(): Promise<void> {
    try {
      this.jsm = await jetstreamManager(this.nc);
      await ensureStream(this.jsm, {
        name: deadLetterStream(this.cluster),
        subjects: [deadLetterSubjects(this.cluster)],
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        max_age: nanos(DEAD_LETTER_MAX_AGE_MS),
        max_msgs: DEAD_LETTER_MAX_MESSAGES,
        num_replicas: this.replicas,
      });
    } catch (err) {
      throw new EventLogError(`cannot open the dead-letter stream: ${(err as Error).message}. It needs JetStream (nats-server -js)`, { cause: err });
    }
  }

  /**
   * Publishes one dead letter (fire and forget: a dead letter never blocks the node). One over the
   * server's max payload is stored without its payload (its detail says so), never dropped.
   */
  publish(letter: DeadLetter, nodeId: string): void {
    const replay = letter.replay;
    const record: WireDeadLetterRecord = {
      reason: letter.reason,
      app: letter.app,
      where: letter.where,
      detail: letter.message,
      payload: letter.payload ?? new Uint8Array(0),
      nodeId,
      atMs: letter.atMs,
      source: replay && "source" in replay ? replay.source : "",
      stage: replay && "stage" in replay ? replay.stage : -1,
    };
    let bytes = deadLetterCodec.encode(record);
    const room = this.budget.bytes();
    if (bytes.length > room) {
      this.payloadsLeftOut++;
      record.detail = `${record.detail.slice(0, MAX_DETAIL_CHARS)} [payload of ${record.payload.length} bytes not stored: the record would be over the NATS server's max_payload of ${this.budget.maxPayload()} bytes]`;
      record.payload = new Uint8Array(0);
      record.where = record.where.slice(0, MAX_DETAIL_CHARS);
      bytes = deadLetterCodec.encode(record);
    }
    try {
      this.nc.publish(deadLetterSubject(this.cluster, letter.app === "*" ? "_node" : letter.app), bytes);
      this.published++;
    } catch {
      // NATS closed: the dead letter is still counted and logged by the node.
    }
  }

  /** Reads up to `limit` dead letters, oldest first (of one app, if given). */
  async list(limit = 100, app?: string): Promise<StoredDeadLetter[]> {
    const jsm = this.jsm!;
    const name = deadLetterStream(this.cluster);
    const info = await jsm.streams.info(name);
    const out: StoredDeadLetter[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && out.length < limit; seq++) {
      const m = await jsm.streams.getMessage(name, { seq }).catch(() => null);
      if (!m) continue; // deleted (replayed) or expired
      const record = deadLetterCodec.decode(m.data);
      if (app && record.app !== app) continue;
      const replay: ReplayTarget | undefined = record.payload.length === 0 ? undefined : record.source ? { source: record.source } : record.stage >= 0 ? { stage: record.stage } : undefined;
      out.push({ seq, record, replay });
    }
    return out;
  }

  /** Sends one dead letter back in through a node; deletes it from the stream once a node took it. */
  async replay(letter: StoredDeadLetter, keep = false): Promise<ReinjectReply> {
    if (!letter.replay) return { ok: false, error: "nothing to replay: no payload, or no source or stage to replay it into" };
    let reply: ReinjectReply;
    try {
      const m = await this.nc.request(reinjectSubject(this.cluster), deadLetterCodec.encode(letter.record), { timeout: 5_000 });
      reply = m.json<ReinjectReply>();
    } catch (err) {
      return { ok: false, error: `no node answered (${(err as Error).message}); is the cluster running?` };
    }
    if (reply.ok && !keep) await this.jsm!.streams.deleteMessage(deadLetterStream(this.cluster), letter.seq).catch(() => undefined);
    return reply;
  }

  /** Deletes one dead letter from the stream; false when there was none with that sequence number. */
  async delete(seq: number): Promise<boolean> {
    return this.jsm!.streams.deleteMessage(deadLetterStream(this.cluster), seq).catch(() => false);
  }

  /** Node side: takes replayed dead letters in (one node of the queue group answers each). */
  serve(reinject: (record: WireDeadLetterRecord, target: ReplayTarget) => void, log: Logger): void {
    this.sub = this.nc.subscribe(reinjectSubject(this.cluster), {
      queue: "troupe-reinject",
      callback: (_err, msg) => {
        let reply: ReinjectReply;
        try {
          const record = deadLetterCodec.decode(msg.data);
          const target: ReplayTarget | undefined = record.source ? { source: record.source } : record.stage >= 0 ? { stage: record.stage } : undefined;
          if (!target) throw new Error("the dead letter names no source or stage");
          reinject(record, target);
          reply = { ok: true };
        } catch (err) {
          reply = { ok: false, error: (err as Error).message };
          log.warn({ err: (err as Error).message }, "dead letter replay failed");
        }
        msg.respond(new TextEncoder().encode(JSON.stringify(reply)));
      },
    });
  }

  /** Stops serving replays. */
  close(): void {
    this.sub?.unsubscribe();
  }
}

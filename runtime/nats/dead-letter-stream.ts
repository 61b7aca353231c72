import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { DiscardPolicy, jetstreamManager, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import { nanos } from "@nats-io/transport-node";
import { EventLogError, NatsPermissionError } from "../errors.js";
import { isNoSuchMessage } from "./jetstream-codes.js";
import { requestError } from "./request-errors.js";
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

/** A replay request: the sequence of the record in the dead-letter stream. */
interface ReinjectRequest {
  readonly seq: number;
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

  /** Creates the stream if it is missing (`create: false`, for the read-only roles: only finds it). */
  async open(create = true): Promise<void> {
    try {
      this.jsm = await jetstreamManager(this.nc);
      if (!create) {
        await this.jsm.streams.info(deadLetterStream(this.cluster));
        return;
      }
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

  /**
   * Sends one dead letter back in through a node; deletes it from the stream once a node took it. The request
   * names only the record's sequence: the node reads the record from the stream itself, so nothing but a
   * stored dead letter can be replayed, and only a role allowed to publish the request (troupe-admin).
   */
  async replay(letter: StoredDeadLetter, keep = false): Promise<ReinjectReply> {
    if (!letter.replay) return { ok: false, error: "nothing to replay: no payload, or no source or stage to replay it into" };
    const subject = reinjectSubject(this.cluster);
    let reply: ReinjectReply;
    try {
      const m = await this.nc.request(subject, new TextEncoder().encode(JSON.stringify({ seq: letter.seq } satisfies ReinjectRequest)), { timeout: 5_000 });
      reply = m.json<ReinjectReply>();
    } catch (err) {
      const e = requestError(err, subject, "replay dead letters", "a node of the cluster");
      if (e instanceof NatsPermissionError) throw e;
      return { ok: false, error: `no node answered (${e.message}); is the cluster running?` };
    }
    if (reply.ok && !keep) {
      const deleted = await this.jsm!.streams.deleteMessage(deadLetterStream(this.cluster), letter.seq).then(
        () => undefined,
        (err: unknown) => (err as Error).message,
      );
      if (deleted !== undefined) return { ok: false, error: `replayed, but not deleted from the stream (${deleted}); delete it or replay with --keep` };
    }
    return reply;
  }

  /** Deletes one dead letter from the stream; false when there was none with that sequence number. */
  async delete(seq: number): Promise<boolean> {
    try {
      return await this.jsm!.streams.deleteMessage(deadLetterStream(this.cluster), seq);
    } catch (err) {
      // Only "no such message" means false; a refused permission or a lost connection is an error.
      if (isNoSuchMessage(err)) return false;
      throw err;
    }
  }

  /** Node side: takes replayed dead letters in (one node of the queue group answers each), read from the stream by sequence. */
  serve(reinject: (record: WireDeadLetterRecord, target: ReplayTarget) => void, log: Logger): void {
    this.sub = this.nc.subscribe(reinjectSubject(this.cluster), {
      queue: "troupe-reinject",
      callback: (_err, msg) => {
        void this.take(msg.data, reinject).then((reply) => {
          if (!reply.ok) log.warn({ err: reply.error }, "dead letter replay refused");
          msg.respond(new TextEncoder().encode(JSON.stringify(reply)));
        });
      },
    });
  }

  private async take(data: Uint8Array, reinject: (record: WireDeadLetterRecord, target: ReplayTarget) => void): Promise<ReinjectReply> {
    let seq: unknown;
    try {
      seq = (JSON.parse(new TextDecoder().decode(data)) as Partial<ReinjectRequest>).seq;
    } catch {
      seq = undefined;
    }
    if (!Number.isSafeInteger(seq) || (seq as number) < 1) return { ok: false, error: 'a replay request is {"seq": N}, the sequence of a record in the dead-letter stream; records are never taken from the request' };
    const m = await this.jsm!.streams.getMessage(deadLetterStream(this.cluster), { seq: seq as number }).catch(() => null);
    if (!m) return { ok: false, error: `no dead letter ${String(seq)} in the dead-letter stream (replayed, expired or never there)` };
    try {
      const record = deadLetterCodec.decode(m.data);
      const target: ReplayTarget | undefined = record.payload.length === 0 ? undefined : record.source ? { source: record.source } : record.stage >= 0 ? { stage: record.stage } : undefined;
      if (!target) return { ok: false, error: "the dead letter has no payload or names no source or stage" };
      reinject(record, target);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  /** Stops serving replays. */
  close(): void {
    this.sub?.unsubscribe();
  }
}

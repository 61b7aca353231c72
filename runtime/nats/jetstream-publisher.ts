import { headers, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { replyInbox } from "./reply-inbox.js";
import { DEFAULT_JETSTREAM_ANSWER_TIMEOUT_MS } from "../defaults.js";
import { BAD_ANSWER, isTransient, NO_ANSWER, NO_RESPONDERS, NOT_SENT, PAYLOAD_TOO_LARGE } from "./jetstream-codes.js";
import { isMaxPayloadError, PayloadBudget } from "./max-payload.js";

export { PAYLOAD_TOO_LARGE, WRONG_LAST_SEQUENCE } from "./jetstream-codes.js";

/**
 * A conditional publish that did not store its message. `code` is JetStream's error code (see
 * `isWrongLastSequence`) or one of `jetstream-codes.ts`'s (`NO_ANSWER`, `PAYLOAD_TOO_LARGE`: never
 * storable, do not retry, `NOT_SENT`, `BAD_ANSWER`, `NO_RESPONDERS`). `maybeStored`: an earlier
 * try went out and its answer was lost, so the message may be stored all the same.
 */
export class JetStreamPublishError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly maybeStored = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "JetStreamPublishError";
  }
}

/** Hears the answer of each `JetStreamPublisher.send`, once: stored at `seq`, or `err`. */
export interface PublishListener {
  /** The publish sent with `tag` was stored at stream sequence `seq` (`err` undefined) or refused. */
  published(tag: number, err: JetStreamPublishError | undefined, seq: number): void;
}

/** Options of a `JetStreamPublisher`. */
export interface JetStreamPublisherOptions {
  /** How long an answer may take. */
  readonly timeoutMs?: number;
  /**
   * False (the default): a publish not answered in time fails with `NO_ANSWER`. True: it is sent
   * again, on the same condition (so it is stored at most once), until JetStream answers; and a
   * publish JetStream was not there for (no responders, not sent) waits for that next try.
   */
  readonly republishLate?: boolean;
}

const EXPECTED_LAST = "Nats-Expected-Last-Subject-Sequence";
// Encoded size of our one header, `Nats-Expected-Last-Subject-Sequence: <n>` (51 bytes and the digits).
const HEADER_BYTES = 51;

// One publish waiting for its answer; kept whole so that a late one can be sent again as it was.
class Waiting {
  at = 0;
  /** Tries that went out. */
  tries = 0;
  constructor(
    readonly subject: string,
    readonly data: Uint8Array,
    readonly headers: MsgHdrs,
    readonly reply: string,
    readonly listener: PublishListener,
    readonly tag: number,
  ) {}
}

/**
 * Conditional JetStream publishes, pipelined: each carries the subject's expected last sequence
 * (`Nats-Expected-Last-Subject-Sequence`) and replies to one shared inbox, so thousands can be in
 * flight without a request (timer, promise chain and subscription lookup) each, as `js.publish`
 * costs. The one implementation behind the event log's producers and the KV state store's writes.
 */
export class JetStreamPublisher {
  /** Publishes sent, sent again after a late answer, failed without an answer in time, and refused. */
  readonly stats = { published: 0, republished: 0, timedOut: 0, refused: 0 };
  /** How large a message may be on this connection. */
  readonly budget: PayloadBudget;
  private readonly inbox: string;
  private sub: Subscription | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private next = 1;
  private timer: NodeJS.Timeout | undefined;
  private readonly timeoutMs: number;
  private readonly republishLate: boolean;

  constructor(
    private readonly nc: NatsConnection,
    options: JetStreamPublisherOptions = {},
  ) {
    this.budget = new PayloadBudget(nc);
    this.inbox = replyInbox(nc);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_JETSTREAM_ANSWER_TIMEOUT_MS;
    this.republishLate = options.republishLate ?? false;
  }

  /**
   * Stores `data` on `subject` only if the subject's last sequence is `expectedLast` (0: it has none);
   * `listener.published(tag, ...)` runs once with the answer, never within this call. What is over the
   * server's max payload fails with `PAYLOAD_TOO_LARGE` without being sent.
   */
  send(subject: string, data: Uint8Array, expectedLast: number, listener: PublishListener, tag: number): void {
    const size = data.length + HEADER_BYTES + String(expectedLast).length;
    if (size > this.budget.maxPayload()) {
      this.failSoon(listener, tag, this.tooLarge(subject, size, false));
      return;
    }
    this.start();
    const n = this.next++;
    const h = headers();
    h.set(EXPECTED_LAST, String(expectedLast));
    const w = new Waiting(subject, data, h, `${this.inbox}.${n}`, listener, tag);
    this.waiting.set(n, w);
    this.stats.published++;
    this.transmit(n, w);
  }

  /** `send` as a promise of the stored sequence (rejected with a `JetStreamPublishError`). */
  publish(subject: string, data: Uint8Array, expectedLast: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.send(subject, data, expectedLast, { published: (_tag, err, seq) => (err ? reject(err) : resolve(seq)) }, 0);
    });
  }

  /** Publishes waiting for their answer. */
  pending(): number {
    return this.waiting.size;
  }

  /** Stops listening; every publish still waiting fails with `NO_ANSWER`. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sub?.unsubscribe();
    this.sub = undefined;
    const left = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of left) w.listener.published(w.tag, new JetStreamPublishError("publisher closed before JetStream answered", NO_ANSWER, w.tries > 0), 0);
  }

  private transmit(n: number, w: Waiting): void {
    w.at = Date.now();
    try {
      this.nc.publish(w.subject, w.data, { reply: w.reply, headers: w.headers });
      w.tries++;
    } catch (err) {
      // nats.js throws at once for a message over the max payload (the server's limit fell since it
      // was sized: it can never be stored) and on a closed connection.
      if (isMaxPayloadError(err)) {
        this.waiting.delete(n);
        this.failSoon(w.listener, w.tag, this.tooLarge(w.subject, w.data.length + HEADER_BYTES, w.tries > 0));
      } else if (!this.republishLate) {
        this.waiting.delete(n);
        this.failSoon(w.listener, w.tag, new JetStreamPublishError(`cannot publish to ${w.subject}: ${(err as Error).message}`, NOT_SENT, w.tries > 0, { cause: err }));
      }
      // Otherwise the next sweep sends it again.
    }
  }

  private tooLarge(subject: string, size: number, maybeStored: boolean): JetStreamPublishError {
    return new JetStreamPublishError(`a message of ${size} bytes (headers included) to ${subject} is over the NATS server's max_payload of ${this.budget.maxPayload()} bytes`, PAYLOAD_TOO_LARGE, maybeStored);
  }

  // A failure found within `send`: told on the next microtask, so that a listener never runs inside its own call.
  private failSoon(listener: PublishListener, tag: number, err: JetStreamPublishError): void {
    this.stats.refused++;
    queueMicrotask(() => listener.published(tag, err, 0));
  }

  private start(): void {
    if (this.sub) return;
    this.sub = this.nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.onReply(msg) });
    this.timer = setInterval(() => this.sweep(), Math.max(50, this.timeoutMs / 4));
    this.timer.unref();
  }

  // Publishes not answered in time: sent again, or failed.
  private sweep(): void {
    const now = Date.now();
    for (const [n, w] of this.waiting) {
      if (now - w.at < this.timeoutMs) continue;
      if (this.republishLate) {
        this.stats.republished++;
        this.transmit(n, w);
        continue;
      }
      this.waiting.delete(n);
      this.stats.timedOut++;
      w.listener.published(w.tag, new JetStreamPublishError(`no answer from JetStream in ${this.timeoutMs} ms`, NO_ANSWER, w.tries > 0), 0);
    }
  }

  private onReply(msg: Msg): void {
    const n = Number(msg.subject.slice(this.inbox.length + 1));
    const w = this.waiting.get(n);
    if (!w) return; // a repeat's answer, after an earlier try's settled it
    let seq = 0;
    let err: JetStreamPublishError | undefined;
    if (msg.data.length === 0) {
      err = new JetStreamPublishError(`no responders on ${w.subject}: is JetStream enabled and the stream there?`, NO_RESPONDERS, w.tries > 1);
    } else {
      let ack: { seq?: number; error?: { err_code?: number; code?: number; description?: string } };
      try {
        ack = msg.json();
      } catch (e) {
        ack = { error: { err_code: BAD_ANSWER, description: `unreadable answer from JetStream: ${(e as Error).message}` } };
      }
      if (ack.error) err = new JetStreamPublishError(ack.error.description ?? "JetStream refused the message", ack.error.err_code ?? ack.error.code ?? 0, w.tries > 1);
      else seq = ack.seq ?? 0;
    }
    if (err && this.republishLate && isTransient(err.code)) return; // the next sweep sends it again
    this.waiting.delete(n);
    if (err) this.stats.refused++;
    w.listener.published(w.tag, err, seq);
  }
}

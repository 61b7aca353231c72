import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { isMaxPayloadError, PayloadBudget } from "./max-payload.js";

/**
 * A JetStream publish that the server refused; `code` is JetStream's error code (10071: wrong last
 * sequence), or 408 (no answer in time), 503 (no responders) or 413 (over the server's max payload:
 * it can never be stored, so a caller must not retry it).
 */
export class JetStreamPublishError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** JetStream's error code for a failed `Nats-Expected-Last-Subject-Sequence` condition. */
export const WRONG_LAST_SEQUENCE = 10071;
/** The code of a publish refused before it was sent: headers and data are over the server's max payload. */
export const PAYLOAD_TOO_LARGE = 413;
// Encoded size of our one header, `Nats-Expected-Last-Subject-Sequence: <n>` (51 bytes and the digits).
const HEADER_BYTES = 51;

interface Waiter {
  readonly resolve: (seq: number) => void;
  readonly reject: (err: Error) => void;
  readonly at: number;
}

/**
 * Conditional JetStream publishes, pipelined: every publish carries the subject's expected last
 * sequence and replies to one shared inbox, so thousands can be in flight without a request
 * (timer, promise chain and subscription lookup) each, as `js.publish` costs.
 */
export class JetStreamPublisher {
  private readonly inbox = createInbox();
  private sub: Subscription | undefined;
  private readonly waiting = new Map<number, Waiter>();
  private next = 1;
  private timer: NodeJS.Timeout | undefined;
  private readonly budget: PayloadBudget;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 5_000,
  ) {
    this.budget = new PayloadBudget(nc);
  }

  /**
   * Stores `data` on `subject` only if the subject's last sequence is `expectedLast` (0: none); resolves
   * with the new sequence. Rejects at once, with code `PAYLOAD_TOO_LARGE`, what is over the server's max payload.
   */
  publish(subject: string, data: Uint8Array, expectedLast: number): Promise<number> {
    const size = data.length + HEADER_BYTES + String(expectedLast).length;
    if (size > this.budget.maxPayload()) return Promise.reject(this.tooLarge(subject, size));
    this.start();
    const n = this.next++;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(n, { resolve, reject, at: Date.now() });
      const h = headers();
      h.set("Nats-Expected-Last-Subject-Sequence", String(expectedLast));
      try {
        this.nc.publish(subject, data, { reply: `${this.inbox}.${n}`, headers: h });
      } catch (err) {
        this.waiting.delete(n);
        reject(isMaxPayloadError(err) ? this.tooLarge(subject, size) : (err as Error));
      }
    });
  }

  private tooLarge(subject: string, size: number): JetStreamPublishError {
    return new JetStreamPublishError(`a message of ${size} bytes (headers included) to ${subject} is over the NATS server's max_payload of ${this.budget.maxPayload()} bytes`, PAYLOAD_TOO_LARGE);
  }

  /** Stops listening; publishes still waiting fail. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.sub?.unsubscribe();
    this.sub = undefined;
    for (const w of this.waiting.values()) w.reject(new Error("publisher closed"));
    this.waiting.clear();
  }

  private start(): void {
    if (this.sub) return;
    this.sub = this.nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.onReply(msg) });
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const [n, w] of this.waiting) {
        if (now - w.at < this.timeoutMs) continue;
        this.waiting.delete(n);
        w.reject(new JetStreamPublishError(`no answer from JetStream in ${this.timeoutMs} ms`, 408));
      }
    }, Math.max(100, this.timeoutMs / 5));
    this.timer.unref();
  }

  private onReply(msg: Msg): void {
    const n = Number(msg.subject.slice(this.inbox.length + 1));
    const w = this.waiting.get(n);
    if (!w) return;
    this.waiting.delete(n);
    if (msg.data.length === 0) {
      w.reject(new JetStreamPublishError("no responders: is JetStream enabled and the stream there?", 503));
      return;
    }
    let ack: { seq?: number; error?: { err_code?: number; code?: number; description?: string } };
    try {
      ack = msg.json();
    } catch (err) {
      w.reject(err as Error);
      return;
    }
    if (ack.error) w.reject(new JetStreamPublishError(ack.error.description ?? "JetStream refused the message", ack.error.err_code ?? ack.error.code ?? 0));
    else w.resolve(ack.seq ?? 0);
  }
}

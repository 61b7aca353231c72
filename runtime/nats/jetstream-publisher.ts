import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";

/** A JetStream publish that the server refused; `code` is JetStream's error code (10071: wrong last sequence). */
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

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Stores `data` on `subject` only if the subject's last sequence is `expectedLast` (0: none); resolves with the new sequence. */
  publish(subject: string, data: Uint8Array, expectedLast: number): Promise<number> {
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
        reject(err as Error);
      }
    });
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

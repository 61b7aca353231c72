import type { Msg, NatsConnection, Subscription } from "@nats-io/transport-node";
import { replyInbox } from "./reply-inbox.js";
import { DEFAULT_JETSTREAM_ANSWER_TIMEOUT_MS, DEFAULT_MAX_STATE_READS } from "../defaults.js";
import { StateStoreError } from "../errors.js";
import { kvDirectGetSubject } from "./subjects.js";

/** One KV entry as read: its revision (the stream sequence), whether it is a value or a delete marker, and its bytes. */
export interface KvRead {
  readonly revision: number;
  readonly operation: "PUT" | "DEL" | "PURGE";
  readonly value: Uint8Array;
}

interface Waiter {
  readonly resolve: (e: KvRead | null) => void;
  readonly reject: (err: Error) => void;
  readonly at: number;
}

/**
 * KV reads, pipelined: each is a JetStream direct get of the key's last message, replying to one
 * shared inbox, so thousands can be in flight without a request (subscription, timer and error
 * object) each, as `kv.get` costs. Actor activation reads every key it meets: with a million keys
 * through an actor bound, that garbage was most of a node's memory. Needs buckets with
 * `allow_direct` (what nats.js creates on servers that have it, 2.9 and later).
 */
export class KvReader {
  private readonly inbox: string;
  private sub: Subscription | undefined;
  private readonly waiting = new Map<number, Waiter>();
  private next = 1;
  private timer: NodeJS.Timeout | undefined;
  // Reads beyond `maxInFlight` wait here, in order (an array entry each, not a request).
  private readonly queued: Array<{ subject: string; waiter: Omit<Waiter, "at"> }> = [];
  private head = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = DEFAULT_JETSTREAM_ANSWER_TIMEOUT_MS,
    private readonly maxInFlight = DEFAULT_MAX_STATE_READS,
  ) {
    this.inbox = replyInbox(nc);
  }

  /** The last entry of `key` in `bucket`, or null when the key has none. */
  get(bucket: string, key: string): Promise<KvRead | null> {
    this.start();
    return new Promise<KvRead | null>((resolve, reject) => {
      const subject = kvDirectGetSubject(bucket, key);
      if (this.waiting.size >= this.maxInFlight) this.queued.push({ subject, waiter: { resolve, reject } });
      else this.send(subject, resolve, reject);
    });
  }

  /** Reads in flight and waiting their turn. */
  pending(): number {
    return this.waiting.size + this.queued.length - this.head;
  }

  private send(subject: string, resolve: Waiter["resolve"], reject: Waiter["reject"]): void {
    const n = this.next++;
    this.waiting.set(n, { resolve, reject, at: Date.now() });
    try {
      this.nc.publish(subject, undefined, { reply: `${this.inbox}.${n}` });
    } catch (err) {
      this.waiting.delete(n);
      reject(err as Error);
    }
  }

  // A read answered (or timed out): the next waiting one goes.
  private pump(): void {
    while (this.waiting.size < this.maxInFlight && this.head < this.queued.length) {
      const q = this.queued[this.head]!;
      this.queued[this.head++] = undefined as never;
      this.send(q.subject, q.waiter.resolve, q.waiter.reject);
    }
    if (this.head > 1024 && this.head * 2 > this.queued.length) {
      this.queued.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Stops listening; reads still waiting fail. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.sub?.unsubscribe();
    this.sub = undefined;
    for (const w of this.waiting.values()) w.reject(new StateStoreError("KV reader closed"));
    this.waiting.clear();
    for (let i = this.head; i < this.queued.length; i++) this.queued[i]!.waiter.reject(new StateStoreError("KV reader closed"));
    this.queued.length = 0;
    this.head = 0;
  }

  private start(): void {
    if (this.sub) return;
    this.sub = this.nc.subscribe(`${this.inbox}.*`, { callback: (_err, msg) => this.onReply(msg) });
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const [n, w] of this.waiting) {
        if (now - w.at < this.timeoutMs) continue;
        this.waiting.delete(n);
        w.reject(new StateStoreError(`no answer from JetStream to a state read in ${this.timeoutMs} ms; is JetStream reachable?`));
      }
      this.pump();
    }, Math.max(100, this.timeoutMs / 5));
    this.timer.unref();
  }

  private onReply(msg: Msg): void {
    const n = Number(msg.subject.slice(this.inbox.length + 1));
    const w = this.waiting.get(n);
    if (!w) return;
    this.waiting.delete(n);
    this.pump();
    const h = msg.headers;
    const code = h?.code ?? 0;
    if (code === 404) {
      w.resolve(null);
      return;
    }
    if (code !== 0 || !h) {
      w.reject(new StateStoreError(`JetStream refused a state read: ${code || "no headers"} ${h?.description ?? ""}; is JetStream enabled and the bucket there?`));
      return;
    }
    const op = h.get("KV-Operation");
    w.resolve({ revision: Number(h.get("Nats-Sequence")), operation: op === "DEL" || op === "PURGE" ? op : "PUT", value: msg.data });
  }
}

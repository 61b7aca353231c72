import type { Envelope } from "../types.js";
import type { Transport } from "../transport/transport.js";

/** Batch bounds of a router. */
export interface RouterOptions {
  /** Flush a destination's batch when it holds this many envelopes. */
  maxBatch: number;
  /** Flush every batch at most this long after its first envelope (0: at the end of the I/O turn). */
  maxDelayMs: number;
}

/** Groups outbound envelopes by destination node and sends one batch per destination per flush. */
export class Router {
  private readonly pending = new Map<string, Envelope[]>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  /** Batches sent so far. */
  batches = 0;
  /** Envelopes sent so far. */
  envelopes = 0;
  /** Why batches were sent: full (`maxBatch` reached), at the end of an I/O turn, by the delay timer, or by an explicit flush (handoff, drain). */
  readonly flushes = { full: 0, turn: 0, timer: 0, explicit: 0 };
  /** Sizes of sent batches, for the batch-size histogram. */
  onBatch: ((size: number) => void) | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly options: RouterOptions,
  ) {}

  /** Queues `env` for node `to`. */
  send(to: string, env: Envelope): void {
    let batch = this.pending.get(to);
    if (!batch) this.pending.set(to, (batch = []));
    batch.push(env);
    if (batch.length >= this.options.maxBatch) {
      this.pending.set(to, []);
      this.flushes.full++;
      this.ship(to, batch);
      return;
    }
    if (!this.scheduled) this.schedule();
  }

  /** Envelopes queued and not yet handed to the transport. */
  queued(): number {
    let n = 0;
    for (const b of this.pending.values()) n += b.length;
    return n;
  }

  /** Hands every queued batch to the transport now. */
  flush(): void {
    this.flushAll("explicit");
  }

  /** Stops the flush timer (queued envelopes are flushed first). */
  close(): void {
    this.flush();
  }

  private readonly onTurnEnd = (): void => this.flushAll("turn");
  private readonly onTimer = (): void => this.flushAll("timer");

  private flushAll(reason: "turn" | "timer" | "explicit"): void {
    this.scheduled = false;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const [to, batch] of this.pending) {
      if (batch.length === 0) continue;
      this.pending.set(to, []);
      this.flushes[reason]++;
      this.ship(to, batch);
    }
  }

  private schedule(): void {
    this.scheduled = true;
    if (this.options.maxDelayMs > 0) this.timer = setTimeout(this.onTimer, this.options.maxDelayMs);
    else setImmediate(this.onTurnEnd);
  }

  private ship(to: string, batch: Envelope[]): void {
    this.batches++;
    this.envelopes += batch.length;
    this.onBatch?.(batch.length);
    this.transport.sendBatch(to, batch);
  }
}

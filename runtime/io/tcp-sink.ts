import { connect, type Socket } from "node:net";
import {
  DEFAULT_SINK_BACKOFF_MAX_MS,
  SINK_CONNECT_LOG_WINDOW_MS,
  DEFAULT_SINK_BACKOFF_MIN_MS,
  DEFAULT_SINK_HIGH_WATER_BYTES,
  DEFAULT_SINK_MAX_BUFFER_BYTES,
} from "../defaults.js";
import { Backoff } from "../util/backoff.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import type { Backpressure } from "./backpressure.js";
import { FRAME_HEADER_BYTES } from "./frame-decoder.js";
import type { SinkWriter } from "./sink-writer.js";

/** Options of a TCP sink. */
export interface TcpSinkOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Most bytes held while disconnected; beyond it outputs are dropped and counted. */
  readonly maxBufferedBytes?: number;
  readonly backoffMinMs?: number;
  readonly backoffMaxMs?: number;
  readonly highWaterBytes?: number;
  readonly logger: Logger;
  readonly backpressure?: Backpressure;
}

const CHUNK = 64 * 1024;

/**
 * A framed TCP connection to an outside service. Frames are packed into 64 KiB chunks
 * and written once per event-loop turn; while disconnected, chunks are held up to a
 * bound and the sink reconnects with exponential backoff and jitter.
 *
 * A turn's frames are a slice of the current chunk, and the next turn writes on after them: a new
 * chunk only when one is full. (A fresh 64 KiB per turn was 32 MB/s of ArrayBuffers at 10k events/s,
 * which made V8 scavenge every second for "external memory pressure".)
 */
export class TcpSink implements SinkWriter {
  readonly name: string;
  /** Counters (plain numbers, read by metrics). */
  readonly stats = { framesOut: 0, bytesOut: 0, dropped: 0, reconnects: 0, buffered: 0 };
  private socket: Socket | undefined;
  private connected = false;
  private closed = false;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private chunk = Buffer.allocUnsafe(CHUNK);
  // Frames not yet handed on are chunk[head, fill); earlier bytes of the chunk are held or written.
  private head = 0;
  private fill = 0;
  // Bytes accepted so far, and bytes the OS took (or a closed socket lost): a flush waits for its mark only.
  private accepted = 0;
  private settled = 0;
  private readonly settleWaiters: Array<{ readonly mark: number; readonly done: (ok: boolean) => void }> = [];
  private scheduled = false;
  private readonly backoff: Backoff;
  private retry: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(2);
  private readonly connectLimiter = new LogRateLimiter(1, SINK_CONNECT_LOG_WINDOW_MS);
  private readonly maxBuffered: number;
  private readonly highWater: number;

  constructor(private readonly options: TcpSinkOptions) {
    this.name = options.name;
    this.log = options.logger.child({ component: "tcp-sink", sink: options.name, target: `${options.host}:${options.port}` });
    // Exponential, with up to half of each delay taken off at random so that many nodes spread out.
    this.backoff = new Backoff({ minMs: options.backoffMinMs ?? DEFAULT_SINK_BACKOFF_MIN_MS, maxMs: options.backoffMaxMs ?? DEFAULT_SINK_BACKOFF_MAX_MS, jitter: 0.5 });
    this.maxBuffered = options.maxBufferedBytes ?? DEFAULT_SINK_MAX_BUFFER_BYTES;
    this.highWater = options.highWaterBytes ?? DEFAULT_SINK_HIGH_WATER_BYTES;
  }

  start(): void {
    this.connect();
  }

  write(payload: Uint8Array): void {
    const size = FRAME_HEADER_BYTES + payload.length;
    if (this.heldBytes + this.fill - this.head + size > this.maxBuffered) {
      this.stats.dropped++;
      const s = this.limiter.allow();
      if (s >= 0) this.log.warn({ held: this.heldBytes, max: this.maxBuffered, suppressed: s }, "sink buffer full; output dropped");
      return;
    }
    if (this.fill + size > this.chunk.length) this.seal(size);
    this.chunk.writeUInt32BE(payload.length, this.fill);
    this.chunk.set(payload, this.fill + FRAME_HEADER_BYTES);
    this.fill += size;
    this.accepted += size;
    this.stats.framesOut++;
    this.stats.bytesOut += size;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.pump);
    }
  }

  isHigh(): boolean {
    return this.bufferedBytes() > this.highWater;
  }

  bufferedBytes(): number {
    return this.heldBytes + this.fill - this.head + (this.socket?.writableLength ?? 0);
  }

  /** Resolves true once every byte accepted so far is written to the connection (or lost with it), false after `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean> {
    const mark = this.accepted;
    this.pump();
    if (this.settled >= mark) return Promise.resolve(true);
    return new Promise((resolve) => {
      // Written bytes settle in the socket's write callbacks (see pump); a reconnect pumps what was held.
      const waiter = { mark, done: (ok: boolean) => (clearTimeout(timer), resolve(ok)) };
      const timer = setTimeout(() => {
        this.settleWaiters.splice(this.settleWaiters.indexOf(waiter), 1);
        resolve(false);
      }, timeoutMs);
      this.settleWaiters.push(waiter);
    });
  }

  // Flushes whose bytes are all written now.
  private readonly settle = (n: number): void => {
    this.settled += n;
    if (this.settleWaiters.length === 0) return;
    for (let i = this.settleWaiters.length - 1; i >= 0; i--) {
      const w = this.settleWaiters[i]!;
      if (w.mark > this.settled) continue;
      this.settleWaiters.splice(i, 1);
      w.done(true);
    }
  };

  async close(): Promise<void> {
    await this.flush(this.connected ? 1000 : 0);
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const s = this.socket;
    if (s) await new Promise<void>((resolve) => s.end(() => resolve()));
    s?.destroy();
  }

  // Holds the frames written since the last seal as one slice; a new chunk when `room` more bytes do not fit.
  private seal(room: number): void {
    if (this.fill > this.head) {
      this.held.push(this.chunk.subarray(this.head, this.fill));
      this.heldBytes += this.fill - this.head;
    }
    if (this.fill + room > this.chunk.length) {
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, room));
      this.fill = 0;
    }
    this.head = this.fill;
    this.stats.buffered = this.held.length;
  }

  private readonly pump = (): void => {
    this.scheduled = false;
    if (this.fill > this.head) this.seal(0);
    if (!this.connected || !this.socket) return;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.stats.buffered = 0;
    for (const b of held) this.socket.write(b, () => this.settle(b.length));
  };

  private connect(): void {
    if (this.closed) return;
    const socket = connect({ host: this.options.host, port: this.options.port, noDelay: true });
    this.socket = socket;
    socket.on("connect", () => {
      this.connected = true;
      this.backoff.reset();
      this.log.info("sink connected");
      this.pump();
    });
    socket.on("drain", () => this.options.backpressure?.notifyLow());
    socket.on("error", (err) => {
      const s = this.connectLimiter.allow();
      if (s >= 0) this.log.warn({ err: err.message, retries: this.backoff.attempts, suppressed: s, maxDelayMs: this.backoff.policy.maxMs }, "sink connection failed; retrying with backoff (logged at most once a minute)");
    });
    socket.on("close", () => {
      const was = this.connected;
      this.connected = false;
      if (was) this.log.warn("sink disconnected; buffering and reconnecting");
      // Bytes the socket had not yet sent are lost with it; a receiver must tolerate gaps or repeats by id.
      if (this.closed) return;
      this.stats.reconnects++;
      this.retry = setTimeout(() => this.connect(), this.backoff.next());
    });
  }
}

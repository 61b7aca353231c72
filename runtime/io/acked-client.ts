import { connect, type Socket } from "node:net";
import { DEFAULT_CLIENT_WINDOW, DEFAULT_MAX_FRAME_BYTES } from "../defaults.js";
import { sourceAckCodec, sourceHelloCodec } from "../wire/messages.js";
import { FrameDecoder } from "./frame-decoder.js";
import { encodeFrame, encodeFrames } from "./framing.js";
import { ACKED_SOURCE_MARKER } from "./source-acks.js";
import type { Address } from "../types.js";

/** Options of an acknowledged source client. */
export interface AckedClientOptions {
  /** Stable across reconnects (and process restarts, if the client keeps its unacknowledged frames). */
  readonly clientId: string;
  /** Where to connect: called on every (re)connect, tried in turn, so a dead node's source is skipped. */
  readonly addresses: () => readonly Address[];
  /** Frames kept unacknowledged before `send` waits. */
  readonly window?: number;
  /** Pause between reconnect attempts. */
  readonly retryMs?: number;
}

/**
 * A client of the acknowledged source protocol (README "Acknowledged sources"): numbers its frames,
 * keeps each until the source acknowledges it, and on a broken connection reconnects (to the next
 * address) and resends everything not acknowledged. With a durable-mode cluster, which stores each
 * frame once per (client id, number), every frame is accepted exactly once.
 */
export class AckedSourceClient {
  private socket: Socket | undefined;
  private connected = false;
  private closed = false;
  private readonly unacked: Uint8Array[] = [];
  private head = 0;
  /** Number of the first frame in `unacked` (at `head`). */
  private firstSeq = 1;
  private nextSeq = 1;
  private target = 0;
  private readonly waiters: Array<() => void> = [];
  private out: Buffer[] = [];
  private outScheduled = false;
  private readonly window: number;
  /** Counters. */
  readonly stats = { sent: 0, acked: 0, resent: 0, connects: 0, failures: 0 };

  constructor(private readonly options: AckedClientOptions) {
    this.window = options.window ?? DEFAULT_CLIENT_WINDOW;
  }

  /** Frames sent and not yet acknowledged. */
  get pending(): number {
    return this.unacked.length - this.head;
  }

  /** Connects (retrying until one address answers). */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.connect(resolve));
  }

  /** Sends one frame; resolves once it fits in the window (not when it is acknowledged: see `flush`). */
  async send(payload: Uint8Array): Promise<void> {
    while (this.pending >= this.window) await new Promise<void>((r) => this.waiters.push(r));
    this.unacked.push(payload);
    this.nextSeq++;
    this.stats.sent++;
    if (this.connected) this.queue(encodeFrame(payload));
  }

  /** Resolves once every frame sent was acknowledged, or false after `timeoutMs`. */
  async flush(timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0) {
      if (Date.now() > deadline) return false;
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return true;
  }

  /** Closes the connection (frames not acknowledged are not resent any more). */
  close(): void {
    this.closed = true;
    this.socket?.destroy();
    for (const w of this.waiters.splice(0)) w();
  }

  private connect(onConnected?: () => void): void {
    if (this.closed) return;
    const list = this.options.addresses();
    if (list.length === 0) {
      setTimeout(() => this.connect(onConnected), this.options.retryMs ?? 200);
      return;
    }
    const addr = list[this.target++ % list.length]!;
    const socket = connect(addr.port, addr.host);
    socket.setNoDelay(true);
    this.socket = socket;
    const decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES);
    socket.on("connect", () => {
      this.connected = true;
      this.stats.connects++;
      // Hello, then every frame not acknowledged, numbered from the first of them.
      const hello = encodeFrame(sourceHelloCodec.encode({ clientId: this.options.clientId, nextSeq: this.firstSeq }));
      const resend = this.unacked.length - this.head;
      this.stats.resent += this.stats.connects > 1 ? resend : 0;
      socket.write(Buffer.concat([ACKED_SOURCE_MARKER, hello]));
      for (let i = this.head; i < this.unacked.length; i += 1024) {
        const part = this.unacked.slice(i, Math.min(this.unacked.length, i + 1024));
        this.queue(encodeFrames(part));
      }
      onConnected?.();
    });
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.push(chunk, (payload) => this.onAck(sourceAckCodec.decode(payload).seq));
      } catch {
        socket.destroy();
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (this.socket !== socket) return;
      const was = this.connected;
      this.connected = false;
      this.out = [];
      if (was) this.stats.failures++;
      if (!this.closed) setTimeout(() => this.connect(onConnected), this.options.retryMs ?? 200);
    });
  }

  private onAck(seq: number): void {
    const n = seq - this.firstSeq + 1;
    if (n <= 0) return;
    const take = Math.min(n, this.pending);
    this.head += take;
    this.firstSeq += take;
    this.stats.acked += take;
    if (this.head > 4096 && this.head * 2 > this.unacked.length) {
      this.unacked.splice(0, this.head);
      this.head = 0;
    }
    for (const w of this.waiters.splice(0)) w();
  }

  // Coalesces writes of one turn into one socket write.
  private queue(buf: Buffer): void {
    this.out.push(buf);
    if (this.outScheduled) return;
    this.outScheduled = true;
    setImmediate(() => {
      this.outScheduled = false;
      const parts = this.out;
      this.out = [];
      if (parts.length && this.connected) this.socket?.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    });
  }
}

import { createServer, type Server, type Socket } from "node:net";
import {
  DEFAULT_MAX_CONNECTION_BUFFER_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_SOURCE_IDLE_TIMEOUT_MS,
} from "../defaults.js";
import { ConfigError, FrameError } from "../errors.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import type { Backpressure } from "./backpressure.js";
import { FrameDecoder } from "./frame-decoder.js";

/** One client connection of a source. */
export interface SourceConnection {
  readonly id: number;
  readonly remote: string;
  readonly source: string;
}

/** Why a source dropped input or a connection. */
export type SourceBadInput = "oversized_frame" | "buffer_overflow" | "idle_timeout" | "truncated_frame" | "too_many_connections";

/** Options of a TCP source. */
export interface TcpSourceOptions {
  readonly name: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxFrameBytes?: number;
  readonly maxConnections?: number;
  /** Bytes one connection may hold in an incomplete frame before it is dropped. */
  readonly maxBufferedBytes?: number;
  /** A connection idle, or stuck in one frame, this long is dropped (slow-loris guard). */
  readonly idleTimeoutMs?: number;
  readonly logger: Logger;
  readonly backpressure?: Backpressure;
  /** Each complete frame, in order per connection (a zero-copy view: copy it to keep it past the call). */
  readonly onFrame: (payload: Buffer, conn: SourceConnection) => void;
  readonly onBadInput?: (reason: SourceBadInput, conn: SourceConnection, detail: string) => void;
}

interface Conn extends SourceConnection {
  readonly socket: Socket;
  readonly decoder: FrameDecoder;
  midFrameSince: number;
  dropped: boolean;
}

/** Listens for length-prefixed frames and hands each to `onFrame`; bad input closes only its connection. */
export class TcpSource {
  private server: Server | undefined;
  private readonly conns = new Set<Conn>();
  private nextId = 0;
  private paused = false;
  private sweep: NodeJS.Timeout | undefined;
  private offLow: (() => void) | undefined;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);
  private readonly maxFrame: number;
  private readonly maxConns: number;
  private readonly maxBuffered: number;
  private readonly idleMs: number;
  /** Counters (plain numbers, read by metrics). */
  readonly stats = { connectionsOpened: 0, connectionsClosed: 0, framesIn: 0, bytesIn: 0, badInput: 0, handlerErrors: 0, pauses: 0 };

  constructor(private readonly options: TcpSourceOptions) {
    this.log = options.logger.child({ component: "tcp-source", source: options.name });
    this.maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxConns = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.maxBuffered = Math.max(options.maxBufferedBytes ?? DEFAULT_MAX_CONNECTION_BUFFER_BYTES, 0);
    this.idleMs = options.idleTimeoutMs ?? DEFAULT_SOURCE_IDLE_TIMEOUT_MS;
  }

  /** Starts listening and resolves with the bound address. */
  async start(): Promise<{ host: string; port: number }> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) =>
        reject(
          new ConfigError(
            `source ${this.options.name} cannot listen on ${this.options.host}:${this.options.port}: ${err.code === "EADDRINUSE" ? "address in use; choose another port" : err.message}`,
            { cause: err },
          ),
        ),
      );
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    server.on("error", (err) => this.log.error({ err }, "source server error"));
    this.server = server;
    const a = server.address();
    const bound = { host: this.options.host, port: typeof a === "object" && a ? a.port : this.options.port };
    this.sweep = setInterval(() => this.sweepIdle(), Math.max(50, Math.min(1000, this.idleMs / 4)));
    this.sweep.unref();
    this.offLow = this.options.backpressure?.onLow(() => this.resume());
    this.log.info({ address: `${bound.host}:${bound.port}` }, "source listening");
    return bound;
  }

  /** Open connections. */
  connectionCount(): number {
    return this.conns.size;
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    this.offLow?.();
    const server = this.server;
    this.server = undefined;
    for (const c of this.conns) c.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const conn: Conn = {
      id: ++this.nextId,
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      source: this.options.name,
      socket,
      decoder: new FrameDecoder(this.maxFrame),
      midFrameSince: 0,
      dropped: false,
    };
    if (this.conns.size >= this.maxConns) {
      this.bad("too_many_connections", conn, `already ${this.conns.size} connections (max ${this.maxConns})`);
      socket.destroy();
      return;
    }
    this.conns.add(conn);
    this.stats.connectionsOpened++;
    this.log.info({ conn: conn.id, remote: conn.remote }, "connection opened");
    if (this.paused) socket.pause();
    socket.setTimeout(this.idleMs, () => this.drop(conn, "idle_timeout", `no data for ${this.idleMs} ms`));
    socket.on("data", (chunk: Buffer) => this.onData(conn, chunk));
    socket.on("error", (err) => {
      if (this.limiter.allow() >= 0) this.log.info({ conn: conn.id, err: err.message }, "connection failed");
    });
    socket.on("close", () => {
      this.conns.delete(conn);
      this.stats.connectionsClosed++;
      if (!conn.dropped && conn.decoder.midFrame()) {
        this.bad("truncated_frame", conn, `connection closed with ${conn.decoder.bufferedBytes()} bytes of an unfinished frame`);
      }
      this.log.info({ conn: conn.id, remote: conn.remote }, "connection closed");
    });
  }

  private onData(conn: Conn, chunk: Buffer): void {
    this.stats.bytesIn += chunk.length;
    try {
      conn.decoder.push(chunk, (payload) => {
        this.stats.framesIn++;
        try {
          this.options.onFrame(payload, conn);
        } catch (err) {
          this.stats.handlerErrors++;
          if (this.limiter.allow() >= 0) this.log.error({ err, conn: conn.id }, "frame handler threw; continuing");
        }
      });
    } catch (err) {
      if (err instanceof FrameError) {
        this.drop(conn, "oversized_frame", err.message);
        return;
      }
      throw err;
    }
    if (conn.decoder.midFrame()) {
      if (conn.midFrameSince === 0) conn.midFrameSince = Date.now();
      if (conn.decoder.bufferedBytes() > this.maxBuffered) {
        this.drop(conn, "buffer_overflow", `${conn.decoder.bufferedBytes()} bytes buffered (max ${this.maxBuffered})`);
        return;
      }
    } else conn.midFrameSince = 0;
    if (!this.paused && this.options.backpressure?.isHigh()) this.pause();
  }

  private sweepIdle(): void {
    const now = Date.now();
    for (const c of this.conns) {
      if (c.midFrameSince > 0 && now - c.midFrameSince > this.idleMs) this.drop(c, "idle_timeout", `one frame unfinished for ${now - c.midFrameSince} ms`);
    }
  }

  private drop(conn: Conn, reason: SourceBadInput, detail: string): void {
    if (conn.dropped) return;
    conn.dropped = true;
    this.bad(reason, conn, detail);
    conn.decoder.reset();
    conn.socket.destroy();
  }

  private bad(reason: SourceBadInput, conn: SourceConnection, detail: string): void {
    this.stats.badInput++;
    const suppressed = this.limiter.allow();
    if (suppressed >= 0) this.log.warn({ reason, conn: conn.id, remote: conn.remote, detail, suppressed }, "bad input; connection dropped");
    this.options.onBadInput?.(reason, conn, detail);
  }

  private pause(): void {
    this.paused = true;
    this.stats.pauses++;
    for (const c of this.conns) c.socket.pause();
  }

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const c of this.conns) c.socket.resume();
  }
}

// Over 300 lines, one concept: a TCP source's connections (accepting them, framing, idle sweeping,
// pausing under backpressure). The caps and who makes room are io/connection-table.ts; the acknowledged
// protocol (which protocol a connection speaks, its hello, acknowledgement frames) is io/acked-protocol.ts.
import { createServer, type Server, type Socket } from "node:net";
import {
  DEFAULT_MAX_CONNECTION_BUFFER_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_SOURCE_FIRST_FRAME_TIMEOUT_MS,
  DEFAULT_SOURCE_IDLE_TIMEOUT_MS,
} from "../defaults.js";
import { ConfigError, FrameError } from "../errors.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import type { Backpressure } from "./backpressure.js";
import { FrameDecoder } from "./frame-decoder.js";
import type { SourceAcks } from "./source-acks.js";
import { wallClockMs } from "../util/wall-clock.js";
import { ConnectionTable, type TableEntry } from "./connection-table.js";
import { AckWriter, PROTOCOL, readHello, sniff } from "./acked-protocol.js";
import type { SourceBadInput, SourceConnection, SourceRefusal } from "./source-connection.js";

/** Options of a TCP source. */
export interface TcpSourceOptions {
  readonly name: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxFrameBytes?: number;
  readonly maxConnections?: number;
  /** Most connections one remote address may hold. */
  readonly maxConnectionsPerAddress?: number;
  /** A connection with no complete first frame (the hello, on the acknowledged protocol) this long is closed. */
  readonly firstFrameTimeoutMs?: number;
  /** Bytes one connection may hold in an incomplete frame before it is dropped. */
  readonly maxBufferedBytes?: number;
  /** A connection idle, or stuck in one frame, this long is dropped (slow-loris guard). */
  readonly idleTimeoutMs?: number;
  readonly logger: Logger;
  readonly backpressure?: Backpressure;
  /** Each complete frame, in order per connection (a zero-copy view: copy it to keep it past the call). One of `onFrame` and `onFrameAt` is given. */
  readonly onFrame?: (payload: Buffer, conn: SourceConnection) => void;
  /** As `onFrame`, the frame as bytes [start, end) of `buf` (no view made per frame); `buf` is not written to afterwards. */
  readonly onFrameAt?: (buf: Buffer, start: number, end: number, conn: SourceConnection) => void;
  /** Frame-level bad input (its connection is closed); connection-level refusals are only counted, in `stats.refused`. */
  readonly onBadInput?: (reason: SourceBadInput, conn: SourceConnection, detail: string) => void;
  /** A connection closed (for whatever reason). */
  readonly onClose?: (conn: SourceConnection) => void;
}

interface Conn extends SourceConnection, TableEntry {
  readonly socket: Socket;
  readonly decoder: FrameDecoder;
  /** When it was accepted, on the source's clock that stands still while reading is paused. */
  readonly acceptedAt: number;
  midFrameSince: number;
  dropped: boolean;
  protocol: number;
  prefix: Buffer | undefined;
  clientId: string | undefined;
  acks: SourceAcks | undefined;
  readAtMs: number;
}

/** Listens for length-prefixed frames and hands each to `onFrame`; bad input closes only its connection. */
export class TcpSource {
  private server: Server | undefined;
  private readonly table: ConnectionTable<Conn>;
  private readonly acks = new AckWriter<Conn>(() => this.stats.acksSent++);
  private nextId = 0;
  private paused = false;
  private sweep: NodeJS.Timeout | undefined;
  private offLow: (() => void) | undefined;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);
  // Separate limiters: a flood of connections must not crowd out the bad-input warnings, nor write a line per connection.
  private readonly refusalLimiter = new LogRateLimiter(5);
  private readonly lifecycleLimiter = new LogRateLimiter(5);
  private readonly maxFrame: number;
  private readonly frameAt: (buf: Buffer, start: number, end: number, conn: SourceConnection) => void;
  private readonly maxBuffered: number;
  private readonly idleMs: number;
  private readonly firstFrameMs: number;
  private pausedMs = 0;
  private pausedSince = 0;
  /** Counters (plain numbers, read by metrics); `refused` counts connection-level refusals and closes by reason. */
  readonly stats = {
    connectionsOpened: 0,
    connectionsClosed: 0,
    framesIn: 0,
    bytesIn: 0,
    badInput: 0,
    handlerErrors: 0,
    pauses: 0,
    ackedConnections: 0,
    acksSent: 0,
    refused: { max_connections: 0, max_connections_per_address: 0, evicted_silent: 0, first_frame_timeout: 0, idle_timeout: 0 } satisfies Record<SourceRefusal, number>,
  };

  constructor(private readonly options: TcpSourceOptions) {
    this.log = options.logger.child({ component: "tcp-source", source: options.name });
    this.maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.table = new ConnectionTable(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, options.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    this.maxBuffered = Math.max(options.maxBufferedBytes ?? DEFAULT_MAX_CONNECTION_BUFFER_BYTES, 0);
    this.idleMs = options.idleTimeoutMs ?? DEFAULT_SOURCE_IDLE_TIMEOUT_MS;
    this.firstFrameMs = options.firstFrameTimeoutMs ?? DEFAULT_SOURCE_FIRST_FRAME_TIMEOUT_MS;
    const { onFrame, onFrameAt } = options;
    if (onFrameAt) this.frameAt = onFrameAt;
    else if (onFrame) this.frameAt = (buf, start, end, conn) => onFrame(buf.subarray(start, end), conn);
    else throw new ConfigError(`source ${options.name}: give onFrame or onFrameAt`);
  }

  /** The source's name. */
  get name(): string {
    return this.options.name;
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
    this.sweep = setInterval(() => this.sweepIdle(), Math.max(50, Math.min(1000, this.idleMs / 4, this.firstFrameMs / 4)));
    this.sweep.unref();
    this.offLow = this.options.backpressure?.onLow(() => this.resume());
    this.log.info({ address: `${bound.host}:${bound.port}` }, "source listening");
    return bound;
  }

  /** Open connections. */
  connectionCount(): number {
    return this.table.all.size;
  }

  /** Open connections that have not sent a complete first frame yet. */
  silentCount(): number {
    return this.table.silent.size;
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    this.offLow?.();
    const server = this.server;
    this.server = undefined;
    for (const c of this.table.all) c.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops accepting connections and reading from them (a drain begins); `close` ends them. */
  stopReading(): void {
    this.server?.close();
    this.offLow?.();
    this.paused = true;
    for (const c of this.table.all) c.socket.pause();
  }

  /** Frames read and not yet accepted (acknowledged protocol: held until stored). */
  outstanding(): number {
    let n = 0;
    for (const c of this.table.all) n += c.acks?.outstanding() ?? 0;
    return n;
  }

  /**
   * Ends every connection after telling each acknowledged client what was accepted (a graceful
   * leave: a client that learns every frame it sent was accepted resends nothing, so nothing is
   * taken twice where the state mode has no de-duplication).
   */
  async closeGracefully(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    this.offLow?.();
    const server = this.server;
    this.server = undefined;
    const ended: Array<Promise<void>> = [];
    for (const c of this.table.all) {
      this.acks.writeNow(c);
      c.dropped = true;
      ended.push(new Promise<void>((resolve) => c.socket.end(() => resolve())));
    }
    // A client that does not close its side is not waited for long.
    await Promise.race([Promise.all(ended), new Promise((r) => setTimeout(r, 1_000))]);
    for (const c of this.table.all) c.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.on("error", () => undefined); // a refused socket may still report a reset
    const address = addressOf(socket);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    // At a cap, the oldest connection that has not spoken yet makes room: idle connections cannot lock out a client that sends.
    const room = this.table.room(address);
    if (!room.fits) {
      if (!room.victim) {
        this.refuse(socket, remote, room.cap, room.detail);
        return;
      }
      this.shut(room.victim, "evicted_silent", "no complete first frame yet; closed to make room for a new connection");
    }
    const conn: Conn = {
      id: ++this.nextId,
      remote,
      source: this.options.name,
      socket,
      decoder: new FrameDecoder(this.maxFrame),
      address,
      acceptedAt: this.clock(),
      silent: true,
      counted: true,
      midFrameSince: 0,
      dropped: false,
      protocol: PROTOCOL.UNDECIDED,
      prefix: undefined,
      clientId: undefined,
      acks: undefined,
      readAtMs: 0,
      user: undefined,
    };
    this.table.add(conn);
    this.stats.connectionsOpened++;
    let suppressed = this.lifecycleLimiter.allow();
    if (suppressed >= 0) this.log.info({ conn: conn.id, remote: conn.remote, suppressed }, "connection opened");
    if (this.paused) socket.pause();
    socket.setTimeout(this.idleMs, () => {
      // An unfinished frame is lost input (a dead letter); a connection idle between frames loses nothing.
      if (conn.decoder.midFrame()) this.drop(conn, "idle_timeout", `no data for ${this.idleMs} ms inside a frame`);
      else this.shut(conn, "idle_timeout", `no data for ${this.idleMs} ms`);
    });
    socket.on("data", (chunk: Buffer) => this.onData(conn, chunk));
    socket.on("error", (err) => {
      if (this.limiter.allow() >= 0) this.log.info({ conn: conn.id, err: err.message }, "connection failed");
    });
    socket.on("close", () => {
      this.table.forget(conn);
      this.stats.connectionsClosed++;
      if (!conn.dropped && conn.decoder.midFrame()) {
        this.bad("truncated_frame", conn, `connection closed with ${conn.decoder.bufferedBytes()} bytes of an unfinished frame`);
      }
      suppressed = this.lifecycleLimiter.allow();
      if (suppressed >= 0) this.log.info({ conn: conn.id, remote: conn.remote, suppressed }, "connection closed");
      this.options.onClose?.(conn);
    });
  }

  /** Acknowledged protocol: the frame being handled on `conn` is accepted later; returns its number (0 on a plain connection). */
  hold(conn: SourceConnection): number {
    return conn.acks ? conn.acks.hold() : 0;
  }

  /** Acknowledged protocol: frame `seq` of `conn`, held earlier, is accepted. */
  complete(conn: SourceConnection, seq: number): void {
    if (!conn.acks) return;
    conn.acks.complete(seq);
    this.acks.schedule(conn as Conn);
  }

  /** Closes a connection whose frame could not be accepted: an acknowledged client resends what was not acknowledged. */
  reject(conn: SourceConnection, detail: string): void {
    const c = conn as Conn;
    if (c.dropped || !this.table.all.has(c)) return;
    c.dropped = true;
    if (this.limiter.allow() >= 0) this.log.warn({ conn: c.id, remote: c.remote, detail }, "frame not accepted; connection closed so the client resends");
    this.table.forget(c);
    c.socket.destroy();
  }

  private onData(conn: Conn, chunk: Buffer): void {
    this.stats.bytesIn += chunk.length;
    conn.readAtMs = wallClockMs();
    if (conn.protocol === PROTOCOL.UNDECIDED) {
      const sniffed = sniff(conn.prefix, chunk);
      if (sniffed.protocol === undefined) {
        conn.prefix = sniffed.prefix;
        return;
      }
      conn.prefix = undefined;
      conn.protocol = sniffed.protocol;
      chunk = sniffed.rest;
    }
    try {
      conn.decoder.pushAt(chunk, (buf, start, end) => {
        if (conn.protocol === PROTOCOL.HELLO) {
          this.hello(conn, buf.subarray(start, end));
          return;
        }
        if (conn.dropped) return;
        if (conn.silent) this.table.heard(conn);
        this.stats.framesIn++;
        conn.acks?.next();
        try {
          this.frameAt(buf, start, end, conn);
        } catch (err) {
          this.stats.handlerErrors++;
          if (this.limiter.allow() >= 0) this.log.error({ err, conn: conn.id }, "frame handler threw; continuing");
        }
      });
      if (conn.acks) this.acks.schedule(conn);
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

  private hello(conn: Conn, payload: Buffer): void {
    const hello = readHello(payload);
    if ("error" in hello) {
      this.drop(conn, "bad_hello", hello.error);
      return;
    }
    conn.protocol = PROTOCOL.ACKED;
    this.table.heard(conn);
    conn.clientId = hello.clientId;
    conn.acks = hello.acks;
    this.stats.ackedConnections++;
    this.log.info({ conn: conn.id, client: hello.clientId, nextSeq: hello.acks.current + 1 }, "acknowledged connection");
  }

  private sweepIdle(): void {
    const now = Date.now();
    for (const c of this.table.all) {
      if (c.midFrameSince > 0 && now - c.midFrameSince > this.idleMs) this.drop(c, "idle_timeout", `one frame unfinished for ${now - c.midFrameSince} ms`);
    }
    // Oldest first; the clock stands still while reading is paused (a paused connection cannot deliver its first frame).
    const clock = this.clock(now);
    for (const c of this.table.silent) {
      if (clock - c.acceptedAt < this.firstFrameMs) break;
      this.shut(c, "first_frame_timeout", `no complete first frame in ${this.firstFrameMs} ms`);
    }
  }

  private drop(conn: Conn, reason: SourceBadInput, detail: string): void {
    if (conn.dropped) return;
    conn.dropped = true;
    this.bad(reason, conn, detail);
    this.table.forget(conn);
    conn.decoder.reset();
    conn.socket.destroy();
  }

  /** Closes a connection for a connection-level reason: counted and logged (rate-limited), not bad input. */
  private shut(conn: Conn, reason: SourceRefusal, detail: string): void {
    if (conn.dropped) return;
    conn.dropped = true;
    this.refused(reason, conn.remote, detail);
    this.table.forget(conn);
    conn.decoder.reset();
    conn.socket.destroy();
  }

  private refuse(socket: Socket, remote: string, reason: SourceRefusal, detail: string): void {
    this.refused(reason, remote, detail);
    socket.destroy();
  }

  private refused(reason: SourceRefusal, remote: string, detail: string): void {
    this.stats.refused[reason]++;
    const suppressed = this.refusalLimiter.allow();
    if (suppressed >= 0) this.log.warn({ reason, remote, detail, suppressed }, reason.startsWith("max_") ? "connection refused" : "connection closed");
  }

  private clock(now = Date.now()): number {
    return (this.pausedSince || now) - this.pausedMs;
  }

  private bad(reason: SourceBadInput, conn: SourceConnection, detail: string): void {
    this.stats.badInput++;
    const suppressed = this.limiter.allow();
    if (suppressed >= 0) this.log.warn({ reason, conn: conn.id, remote: conn.remote, detail, suppressed }, "bad input; connection dropped");
    this.options.onBadInput?.(reason, conn, detail);
  }

  private pause(): void {
    this.paused = true;
    this.pausedSince = Date.now();
    this.stats.pauses++;
    for (const c of this.table.all) c.socket.pause();
    this.options.backpressure?.paused();
  }

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pausedMs += Date.now() - this.pausedSince;
    this.pausedSince = 0;
    for (const c of this.table.all) c.socket.resume();
  }
}

// An IPv4 client of a dual-stack listener shows as ::ffff:a.b.c.d; one client, one key.
function addressOf(socket: Socket): string {
  const a = socket.remoteAddress ?? "unknown";
  return a.startsWith("::ffff:") ? a.slice(7) : a;
}

// Over 300 lines: one tool, the TCP fault proxy (pass, delay and jitter, bandwidth, blackhole, reset,
// each one way or both); the per-direction pipe and the fault schedule share one connection state.
import { connect, createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { ConfigError } from "../errors.js";
import { prng } from "../util/random.js";

/** Which way a fault applies: `up` is client -> target, `down` is target -> client. */
export type Direction = "both" | "up" | "down";

/** Where a fault proxy listens and what it forwards to. */
export interface FaultProxyOptions {
  /** The server every accepted connection is forwarded to (e.g. a nats-server or a sink). */
  readonly target: { readonly host: string; readonly port: number };
  /** Address to listen on (default `127.0.0.1`). */
  readonly host?: string;
  /** Port to listen on (default 0: a free port). */
  readonly port?: number;
  /** Seed of the jitter PRNG, so that a run reproduces (default 1). */
  readonly seed?: number;
}

/** Counters of a fault proxy since it started. */
export interface FaultProxyStats {
  /** Connections accepted and proxied (refused ones not included). */
  readonly connections: number;
  /** Connections open now (forwarding or held). */
  readonly open: number;
  /** Bytes forwarded client -> target. */
  readonly bytesUp: number;
  /** Bytes forwarded target -> client. */
  readonly bytesDown: number;
  /** Connections destroyed by `resetAll()`. */
  readonly resets: number;
  /** Connections closed at once because `refuse(true)` was on. */
  readonly refused: number;
}

/** Default listen address of a fault proxy. */
export const DEFAULT_FAULT_PROXY_HOST = "127.0.0.1";
/** Default jitter seed of a fault proxy. */
export const DEFAULT_FAULT_PROXY_SEED = 1;
// Bytes one direction of a connection may hold (read but not yet forwarded) before it stops reading:
// large enough not to throttle a delayed stream in tests, small enough to bound memory.
const MAX_HELD_BYTES = 8 * 1024 * 1024;
// Under a bandwidth cap, bytes go out in slices of this much time's worth, so the rate is smooth
// rather than one large chunk and then a long pause.
const BANDWIDTH_SLICE_MS = 20;
const MAX_BANDWIDTH_SLICE = 64 * 1024;

type Way = "up" | "down";

/** The faults of one direction; mutated in place so open connections see changes at once. */
interface WayFaults {
  delayMs: number;
  jitterMs: number;
  bytesPerSecond: number; // Infinity: no cap
  blackholed: boolean;
}

/** One item read from a source: bytes, or the source's end (FIN) or reset, which travel in order too. */
interface Held {
  readonly chunk?: Buffer;
  readonly close?: "end" | "reset";
  readonly arrival: number;
  readonly jitter: number; // in [-1, 1): this item's share of the jitter
}

/** A TCP proxy between clients and one target that injects network faults: delay/jitter, bandwidth cap, blackhole, reset, refuse. */
export class FaultProxy {
  /** Address clients connect to. */
  readonly host: string;
  /** Port clients connect to. */
  readonly port: number;
  readonly #server: Server;
  readonly #target: { readonly host: string; readonly port: number };
  readonly #seed: number;
  readonly #faults: Record<Way, WayFaults> = { up: noFaults(), down: noFaults() };
  readonly #connections = new Set<Connection>();
  #refusing = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  #counters = { connections: 0, bytesUp: 0, bytesDown: 0, resets: 0, refused: 0 };

  private constructor(server: Server, host: string, port: number, options: FaultProxyOptions) {
    this.#server = server;
    this.host = host;
    this.port = port;
    this.#target = { host: options.target.host, port: options.target.port };
    this.#seed = options.seed ?? DEFAULT_FAULT_PROXY_SEED;
    server.on("connection", (socket) => this.#accept(socket));
    // An accept error (e.g. out of file descriptors) must not crash the test process; the client sees it.
    server.on("error", () => undefined);
  }

  /** Starts a proxy listening on `host:port` (a free port by default) that forwards to `target`. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const { target } = options;
    if (!target || typeof target.host !== "string" || !validPort(target.port) || target.port === 0) {
      throw new ConfigError(`fault proxy: target must be { host, port } with a port in 1..65535, got ${JSON.stringify(target)}`);
    }
    const host = options.host ?? DEFAULT_FAULT_PROXY_HOST;
    const port = options.port ?? 0;
    if (!validPort(port)) throw new ConfigError(`fault proxy: port must be an integer in 0..65535, got ${port}`);
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new ConfigError(`fault proxy: seed must be a finite number, got ${options.seed}`);
    }
    // allowHalfOpen: a client's FIN is forwarded in order (after its delayed bytes), not answered by Node.
    // pauseOnConnect: nothing is read from a new connection until the proxy decides to (it may be held).
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) =>
        reject(new ConfigError(`fault proxy: cannot listen on ${host}:${port}: ${err.message}`, { cause: err })),
      );
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    const actual = typeof address === "object" && address ? address.port : port;
    return new FaultProxy(server, host, actual, options);
  }

  /** `nats://host:port`: the URL to give a NATS client instead of the server's. */
  get url(): string {
    return `nats://${this.host.includes(":") ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** A snapshot of the proxy's counters. */
  get stats(): FaultProxyStats {
    return { ...this.#counters, open: this.#connections.size };
  }

  /** Removes every fault (delay, bandwidth cap, blackhole) in both directions; held bytes flow again. `refuse` is unchanged. */
  pass(): void {
    Object.assign(this.#faults.up, noFaults());
    Object.assign(this.#faults.down, noFaults());
    this.#changed();
  }

  /** Delays each chunk by `ms` ± `jitterMs` (uniform, seeded); a later chunk never overtakes an earlier one. `delay(0)` removes it. */
  delay(ms: number, jitterMs = 0, direction: Direction = "both"): void {
    if (!Number.isFinite(ms) || ms < 0) throw new ConfigError(`fault proxy: delay must be a finite number of ms >= 0, got ${ms}`);
    if (!Number.isFinite(jitterMs) || jitterMs < 0) {
      throw new ConfigError(`fault proxy: jitter must be a finite number of ms >= 0, got ${jitterMs}`);
    }
    for (const f of this.#ways(direction)) {
      f.delayMs = ms;
      f.jitterMs = jitterMs;
    }
    this.#changed();
  }

  /** Caps each connection's throughput in `direction` to `bytesPerSecond` (`Infinity` removes the cap). */
  bandwidth(bytesPerSecond: number, direction: Direction = "both"): void {
    if (!(bytesPerSecond > 0)) {
      throw new ConfigError(`fault proxy: bandwidth must be > 0 bytes per second (Infinity for no cap), got ${bytesPerSecond}`);
    }
    for (const f of this.#ways(direction)) f.bytesPerSecond = bytesPerSecond;
    this.#changed();
  }

  /**
   * Stops forwarding and reading in `direction`, keeping the sockets (a cut cable): bytes, FINs and
   * resets wait in buffers until `pass()`. New connections are accepted and held too (while `up` is
   * blackholed the target is not even dialed).
   */
  blackhole(direction: Direction = "both"): void {
    for (const f of this.#ways(direction)) f.blackholed = true;
    this.#changed();
  }

  /** Destroys every open connection at once, both sides, with a TCP reset: faults do not hold it back. */
  resetAll(): void {
    for (const c of [...this.#connections]) {
      this.#counters.resets++;
      c.destroy(true);
    }
  }

  /** While on, new connections are closed (reset) as soon as they are accepted; open ones are untouched. */
  refuse(on: boolean): void {
    this.#refusing = on;
  }

  /** Stops listening and closes every connection; idempotent. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closed = true;
      const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
      for (const c of [...this.#connections]) c.destroy(false);
      this.#closing = stopped;
    }
    return this.#closing;
  }

  /** @internal Called by a connection when bytes were forwarded. */
  counted(way: Way, bytes: number): void {
    if (way === "up") this.#counters.bytesUp += bytes;
    else this.#counters.bytesDown += bytes;
  }

  /** @internal Called by a connection once both of its sockets are gone. */
  finished(c: Connection): void {
    this.#connections.delete(c);
  }

  #accept(socket: Socket): void {
    socket.on("error", () => undefined); // handled through 'close'
    if (this.#closed || this.#refusing) {
      if (!this.#closed) this.#counters.refused++;
      reset(socket);
      return;
    }
    const index = this.#counters.connections++;
    const c = new Connection(this, socket, this.#target, this.#faults, this.#seed, index);
    this.#connections.add(c);
    c.start();
  }

  #ways(direction: Direction): WayFaults[] {
    if (direction === "up") return [this.#faults.up];
    if (direction === "down") return [this.#faults.down];
    if (direction === "both") return [this.#faults.up, this.#faults.down];
    throw new ConfigError(`fault proxy: direction must be "both", "up" or "down", got ${JSON.stringify(direction)}`);
  }

  #changed(): void {
    // After close() there are no connections: a fault set during cleanup is harmless, not an error.
    for (const c of this.#connections) c.refresh();
  }
}

/** One proxied client connection: the client socket, the target socket (once dialed) and a pipe each way. */
class Connection {
  #upstream: Socket | undefined;
  #up: Pipe | undefined;
  #down: Pipe | undefined;
  #clientClosed = false;
  #upstreamClosed = false;
  #done = false;

  constructor(
    private readonly proxy: FaultProxy,
    private readonly client: Socket,
    private readonly target: { readonly host: string; readonly port: number },
    private readonly faults: Record<Way, WayFaults>,
    private readonly seed: number,
    private readonly index: number,
  ) {}

  start(): void {
    this.client.once("close", () => {
      this.#clientClosed = true;
      // A client that leaves before the target was dialed never reached it: nothing to forward.
      if (!this.#upstream) this.destroy(false);
      this.#maybeFinish();
    });
    this.#dialIfOpen();
  }

  /** Applies changed faults: dials a held new connection, resumes or pauses reading, reschedules. */
  refresh(): void {
    if (this.#done) return;
    this.#dialIfOpen();
    this.#up?.pump();
    this.#down?.pump();
  }

  /** Tears both sockets down now (with a reset when `abort`), skipping the pipes. */
  destroy(abort: boolean): void {
    if (this.#done) return;
    this.#done = true;
    this.#up?.stop();
    this.#down?.stop();
    for (const s of [this.client, this.#upstream]) {
      if (!s) continue;
      if (abort) reset(s);
      else s.destroy();
    }
    this.proxy.finished(this);
  }

  #dialIfOpen(): void {
    // The target's first contact is an upstream packet: while `up` is blackholed it never hears of the client.
    if (this.#upstream || this.#done || this.#clientClosed || this.faults.up.blackholed) return;
    const upstream = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true, noDelay: true });
    this.#upstream = upstream;
    upstream.on("error", () => undefined); // handled through 'close'
    upstream.once("connect", () => {
      if (this.#done) return;
      // The client gave up while the target was being dialed: there is no one to forward for.
      if (this.#clientClosed) {
        this.destroy(false);
        return;
      }
      // One PRNG per connection and direction, so a connection's jitter does not depend on other traffic.
      const rand = (way: Way) => prng((Math.imul(this.seed | 0, 0x9e3779b1) + this.index * 2 + (way === "up" ? 0 : 1)) >>> 0);
      this.#up = new Pipe("up", this.client, upstream, this.faults.up, rand("up"), this.proxy);
      this.#down = new Pipe("down", upstream, this.client, this.faults.down, rand("down"), this.proxy);
      this.#up.pump();
      this.#down.pump();
    });
    upstream.once("close", () => {
      this.#upstreamClosed = true;
      // The target refused or dropped the dial: the client sees its connection reset, as if refused.
      if (!this.#up) this.destroy(true);
      this.#maybeFinish();
    });
  }

  #maybeFinish(): void {
    if (this.#done) return;
    if (this.#clientClosed && (this.#upstreamClosed || !this.#upstream)) {
      this.#done = true;
      this.#up?.stop();
      this.#down?.stop();
      this.proxy.finished(this);
    }
  }
}

/**
 * One direction of a connection. Everything read from `src` (bytes, then its FIN or reset) is queued
 * and only the head is ever released, so order holds whatever the per-chunk delay.
 */
class Pipe {
  readonly #queue: Held[] = [];
  #headOffset = 0;
  #heldBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #waitingDrain = false;
  #sourceDone = false;
  #stopped = false;
  // Token bucket of the bandwidth cap: `#tokens` bytes may go now, refilled at the cap's rate.
  #tokens = 0;
  #refilledAt = 0;
  #capped = false;

  constructor(
    private readonly way: Way,
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly faults: WayFaults,
    private readonly rand: () => number,
    private readonly proxy: FaultProxy,
  ) {
    src.on("data", (chunk: Buffer) => this.#hold({ chunk, arrival: performance.now(), jitter: this.#jitter() }));
    src.once("end", () => this.#hold({ close: "end", arrival: performance.now(), jitter: this.#jitter() }));
    src.once("close", () => {
      // A close without a FIN first is a reset (or an error): the other side sees a reset, in order.
      if (!this.#sourceDone) this.#hold({ close: "reset", arrival: performance.now(), jitter: this.#jitter() });
    });
    dst.on("drain", () => {
      this.#waitingDrain = false;
      this.pump();
    });
  }

  /** Releases every item that is due and allowed now, then waits for a timer, a 'drain' or a fault change. */
  pump(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped) return;
    const f = this.faults;
    if (!f.blackholed) {
      for (;;) {
        const head = this.#queue[0];
        if (!head || this.#waitingDrain) break;
        const now = performance.now();
        const due = head.arrival + Math.max(0, f.delayMs + head.jitter * f.jitterMs);
        if (due > now) {
          this.#wake(due - now);
          break;
        }
        if (head.close) {
          this.#queue.shift();
          this.#stopped = true;
          if (head.close === "reset") reset(this.dst);
          else if (!this.dst.destroyed && this.dst.writable) this.dst.end();
          return;
        }
        const wait = this.#forward(head.chunk as Buffer, now);
        if (wait > 0) {
          this.#wake(wait);
          break;
        }
      }
    }
    this.#updateReading();
  }

  /** Stops the pipe for good: no more reads, writes or timers. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Writes (part of) the head chunk within the bandwidth cap; returns ms to wait before the rest may go, else 0. */
  #forward(chunk: Buffer, now: number): number {
    const rate = this.faults.bytesPerSecond;
    let size = chunk.length - this.#headOffset;
    if (Number.isFinite(rate)) {
      const burst = Math.min(MAX_BANDWIDTH_SLICE, Math.max(1, Math.floor((rate * BANDWIDTH_SLICE_MS) / 1000)));
      if (!this.#capped) {
        this.#capped = true;
        this.#tokens = burst;
        this.#refilledAt = now;
      }
      this.#tokens = Math.min(burst, this.#tokens + ((now - this.#refilledAt) * rate) / 1000);
      this.#refilledAt = now;
      size = Math.min(size, burst);
      if (this.#tokens < size) return Math.max(1, ((size - this.#tokens) * 1000) / rate);
      this.#tokens -= size;
    } else {
      this.#capped = false;
    }
    const slice = size === chunk.length ? chunk : chunk.subarray(this.#headOffset, this.#headOffset + size);
    this.#headOffset += size;
    if (this.#headOffset === chunk.length) {
      this.#queue.shift();
      this.#headOffset = 0;
    }
    this.#heldBytes -= size;
    // A destroyed destination (its side already went away) drops the bytes, like packets to a closed host.
    if (!this.dst.destroyed && this.dst.writable) {
      this.proxy.counted(this.way, size);
      if (!this.dst.write(slice)) this.#waitingDrain = true;
    }
    return 0;
  }

  #hold(item: Held): void {
    if (this.#sourceDone || this.#stopped) return;
    if (item.close) this.#sourceDone = true;
    this.#queue.push(item);
    if (item.chunk) this.#heldBytes += item.chunk.length;
    this.pump();
  }

  #jitter(): number {
    return this.rand() * 2 - 1;
  }

  #wake(ms: number): void {
    this.#timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(ms)));
  }

  // Reading stops while blackholed (bytes stay in the kernel's buffers) and while too much is held.
  #updateReading(): void {
    if (this.#sourceDone || this.src.destroyed) return;
    const pause = this.#stopped || this.faults.blackholed || this.#heldBytes >= MAX_HELD_BYTES;
    // A socket accepted with pauseOnConnect starts with flowing === false, which a 'data' listener does not undo.
    if (pause) {
      if (this.src.readableFlowing !== false) this.src.pause();
    } else if (this.src.readableFlowing !== true) this.src.resume();
  }
}

function noFaults(): WayFaults {
  return { delayMs: 0, jitterMs: 0, bytesPerSecond: Infinity, blackholed: false };
}

function validPort(port: unknown): port is number {
  return typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65535;
}

/** Destroys a socket with a TCP reset (RST) where it can, else plainly. */
function reset(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

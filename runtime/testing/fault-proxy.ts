import { createServer, type Server, type Socket } from "node:net";
import { ConfigError } from "../errors.js";
import { FaultConnection, noFaults, reset, type ConnectionHost, type Way, type WayFaults } from "./fault-connection.js";

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
/** A TCP proxy between clients and one target that injects network faults: delay/jitter, bandwidth cap, blackhole, reset, refuse. */
export class FaultProxy implements ConnectionHost {
  /** Address clients connect to. */
  readonly host: string;
  /** Port clients connect to. */
  readonly port: number;
  readonly #server: Server;
  readonly #target: { readonly host: string; readonly port: number };
  readonly #seed: number;
  readonly #faults: Record<Way, WayFaults> = { up: noFaults(), down: noFaults() };
  readonly #connections = new Set<FaultConnection>();
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
  finished(c: FaultConnection): void {
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
    const c = new FaultConnection(this, socket, this.#target, this.#faults, this.#seed, index);
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

function validPort(port: unknown): port is number {
  return typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65535;
}

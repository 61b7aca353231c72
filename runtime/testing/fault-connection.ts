import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { prng } from "../util/random.js";

// One proxied connection of the fault proxy (fault-proxy.ts) and its two pipes: the faults applied
// to the bytes themselves (delay and jitter, bandwidth, blackhole), in order, each way.

/** What a connection tells the proxy it belongs to. */
export interface ConnectionHost {
  /** Bytes forwarded one way. */
  counted(way: Way, bytes: number): void;
  /** Both sockets of `c` are gone. */
  finished(c: FaultConnection): void;
}

// Bytes one direction of a connection may hold (read but not yet forwarded) before it stops reading:
// large enough not to throttle a delayed stream in tests, small enough to bound memory.
const MAX_HELD_BYTES = 8 * 1024 * 1024;
// Under a bandwidth cap, bytes go out in slices of this much time's worth, so the rate is smooth
// rather than one large chunk and then a long pause.
const BANDWIDTH_SLICE_MS = 20;
const MAX_BANDWIDTH_SLICE = 64 * 1024;

/** A direction: `up` is client -> target, `down` is target -> client. */
export type Way = "up" | "down";

/** The faults of one direction; mutated in place so open connections see changes at once. */
export interface WayFaults {
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

/** One proxied client connection: the client socket, the target socket (once dialed) and a pipe each way. */
export class FaultConnection {
  #upstream: Socket | undefined;
  #up: Pipe | undefined;
  #down: Pipe | undefined;
  #clientClosed = false;
  #upstreamClosed = false;
  #done = false;

  constructor(
    private readonly proxy: ConnectionHost,
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
    private readonly proxy: ConnectionHost,
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

/** No fault either way. */
export function noFaults(): WayFaults {
  return { delayMs: 0, jitterMs: 0, bytesPerSecond: Infinity, blackholed: false };
}

/** Destroys a socket with a TCP reset (RST) where it can, else plainly. */
export function reset(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting) socket.destroy();
  else socket.resetAndDestroy();
}

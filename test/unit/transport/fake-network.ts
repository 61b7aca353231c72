import { silentLogger } from "../../../runtime/logger.js";
import type { ChannelClock } from "../../../runtime/transport/channel-clock.js";
import { ReliableChannel, type ReliableChannelOptions } from "../../../runtime/transport/reliable-channel.js";
import { nodeMessageCodec, type WireEnvelope, type WireNodeMessage } from "../../../runtime/wire/messages.js";

/** A message on its way: who it is for, its bytes, and what it is (decoded once, for the test to pick by). */
export interface InFlight {
  readonly to: string;
  readonly bytes: Uint8Array;
  readonly msg: WireNodeMessage;
}

/** A clock the test moves: `soon` callbacks run on `settle`, `after` and `every` callbacks on `advance`. */
export class ManualClock implements ChannelClock {
  t = 0;
  private readonly queued: Array<() => void> = [];
  private readonly timers: Array<{ ms: number; next: number; fn: () => void }> = [];

  now(): number {
    return this.t;
  }
  soon(fn: () => void): void {
    this.queued.push(fn);
  }
  after(ms: number, fn: () => void): void {
    // An interval that removes itself when it fires.
    const stop = this.every(ms, () => {
      stop();
      fn();
    });
  }
  every(ms: number, fn: () => void): () => void {
    const timer = { ms, next: this.t + ms, fn };
    this.timers.push(timer);
    return () => void this.timers.splice(this.timers.indexOf(timer), 1);
  }
  /** Runs what was deferred; true if anything ran. */
  settle(): boolean {
    const fns = this.queued.splice(0);
    for (const fn of fns) fn();
    return fns.length > 0;
  }
  /** Moves time on by `ms`, firing interval timers as they come due. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.t = due.next;
      due.next += due.ms;
      due.fn();
    }
    this.t = end;
  }
}

/**
 * Channels on a network the test controls: what they publish waits in `queue` until the test
 * delivers, drops, repeats or reorders it. `refuseOver` makes publish refuse larger messages.
 */
export class FakeNetwork {
  readonly clock = new ManualClock();
  readonly queue: InFlight[] = [];
  readonly channels = new Map<string, ReliableChannel<number>>();
  /** What each node was handed, in order: envelope seqs of batches, or -epoch of an epoch-ack control. */
  readonly got = new Map<string, number[]>();
  budget = 64 * 1024;
  refuseOver = Infinity;

  /** A started channel for node `id`. */
  add(id: string, options: Partial<ReliableChannelOptions<number>> = {}): ReliableChannel<number> {
    const got: number[] = [];
    this.got.set(id, got);
    const ch = new ReliableChannel<number>({
      publish: (to, bytes) => {
        if (bytes.length > this.refuseOver) return false;
        this.queue.push({ to, bytes, msg: nodeMessageCodec.decode(bytes) });
        return true;
      },
      deliver: (_from, m) => {
        if (m.batch) for (const e of m.batch.envelopes) got.push(e.seq);
        else if (m.control?.epochAck) got.push(-m.control.epochAck.epoch);
      },
      budget: () => this.budget,
      logger: silentLogger(),
      ackTimeoutMs: 100,
      // Acknowledgements at the end of the turn (settle), unless a test sets a delay (advance).
      ackDelayMs: 0,
      clock: this.clock,
      ...options,
    });
    ch.start(id);
    this.channels.set(id, ch);
    return ch;
  }

  /** Takes the queued messages out (for the test to deliver in its own way). */
  take(): InFlight[] {
    return this.queue.splice(0);
  }

  /** Hands messages to their receivers. */
  deliver(messages: readonly InFlight[]): void {
    for (const m of messages) this.channels.get(m.to)?.receive(m.bytes);
  }

  /** Delivers everything, acknowledgements included, until nothing moves; `drop` loses the messages it picks. */
  run(drop: (m: InFlight) => boolean = () => false): void {
    while (this.queue.length > 0 || this.clock.settle()) this.deliver(this.take().filter((m) => !drop(m)));
  }
}

/** A batch of one envelope carrying `seq`, and its event for re-routing. */
export function one(seq: number, payloadBytes = 8): [{ batch: { envelopes: WireEnvelope[] } }, number[]] {
  return [{ batch: { envelopes: [envelope(seq, payloadBytes)] } }, [seq]];
}

/** A batch of envelopes carrying `seqs`, and their events. */
export function many(seqs: number[], payloadBytes = 8): [{ batch: { envelopes: WireEnvelope[] } }, number[]] {
  return [{ batch: { envelopes: seqs.map((s) => envelope(s, payloadBytes)) } }, seqs];
}

/** A wire envelope whose seq tells it apart. */
export function envelope(seq: number, payloadBytes = 8): WireEnvelope {
  return { app: "a", stage: 0, slot: seq % 256, key: `k${seq}`, payload: new Uint8Array(payloadBytes).fill(seq % 251), epoch: 1, source: "s", seq, hops: 0, acceptedMs: 0 };
}

/** True for data (not acknowledgements) with sequence number `seq`. */
export const isData = (seq?: number) => (m: InFlight) => !m.msg.ack && m.msg.seq > 0 && (seq === undefined || m.msg.seq === seq);
/** True for acknowledgements. */
export const isAck = (m: InFlight) => m.msg.ack !== undefined && m.msg.ack !== null;

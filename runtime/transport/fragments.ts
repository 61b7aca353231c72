import { LogRateLimiter, type Logger } from "../logger.js";
import type { WireEnvelope, WireFragment } from "../wire/messages.js";
import { payloadLength } from "../wire/node-message-encode.js";

/** The counters a reassembler adds to (a part of the channel's stats). */
export interface ReassemblyStats {
  fragmentsReceived: number;
  malformed: number;
  reassemblyOverflows: number;
}

// One sender's message being joined: its pieces so far, in order, and their bytes.
interface Parts {
  pieces: Uint8Array[];
  bytes: number;
  /** The message overflowed the bound or lost its place: its remaining pieces are dropped. */
  discarding: boolean;
}

/**
 * Joins messages that arrived as fragments, one message at a time per sender, within a bound of
 * bytes per sender. Fragments must be handed over in the sender's sequence order (the channel
 * delivers in order), so the pieces of one message are consecutive.
 */
export class Reassembler {
  private readonly senders = new Map<string, Parts>();
  private held = 0;
  private readonly limiter = new LogRateLimiter(5);

  constructor(
    private readonly maxBytes: number,
    private readonly stats: ReassemblyStats,
    private readonly log: Logger,
  ) {}

  /** Bytes held now to reassemble messages (every sender). */
  bytes(): number {
    return this.held;
  }

  /** Takes one fragment from `from`; returns the whole message's bytes once its last piece is in. */
  add(from: string, f: WireFragment): Uint8Array | undefined {
    this.stats.fragmentsReceived++;
    let p = this.senders.get(from);
    if (!p) this.senders.set(from, (p = { pieces: [], bytes: 0, discarding: false }));
    const last = f.index === f.count - 1;
    if (f.index === 0) {
      this.clear(p);
      p.discarding = false;
    } else if (p.discarding) {
      if (last) p.discarding = false;
      return undefined;
    } else if (f.index !== p.pieces.length) {
      this.stats.malformed++;
      if (this.limiter.allow() >= 0) this.log.warn({ from, index: f.index, count: f.count, have: p.pieces.length }, "fragment out of place; its message is dropped");
      this.clear(p);
      p.discarding = !last;
      return undefined;
    }
    if (p.bytes + f.data.length > this.maxBytes) {
      this.stats.reassemblyOverflows++;
      this.log.error({ from, bytes: p.bytes + f.data.length, maxReassemblyBytes: this.maxBytes }, "fragmented node message over the reassembly bound; dropped");
      this.clear(p);
      p.discarding = !last;
      return undefined;
    }
    p.pieces.push(f.data);
    p.bytes += f.data.length;
    this.held += f.data.length;
    if (!last) return undefined;
    const whole = Buffer.concat(p.pieces, p.bytes);
    this.clear(p);
    return whole;
  }

  /** Drops what is held for `from` (it restarted, or left). */
  drop(from: string): void {
    const p = this.senders.get(from);
    if (!p) return;
    this.clear(p);
    this.senders.delete(from);
  }

  private clear(p: Parts): void {
    this.held -= p.bytes;
    p.pieces = [];
    p.bytes = 0;
  }
}

/** Bytes a node message adds around its body (from, incarnation, seq, a fragment's index and count, tags and lengths), with room to spare. */
export function messageOverhead(from: string, session: string): number {
  return 64 + 3 * (from.length + session.length);
}

/** An upper bound of an envelope's encoded size inside a batch: strings at 3 bytes per UTF-16 unit (UTF-8's most), the payload, 64 bytes for the rest. */
export function envelopeBytes(w: WireEnvelope): number {
  return 64 + payloadLength(w) + 3 * (w.app.length + w.key.length + w.source.length);
}

/** Where a batch over `room` bytes is cut: the end index of each run of envelopes that fits (an envelope over `room` alone is a run). */
export function batchCuts(envs: readonly WireEnvelope[], room: number): number[] {
  const cuts: number[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < envs.length; i++) {
    const size = envelopeBytes(envs[i]!);
    if (i > start && bytes + size > room) {
      cuts.push(i);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  cuts.push(envs.length);
  return cuts;
}

/** The pieces of `whole` at most `chunk` bytes each, as fragments (views, not copies). */
export function cutFragments(whole: Uint8Array, chunk: number): WireFragment[] {
  const count = Math.ceil(whole.length / chunk);
  const out: WireFragment[] = new Array(count);
  for (let index = 0; index < count; index++) out[index] = { data: whole.subarray(index * chunk, (index + 1) * chunk), index, count };
  return out;
}

import { backoffDelay, backoffPolicy, type BackoffPolicy } from "../util/backoff.js";

// Longest wait between two resends to a peer that answers nothing.
const MAX_RESEND_BACKOFF_MS = 2_000;

/** A sent message kept until acknowledged. */
export interface Outgoing<E> {
  /** Its sequence number and encoding (both change only when its stream restarts). */
  seq: number;
  bytes: Uint8Array;
  readonly envelopes: number;
  /** The events inside (batch or handed-off buffer), kept until acknowledged so they can be re-routed. */
  readonly events: readonly E[] | undefined;
  /** Its events are read back from `bytes` when needed, not kept (see `ReliableChannelOptions.eventsOfBatch`). */
  readonly eventsInBytes: boolean;
  sentAt: number;
  /** Publish refused it as too large (the limit fell after it was sized): never published again. */
  refused: boolean;
}

/** This node's stream of messages to one peer. */
export interface Stream<E> {
  /** The last sequence number given out. */
  seq: number;
  readonly unacked: Outgoing<E>[];
  /** Resend rounds unanswered since the last progress: the wait before the next doubles with each (a paused or refusing peer), back to the ack timeout on progress. */
  resends: number;
  /** Names the stream: a new one (seq from 1) each time the peer is forgotten and met again, or asks for one. */
  session: string;
}

/**
 * The sending half of a reliable channel: one stream per peer, its unacknowledged messages, and
 * when they are due again. Counts the envelopes and bytes in flight over every peer.
 */
export class Outbox<E> {
  private readonly streams = new Map<string, Stream<E>>();
  private sessions = 0;
  private envelopes = 0;
  private bytes = 0;
  private readonly idleWaiters: Array<() => void> = [];

  // The first resend waits the ack timeout; each unanswered round doubles it, up to MAX_RESEND_BACKOFF_MS.
  private readonly resendPolicy: BackoffPolicy;

  constructor(
    private readonly incarnation: string,
    ackTimeout: number,
  ) {
    this.resendPolicy = backoffPolicy({ minMs: ackTimeout, maxMs: Math.max(ackTimeout, MAX_RESEND_BACKOFF_MS) });
  }

  /** Envelopes sent and not yet acknowledged. */
  inFlight(): number {
    return this.envelopes;
  }

  /** Bytes of messages sent and not yet acknowledged. */
  inFlightBytes(): number {
    return this.bytes;
  }

  /** Resolves once nothing is unacknowledged (at once when nothing is). */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** True while a message to some peer waits for its acknowledgement. */
  busy(): boolean {
    if (this.envelopes > 0) return true;
    for (const s of this.streams.values()) if (s.unacked.length > 0) return true;
    return false;
  }

  /** `peer:count` of every peer with messages unacknowledged (for a log line). */
  waiting(): string[] {
    return [...this.streams].filter(([, s]) => s.unacked.length > 0).map(([id, s]) => `${id}:${s.unacked.length}`);
  }

  /** The stream to `to`, opened (a new session) when there is none. */
  stream(to: string): Stream<E> {
    let s = this.streams.get(to);
    if (!s) this.streams.set(to, (s = { seq: 0, unacked: [], resends: 0, session: `${this.incarnation}.${++this.sessions}` }));
    return s;
  }

  /** Keeps a message encoded with sequence number `s.seq + 1` until it is acknowledged. */
  push(s: Stream<E>, bytes: Uint8Array, envelopes: number, events: readonly E[] | undefined, eventsInBytes: boolean, now: number): Outgoing<E> {
    const m: Outgoing<E> = { seq: ++s.seq, bytes, envelopes, events, eventsInBytes, sentAt: now, refused: false };
    s.unacked.push(m);
    this.envelopes += envelopes;
    this.bytes += bytes.length;
    return m;
  }

  /** Calls `resend` for every message (not refused) to each peer whose oldest unacknowledged one has waited its backoff. */
  due(now: number, resend: (to: string, m: Outgoing<E>) => void): void {
    for (const [to, s] of this.streams) {
      const first = s.unacked[0];
      if (!first || now - first.sentAt < backoffDelay(this.resendPolicy, s.resends)) continue;
      // Unanswered again: wait longer before the next round (a peer that refuses for a while is not flooded).
      s.resends++;
      for (const m of s.unacked) {
        if (m.refused) continue;
        m.sentAt = now;
        resend(to, m);
      }
    }
  }

  /** Takes a cumulative acknowledgement from `from` of `session` up to `seq`; returns when the newest message it covers was (last) sent, or -1 when it covers nothing new. */
  acked(from: string, seq: number, session: string): number {
    const s = this.streams.get(from);
    if (!s || session !== s.session) return -1;
    let n = 0;
    let envs = 0;
    let bytes = 0;
    while (n < s.unacked.length && s.unacked[n]!.seq <= seq) {
      bytes += s.unacked[n]!.bytes.length;
      envs += s.unacked[n++]!.envelopes;
    }
    if (n === 0) return -1;
    const sentAt = s.unacked[n - 1]!.sentAt;
    this.bytes -= bytes;
    s.unacked.splice(0, n);
    s.resends = 0;
    this.envelopes -= envs;
    this.checkIdle();
    return sentAt;
  }

  /**
   * The peer met the stream `session` mid-way and took nothing from it: the stream starts again under a
   * new session, its unacknowledged messages renumbered from 1 (re-encoded by `renumber`) and returned,
   * in order, to be sent again. Nothing when `session` is not the current one (a late answer).
   */
  restart(peer: string, session: string, renumber: (bytes: Uint8Array, session: string, seq: number) => Uint8Array): readonly Outgoing<E>[] {
    const s = this.streams.get(peer);
    if (!s || s.session !== session) return [];
    s.session = `${this.incarnation}.${++this.sessions}`;
    s.seq = 0;
    s.resends = 0;
    for (const m of s.unacked) {
      const bytes = renumber(m.bytes, s.session, ++s.seq);
      this.bytes += bytes.length - m.bytes.length;
      m.bytes = bytes;
      m.seq = s.seq;
    }
    return s.unacked;
  }

  /** Closes the stream to `peer`; returns what it never acknowledged. */
  drop(peer: string): readonly Outgoing<E>[] {
    const s = this.streams.get(peer);
    if (!s) return [];
    this.streams.delete(peer);
    for (const m of s.unacked) {
      this.envelopes -= m.envelopes;
      this.bytes -= m.bytes.length;
    }
    this.checkIdle();
    return s.unacked;
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.busy()) return;
    const w = this.idleWaiters.splice(0);
    for (const resolve of w) resolve();
  }
}

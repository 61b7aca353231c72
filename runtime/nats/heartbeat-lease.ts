import type { KV } from "@nats-io/kv";
import type { Logger } from "../logger.js";

/** What a heartbeat lease needs from its membership. */
export interface HeartbeatLeaseOptions {
  readonly heartbeatMs: number;
  /** How long an acknowledged heartbeat lets this node act, from its send (less than the failure timeout). */
  readonly leaseMs: number;
  readonly log: Logger;
  /** This node beats again after being cut off: the others' silence meanwhile says nothing about them. */
  graceAll(now: number): void;
  /** The monotonic clock (tests); `performance.now` by default. */
  readonly now?: () => number;
}

/**
 * This node's heartbeat and the ownership lease it renews (see `KvMembership`): each acknowledged
 * heartbeat extends the lease to its send time plus `leaseMs`, by this process's monotonic clock; a
 * failed renewal past the lease's end reports the lease lost.
 */
export class HeartbeatLease {
  private readonly now: () => number;
  private lease = 0;
  private lastBeatOk: number;
  // When the last acknowledgement arrived (our clock), whatever its send time.
  private lastAckAt: number;
  private beat = 0;
  private readonly renewedListeners = new Set<(until: number) => void>();
  private readonly lostListeners = new Set<() => void>();

  constructor(private readonly options: HeartbeatLeaseOptions) {
    this.now = options.now ?? (() => performance.now());
    this.lastBeatOk = this.lastAckAt = this.now();
  }

  /** The end of the lease (monotonic ms; 0 before the first heartbeat is acknowledged). */
  until(): number {
    return this.lease;
  }

  /** Calls `listener` with the new end each time the lease is renewed. */
  onRenewed(listener: (until: number) => void): () => void {
    this.renewedListeners.add(listener);
    return () => this.renewedListeners.delete(listener);
  }

  /** Calls `listener` when a renewal fails after the lease ran out. */
  onLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** True when this node has not beaten for two heartbeat periods: it is the one cut off, so it judges no one. */
  cutOff(now = this.now()): boolean {
    return now - this.lastBeatOk > this.options.heartbeatMs * 2;
  }

  /** Writes the next heartbeat to `key` of `beats`; renews the lease when it is acknowledged. */
  async renew(beats: KV, key: string): Promise<void> {
    // The lease counts from the send: the others see this heartbeat no earlier than that.
    const sentAt = this.now();
    try {
      await beats.put(key, new TextEncoder().encode(String(++this.beat)));
      const ackedAt = this.now();
      // This node could not beat either (NATS was away from it, or stalled, as in a JetStream leader
      // election: a put sent just before the stall is acknowledged only after it): each other member
      // gets a fresh grace period rather than being removed for a silence that says nothing about it.
      // Judged by the gap between acknowledgements, not by send times, which hide a stalled put.
      const stalled = ackedAt - this.lastAckAt > this.options.heartbeatMs * 2 || this.cutOff(sentAt);
      this.lastAckAt = Math.max(this.lastAckAt, ackedAt);
      if (stalled) this.options.graceAll(ackedAt);
      if (sentAt < this.lastBeatOk) return; // an older heartbeat answered late
      this.lastBeatOk = sentAt;
      this.lease = sentAt + this.options.leaseMs;
      for (const l of [...this.renewedListeners]) l(this.lease);
    } catch (err) {
      const now = this.now();
      this.options.log.warn({ err: (err as Error).message, silentMs: Math.round(now - this.lastBeatOk), leaseLeftMs: Math.round(this.lease - now) }, "heartbeat failed");
      // Besides the node's own timer: a failed renewal past the lease's end says it is gone.
      if (now > this.lease) for (const l of [...this.lostListeners]) l();
    }
  }
}

import type { Member } from "../cluster/membership.js";

/**
 * The epoch barrier: which epoch each member has acknowledged applying. A node hands a slot it lost
 * in epoch E over only once every other member acknowledged E: every event a stale sender routed to
 * it under an older epoch is then ahead of that acknowledgement on its channel, so none can arrive
 * after the handoff.
 */
export class EpochBarrier {
  private readonly acks = new Map<string, number>();

  /** `from` has applied `epoch`; true when that moved its acknowledgement forward. */
  ack(from: string, epoch: number): boolean {
    if ((this.acks.get(from) ?? 0) >= epoch) return false;
    this.acks.set(from, epoch);
    return true;
  }

  /** True when every member other than `self` has acknowledged `epoch` (or a later one). */
  passed(epoch: number, members: readonly Member[], self: string): boolean {
    for (const m of members) {
      if (m.id === self) continue;
      if ((this.acks.get(m.id) ?? 0) < epoch) return false;
    }
    return true;
  }
}

import type { Membership, MembershipView } from "../cluster/membership.js";
import type { Logger } from "../logger.js";
import type { Envelope } from "../types.js";

/** An output held while the lease was out: written if it is renewed, dropped if the node is fenced. */
export interface HeldOutput {
  readonly sink: string;
  readonly payload: Uint8Array;
  readonly acceptedMs: number;
}

/** What the seat needs from its node. */
export interface SeatHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly membership: Membership;
  /** The node is running or draining (a seat acts only then). */
  active(): boolean;
  /** Applies a membership view (placement, handoffs). */
  applyView(view: MembershipView): void;
  /** Stops acting as an owner of every slot; returns the events it held (older first). */
  fence(): Envelope[];
  /** Events to route again once the node is a member again. */
  park(envs: readonly Envelope[]): void;
  /** Acting again: write `outputs` (their events ran before the rest), then run what waited (actors' queues first, then `events`). */
  resume(events: readonly Envelope[], outputs: readonly HeldOutput[]): void;
  /** Whether the node takes events in changed (`mayAct` or the rejoin state moved). */
  intakeChanged(): void;
  /** Join as `joining` first (a warm join: the owners pre-copy this node's future slots). */
  readonly warmJoin?: boolean;
  /** The HTTP address to advertise in the view. */
  advertisedHttp(): string | undefined;
}

/**
 * This node's seat in the cluster: joining (views that arrive meanwhile wait for the join's own, which
 * says whom each slot comes from), the ownership lease, suspension when it runs out, and fencing and
 * rejoining as a new member when the node finds it was removed. `mayAct()` is the one question every
 * step, sink write and state write asks.
 */
export class MembershipSeat {
  // The ownership lease (monotonic ms): steps, sink writes and state writes only before it.
  private leaseUntil = Infinity;
  private timer: NodeJS.Timeout | undefined;
  // Lease ran out: nothing runs or is written until it is renewed and membership is confirmed.
  private suspended = false;
  private confirming = false;
  private rejoining = false;
  private joining = false;
  private readonly earlyViews: MembershipView[] = [];
  private readonly heldEvents: Envelope[] = [];
  private readonly heldOutputs: HeldOutput[] = [];
  private readonly offs: Array<() => void> = [];
  /** Suspensions (lease ran out), resumes (renewed, still a member), fences (removed: rejoined as a new member), outputs dropped by a fence. */
  readonly stats = { suspensions: 0, resumes: 0, fenced: 0, outputsDropped: 0 };

  constructor(private readonly host: SeatHost) {}

  /** Follows the membership (views, eviction, lease) and joins; resolves once the join's view is applied. */
  async join(): Promise<void> {
    const m = this.host.membership;
    this.joining = true;
    this.offs.push(
      m.subscribe((view) => {
        if (this.joining) this.earlyViews.push(view);
        else this.host.applyView(view);
      }),
    );
    const offEvicted = m.onEvicted?.(() => this.evicted());
    if (offEvicted) this.offs.push(offEvicted);
    if (m.leaseUntil) {
      this.leaseUntil = 0;
      const offRenewed = m.onLeaseRenewed?.((until) => this.renewed(until));
      const offLost = m.onLeaseLost?.(() => {
        if (performance.now() > this.leaseUntil) this.suspend();
      });
      if (offRenewed) this.offs.push(offRenewed);
      if (offLost) this.offs.push(offLost);
    }
    const view = await m.join(this.host.nodeId, { http: this.host.advertisedHttp(), warm: this.host.warmJoin === true });
    this.renewed(m.leaseUntil?.() ?? Infinity);
    this.joined(view);
  }

  /** True while this node may act as an owner: its lease is fresh and it is not suspended or rejoining. */
  mayAct(): boolean {
    // Checked per event (a paused process meets its expired lease before anything runs); no clock read without a lease.
    return !this.suspended && !this.rejoining && (this.leaseUntil === Infinity || performance.now() <= this.leaseUntil);
  }

  /** True while the node takes events in at all (not suspended, not rejoining). */
  takesIn(): boolean {
    return !this.suspended && !this.rejoining;
  }

  /** Milliseconds left on the lease (Infinity without leases; negative once it ran out). */
  leftMs(): number {
    return this.leaseUntil - performance.now();
  }

  /** Events held while the lease was out. */
  heldCount(): number {
    return this.heldEvents.length;
  }

  /** An event that found the lease out: held, and the node suspends if it had not yet. */
  holdEvent(env: Envelope): void {
    this.heldEvents.push(env);
    this.suspend();
  }

  /** An output that found the lease out (an async step finished late): held likewise. */
  holdOutput(out: HeldOutput): void {
    this.heldOutputs.push(out);
    this.suspend();
  }

  /** Stops following the membership. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const off of this.offs.splice(0)) off();
  }

  // The view a join returned, then every view that came meanwhile (older ones are ignored).
  private joined(view: MembershipView): void {
    this.joining = false;
    this.host.applyView(view);
    for (const v of this.earlyViews.splice(0)) this.host.applyView(v);
  }

  // The lease was renewed (a heartbeat was acknowledged).
  private renewed(until: number): void {
    // Ran out before this renewal, with nothing noticing yet (the timer that would have is cleared
    // below): steps that asked meanwhile were told no and wait (stalled actors). The lapse is handled
    // as any: suspend, confirm membership, and resume, which runs what waited.
    const lapsed = !this.joining && !this.suspended && this.leaseUntil !== Infinity && performance.now() > this.leaseUntil;
    this.leaseUntil = until;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rejoining) return; // the rejoin resumes the node
    if (lapsed) this.suspend();
    if (this.suspended) {
      this.confirmAndResume();
      return;
    }
    if (until !== Infinity) {
      // Wakes the node when the lease runs out with no event to notice it (it pauses its reader and inbox).
      this.timer = setTimeout(() => {
        if (performance.now() > this.leaseUntil) this.suspend();
      }, Math.max(0, until - performance.now()) + 1);
      this.timer.unref();
    }
  }

  // The lease ran out: stop acting at once (no steps, no sink or state writes), stop taking events in,
  // and wait for a renewal; then confirm membership from the store before acting again.
  private suspend(): void {
    if (this.suspended || this.rejoining || this.joining || !this.host.active()) return;
    this.suspended = true;
    this.stats.suspensions++;
    this.host.intakeChanged();
    this.host.log.warn({ expiredMsAgo: Math.round(performance.now() - this.leaseUntil) }, "lease ran out (heartbeat not renewed in time): no steps and no writes until it is renewed and this node is confirmed a member");
    // Renewed while the news was on its way (the heartbeat answered after the event that noticed).
    if (performance.now() <= this.leaseUntil) this.confirmAndResume();
  }

  private confirmAndResume(): void {
    const confirm = this.host.membership.confirmMember;
    if (this.confirming || !confirm) return;
    this.confirming = true;
    confirm
      .call(this.host.membership)
      .then((member) => {
        this.confirming = false;
        if (!this.suspended || this.rejoining) return;
        if (!member) this.evicted();
        else if (performance.now() <= this.leaseUntil) this.resume();
      })
      .catch((err: unknown) => {
        this.confirming = false;
        this.host.log.warn({ err: (err as Error).message }, "could not confirm membership after a lease renewal; waiting for the next");
      });
  }

  // Still a member, lease renewed: take events in again and run what waited, oldest first.
  private resume(): void {
    this.suspended = false;
    this.stats.resumes++;
    this.host.log.info({ events: this.heldEvents.length, outputs: this.heldOutputs.length }, "lease renewed and membership confirmed: acting again");
    this.host.intakeChanged();
    this.host.resume(this.heldEvents.splice(0), this.heldOutputs.splice(0));
    this.renewed(this.leaseUntil);
  }

  // Removed from the view (or found not to be a member after a lease ran out): stop acting as an
  // owner at once, keep nothing it could write back, and join again as a new member.
  private evicted(): void {
    if (!this.host.active() || this.rejoining) return;
    this.rejoining = true;
    this.suspended = false;
    this.stats.fenced++;
    this.host.intakeChanged();
    this.joining = true;
    const held = this.host.fence();
    // Events it took in (and acknowledged) but did not run go to their owners after the rejoin; its
    // unacknowledged ones its senders re-route themselves. Outputs it held are dropped: the fence
    // also drops the state their events changed.
    this.host.park([...held, ...this.heldEvents.splice(0)]);
    const dropped = this.heldOutputs.splice(0).length;
    this.stats.outputsDropped += dropped;
    this.host.log.warn({ held: held.length, outputsDropped: dropped }, "not a member any more: fenced (no steps, no writes, state dropped); rejoining as a new member");
    const m = this.host.membership;
    const http = this.host.advertisedHttp();
    const retry = (): void => {
      m.join(this.host.nodeId, { http, warm: this.host.warmJoin === true })
        .then((view) => {
          this.rejoining = false;
          this.host.intakeChanged();
          this.renewed(m.leaseUntil?.() ?? Infinity);
          this.joined(view);
        })
        .catch((err: unknown) => {
          this.host.log.warn({ err }, "rejoin failed; retrying");
          setTimeout(retry, 500);
        });
    };
    retry();
  }
}

import { futureSlotOwners, slotOwners, type Membership, type MembershipView } from "../cluster/membership.js";
import type { Logger } from "../logger.js";
import { RoutingTable } from "../placement/routing-table.js";
import type { HandoffApp } from "./handoff-host.js";

// A joiner whose request to be marked up failed (or shows no effect) asks again after this.
const PROMOTE_RETRY_MS = 500;

/** What a warm join needs from its node. */
export interface WarmJoinHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly membership: Membership;
  readonly apps: ReadonlyMap<string, HandoffApp>;
  /** How long a joining node waits for its pre-copies before it becomes an owner anyway. */
  readonly timeoutMs: number;
}

/**
 * The joining side of a warm join: this node is `joining` (it owns nothing) while the members that own
 * its future slots pre-copy them; once each of them said `copy-ready` in the newest view (or the
 * deadline passed), it asks the membership to make it `up`, and the epoch switch moves only the deltas.
 */
export class WarmJoin {
  private view: MembershipView = { epoch: 0, members: [] };
  // Per member: the newest view epoch in which it said every slot it hands us is copied.
  private readonly ready = new Map<string, number>();
  private since = 0;
  private timer: NodeJS.Timeout | undefined;
  private promoting = false;
  /** Milliseconds from joining to asking to be up, for the last warm join; and whether the deadline cut it short. */
  lastMs = 0;
  timedOut = 0;

  constructor(private readonly host: WarmJoinHost) {}

  /** True while this node is in the view as `joining`. */
  get joining(): boolean {
    return this.view.members.some((m) => m.id === this.host.nodeId && m.status === "joining");
  }

  /** A view was applied. */
  onView(view: MembershipView): void {
    this.view = view;
    if (!this.joining) {
      this.stopTimer();
      this.promoting = false;
      return;
    }
    if (!this.timer) {
      this.since = performance.now();
      this.timer = setTimeout(() => this.promote(true), this.host.timeoutMs);
      this.timer.unref();
    }
    this.check();
  }

  /** `from` said every slot it will hand us is copied, as of its view `epoch`. */
  onReady(from: string, epoch: number): void {
    if (epoch > (this.ready.get(from) ?? 0)) this.ready.set(from, epoch);
    this.check();
  }

  /** Stops waiting (the node stops). */
  close(): void {
    this.stopTimer();
  }

  // Up once every owner of a slot that moves here said ready in this view (or a newer one).
  private check(): void {
    if (!this.joining) return;
    for (const from of this.senders()) if ((this.ready.get(from) ?? 0) < this.view.epoch) return;
    this.promote(false);
  }

  // The members that own, now, a slot this node will own.
  private senders(): Set<string> {
    const now = new RoutingTable(this.view.epoch, slotOwners(this.view));
    const future = new RoutingTable(this.view.epoch, futureSlotOwners(this.view));
    const self = this.host.nodeId;
    const out = new Set<string>();
    for (const app of this.host.apps.values()) {
      for (const p of app.app.partitions) {
        const a = now.owners(p.slots);
        const b = future.owners(p.slots);
        for (let slot = 0; slot < p.slots; slot++) if (b[slot] === self && a[slot]) out.add(a[slot]!);
      }
    }
    return out;
  }

  private promote(late: boolean): void {
    if (this.promoting || !this.joining) return;
    this.promoting = true;
    this.stopTimer();
    this.lastMs = performance.now() - this.since;
    if (late) {
      this.timedOut++;
      this.host.log.warn({ waitedMs: Math.round(this.lastMs) }, "pre-copy did not finish in time; becoming an owner anyway (slots not copied yet move whole)");
    } else this.host.log.info({ ms: Math.round(this.lastMs) }, "future slots pre-copied; becoming an owner");
    const markUp = this.host.membership.markUp;
    if (!markUp) return;
    // Asked again until a view shows this node up (onView stops the timer): a lost answer or a failed change does not leave it joining.
    const again = (why: string) => {
      this.promoting = false;
      this.host.log.warn({ why }, "this node is still joining; asking again to be marked up");
      this.timer = setTimeout(() => this.promote(late), PROMOTE_RETRY_MS);
      this.timer.unref();
    };
    markUp.call(this.host.membership, this.host.nodeId).then(
      () => {
        this.timer = setTimeout(() => this.joining && again("no view with it up yet"), PROMOTE_RETRY_MS * 4);
        this.timer.unref();
      },
      (err: unknown) => again((err as Error).message),
    );
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

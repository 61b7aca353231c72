import type { Backpressure } from "../io/backpressure.js";
import type { Transport } from "../transport/transport.js";
import type { MembershipSeat } from "./membership-seat.js";

/** What the intake gate reads. */
export interface IntakeHost {
  readonly transport: Transport;
  readonly seat: MembershipSeat;
  readonly backpressure: Backpressure;
  /** True while a sink is over its high-water mark. */
  sinksHigh(): boolean;
  /** The node takes events in again (the durable reader reads on). */
  accepting?(): void;
  /** Evicted actors whose state writes are still on their way. */
  evicting(): number;
}

// How often the gate looks at the sinks and the actors' write backlog (and wakes paused sources).
const PRESSURE_CHECK_MS = 5;

/**
 * Whether this node takes events in from other nodes and from the event stream: only while it may act
 * (its lease is fresh, it is not rejoining) and nothing downstream is full (a sink over its high-water
 * mark, or more evicted actors awaiting their writes than `maxEvicting`). Refused messages stay with
 * their senders, unacknowledged, so pressure travels back to the sources that feed them.
 */
export class Intake {
  private timer: NodeJS.Timeout | undefined;
  private pressure = false;
  private accepting = true;
  /** Times pressure stopped this node taking events in. */
  pauses = 0;

  constructor(
    private readonly host: IntakeHost,
    private readonly maxEvicting: number,
  ) {
    host.backpressure.addProbe(() => host.evicting() > maxEvicting);
  }

  /** Starts watching the pressure. */
  start(): void {
    this.timer = setInterval(() => {
      const high = this.host.sinksHigh() || this.host.evicting() > this.maxEvicting;
      if (high !== this.pressure) {
        this.pressure = high;
        if (high) this.pauses++;
        this.apply();
      }
      if (!this.host.backpressure.isHigh()) this.host.backpressure.notifyLow();
    }, PRESSURE_CHECK_MS);
    this.timer.unref();
  }

  /** True while events may be delivered to actors here (durable reader): acting, and nothing downstream full. */
  mayDeliver(): boolean {
    return !this.pressure && this.host.seat.mayAct();
  }

  /** Re-evaluates after the seat changed (suspended, resumed, fenced, rejoined); wakes paused sources when it can. */
  changed(): void {
    this.apply();
    this.host.backpressure.notifyLow();
  }

  /** Stops watching. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private apply(): void {
    const want = this.host.seat.takesIn() && !this.pressure;
    if (want === this.accepting) return;
    this.accepting = want;
    this.host.transport.setAccepting?.(want);
    if (want) this.host.accepting?.();
  }
}

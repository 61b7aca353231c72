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

// How often the gate looks at the sinks and the actors' write backlog (and wakes paused sources), while
// any of them is over its mark or a source waits.
const PRESSURE_CHECK_MS = 5;

/**
 * Whether this node takes events in from other nodes and from the event stream: only while it may act
 * (its lease is fresh, it is not rejoining) and nothing downstream is full (a sink over its high-water
 * mark, or more evicted actors awaiting their writes than `maxEvicting`). Refused messages stay with
 * their senders, unacknowledged, so pressure travels back to the sources that feed them.
 */
export class Intake {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  // A poke since the gate last looked.
  private active = false;
  private pressure = false;
  private accepting = true;
  /** Times pressure stopped this node taking events in. */
  pauses = 0;

  constructor(
    private readonly host: IntakeHost,
    private readonly maxEvicting: number,
  ) {
    host.backpressure.addProbe(() => host.evicting() > maxEvicting);
    host.backpressure.onPaused(() => this.poke());
  }

  /** Starts watching the pressure. */
  start(): void {
    this.running = true;
    this.arm();
  }

  /**
   * Something that can raise the pressure happened (a sink went over its mark, an actor was evicted, a
   * source paused): the gate looks within PRESSURE_CHECK_MS. A node whose sinks and backlog stay under
   * their marks sets no timer at all, however much flows.
   */
  poke(): void {
    this.active = true;
    if (this.timer === undefined && this.running) this.arm();
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
    this.running = false;
    this.disarm();
  }

  private arm(): void {
    this.timer = setInterval(this.check, PRESSURE_CHECK_MS);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  // The sinks and the evictions' backlog, and paused sources woken once the pressure is low. The timer
  // runs while there is something to watch: pressure on, a probe high (a source may be paused), or a
  // poke since the last look; else it stops until the next poke (a paused source pokes too).
  private readonly check = (): void => {
    const high = this.host.sinksHigh() || this.host.evicting() > this.maxEvicting;
    if (high !== this.pressure) {
      this.pressure = high;
      if (high) this.pauses++;
      this.apply();
    }
    const probesHigh = this.host.backpressure.isHigh();
    if (!probesHigh) this.host.backpressure.notifyLow();
    if (!this.active && !this.pressure && !probesHigh) this.disarm();
    this.active = false;
  };

  private apply(): void {
    const want = this.host.seat.takesIn() && !this.pressure;
    if (want === this.accepting) return;
    this.accepting = want;
    this.host.transport.setAccepting?.(want);
    if (want) this.host.accepting?.();
  }
}

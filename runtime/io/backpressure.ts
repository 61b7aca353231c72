/**
 * The gate sources consult before reading more: components that hold outbound
 * work register a probe (true = over its high-water mark); sources pause while any
 * probe is high and resume when told the pressure is low.
 */
export class Backpressure {
  private readonly probes: Array<() => boolean> = [];
  private readonly lowListeners: Array<() => void> = [];
  private readonly pausedListeners: Array<() => void> = [];

  /** Registers a probe that says whether its component is over its high-water mark. */
  addProbe(probe: () => boolean): void {
    this.probes.push(probe);
  }

  /** True while any probe is over its mark. */
  isHigh(): boolean {
    for (let i = 0; i < this.probes.length; i++) if (this.probes[i]!()) return true;
    return false;
  }

  /** Subscribes to "pressure is low again". */
  onLow(listener: () => void): () => void {
    this.lowListeners.push(listener);
    return () => {
      const i = this.lowListeners.indexOf(listener);
      if (i >= 0) this.lowListeners.splice(i, 1);
    };
  }

  /** Subscribes to "a source paused for pressure" (whoever watches for the pressure to end starts looking). */
  onPaused(listener: () => void): void {
    this.pausedListeners.push(listener);
  }

  /** A source paused because a probe was high: it waits for `notifyLow`. */
  paused(): void {
    for (let i = 0; i < this.pausedListeners.length; i++) this.pausedListeners[i]!();
  }

  /** Tells paused sources to resume (call when a component drains). */
  notifyLow(): void {
    if (this.isHigh()) return;
    for (const l of [...this.lowListeners]) l();
  }
}

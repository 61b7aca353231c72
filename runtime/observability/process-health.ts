import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from "node:perf_hooks";

// Event-loop delay sampling period (Node's default). Each sample is a timer that wakes the loop: at 1 ms
// an otherwise idle node woke 1,000 times a second for it. A stall longer than the period is still seen
// whole; a shorter one is seen when a sample falls due inside it.
const EVENT_LOOP_RESOLUTION_MS = 10;

/** The process's event-loop delay and GC pauses since the last reset, as `/cluster` shows them. */
export interface ProcessHealthInfo {
  /** How late the event loop ran a 10 ms timer (ms): what every event queued behind a busy turn waits. */
  readonly eventLoopDelay: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /** Garbage collections, their summed pause and the longest, and the major (mark-compact) ones. */
  readonly gc: { readonly count: number; readonly pauseMs: number; readonly maxMs: number; readonly major: number };
  /** CPU time the process used (ms, all its threads): per event, steadier than throughput on a shared machine. */
  readonly cpu: { readonly userMs: number; readonly systemMs: number };
}

/**
 * Watches the process itself: event-loop delay (`monitorEventLoopDelay`), GC pauses (a `gc`
 * PerformanceObserver) and CPU time (`process.cpuUsage`). All are the runtime's own instruments: no timer
 * or allocation of ours per event.
 */
export class ProcessHealth {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      this.gcCount++;
      this.gcMs += e.duration;
      if (e.duration > this.gcMaxMs) this.gcMaxMs = e.duration;
      if (((e as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.gcMajor++;
    }
  });
  private gcCount = 0;
  private gcMs = 0;
  private gcMaxMs = 0;
  private gcMajor = 0;
  private cpuAtReset = process.cpuUsage();
  private running = false;

  /** Starts watching. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.delay.enable();
    this.observer.observe({ entryTypes: ["gc"] });
  }

  /** Stops watching. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.delay.disable();
    this.observer.disconnect();
  }

  /** Forgets what was seen so far (a benchmark resets before its measured phase). */
  reset(): void {
    this.delay.reset();
    this.gcCount = this.gcMs = this.gcMaxMs = this.gcMajor = 0;
    this.cpuAtReset = process.cpuUsage();
  }

  /** What was seen since the last reset. */
  info(): ProcessHealthInfo {
    const ms = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 1e4) / 100 : 0);
    // The histogram counts the delay on top of the timer's own resolution.
    const late = (ns: number) => Math.max(0, ms(ns) - EVENT_LOOP_RESOLUTION_MS);
    const cpu = process.cpuUsage(this.cpuAtReset);
    return {
      eventLoopDelay: { p50Ms: late(this.delay.percentile(50)), p99Ms: late(this.delay.percentile(99)), maxMs: late(this.delay.max) },
      gc: { count: this.gcCount, pauseMs: Math.round(this.gcMs * 100) / 100, maxMs: Math.round(this.gcMaxMs * 100) / 100, major: this.gcMajor },
      cpu: { userMs: Math.round(cpu.user / 1000), systemMs: Math.round(cpu.system / 1000) },
    };
  }
}

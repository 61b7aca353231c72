import { DEFAULT_DASHBOARD_HISTORY_SECONDS, DEFAULT_HOT_KEYS_WINDOW_MS } from "../../defaults.js";
import type { HotKeys } from "../hot-keys.js";

/** What the history samples of one app on its node: counters that only grow, and its hot-key sketches. */
export interface SampledApp {
  readonly name: string;
  /** Events in (summed over sources), out (summed over sinks), and applied per stage, as they stand now. */
  counts(): { readonly in: number; readonly out: number; readonly stages: ArrayLike<number> };
  readonly hotKeys: ReadonlyArray<HotKeys | undefined>;
}

/** Per-second rates of one app over the last minutes, oldest first. */
export interface AppHistory {
  readonly in: number[];
  readonly out: number[];
  /** Applied per second, per stage index. */
  readonly stages: number[][];
}

/**
 * A node's recent rates for the dashboard's sparklines: once a second it reads each app's counters and
 * keeps the differences, at most `seconds` of them per series (a bounded ring); it also ends the hot-key
 * windows. One timer per node, unref'd; no work per event.
 */
export class NodeHistory {
  private readonly series = new Map<string, { last: number[]; in: number[]; out: number[]; stages: number[][] }>();
  private timer: NodeJS.Timeout | undefined;
  // When the hot-key windows last ended (set by the first sample).
  private lastRotate = NaN;

  constructor(
    private readonly apps: () => Iterable<SampledApp>,
    private readonly seconds = DEFAULT_DASHBOARD_HISTORY_SECONDS,
    private readonly windowMs = DEFAULT_HOT_KEYS_WINDOW_MS,
  ) {}

  /** Starts sampling once a second. */
  start(): void {
    this.sample();
    this.timer ??= setInterval(() => this.sample(), 1_000).unref();
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The rates of `app` (empty before the first two samples). */
  of(app: string): AppHistory {
    const s = this.series.get(app);
    return s ? { in: s.in, out: s.out, stages: s.stages } : { in: [], out: [], stages: [] };
  }

  /** Reads every counter now (also called by the timer). */
  sample(now = Date.now()): void {
    if (Number.isNaN(this.lastRotate)) this.lastRotate = now;
    const rotate = now - this.lastRotate >= this.windowMs;
    if (rotate) this.lastRotate = now;
    for (const app of this.apps()) {
      const c = app.counts();
      const values = [c.in, c.out, ...Array.from(c.stages)];
      const s = this.series.get(app.name);
      if (!s) {
        this.series.set(app.name, { last: values, in: [], out: [], stages: Array.from(c.stages, () => []) });
      } else {
        this.push(s.in, values[0]! - s.last[0]!);
        this.push(s.out, values[1]! - s.last[1]!);
        s.stages.forEach((h, i) => this.push(h, values[i + 2]! - (s.last[i + 2] ?? 0)));
        s.last = values;
      }
      if (rotate) for (const h of app.hotKeys) h?.rotate(now);
    }
  }

  private push(ring: number[], value: number): void {
    ring.push(Math.max(0, value));
    if (ring.length > this.seconds) ring.shift();
  }
}

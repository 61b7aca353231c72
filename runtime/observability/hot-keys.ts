import { DEFAULT_HOT_KEYS_CAPACITY, DEFAULT_HOT_KEYS_SAMPLE_EVERY } from "../defaults.js";

// `last` before the first window ends.
const NONE: HotKey[] = [];

/** One hot key: its estimated events per second and the most the estimate may be over. */
export interface HotKey {
  readonly key: string;
  readonly perSecond: number;
  readonly errorPerSecond: number;
}

/**
 * The hottest keys of one partition on one node: a space-saving sketch (Metwally et al.) over a sample
 * of one event in `sampleEvery`, bounded to `capacity` counters. An unsampled event costs a decrement
 * and a compare; a sampled one a map lookup, and, for a key not tracked, a scan of the counters for
 * the smallest (it takes that slot, inheriting its count as its error). Gaps between samples are
 * random, so a periodic key pattern cannot hide behind the sampling. Counting runs in windows:
 * `rotate()` ends one and `top()` reads the last full one, so a key's rate is recent, not lifetime.
 * Nothing is allocated per event: the counters are preallocated arrays and the keys are the events'.
 */
export class HotKeys {
  private readonly keys: Array<string | undefined>;
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private readonly index = new Map<string, number>();
  private used = 0;
  private last: HotKey[] = NONE;
  private windowStart: number;

  constructor(
    private readonly capacity = DEFAULT_HOT_KEYS_CAPACITY,
    private readonly sampleEvery = DEFAULT_HOT_KEYS_SAMPLE_EVERY,
    now = Date.now(),
  ) {
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.countdown = sampleEvery;
    this.windowStart = now;
  }

  /**
   * Events until the next sample: the hot path decrements it and calls `sample` at zero, so that an
   * unsampled event costs no call (`offer` does the same, for callers off the hot path).
   */
  countdown: number;

  /** Counts one event of `key`. */
  offer(key: string): void {
    if (--this.countdown <= 0) this.sample(key);
  }

  /** Counts a sampled event of `key` and draws the gap to the next sample. */
  sample(key: string): void {
    // The gap is random (1 to 2N-1, N on average): a fixed gap would alias with a periodic key pattern
    // and see only some of its keys.
    this.countdown = 1 + ((Math.random() * (2 * this.sampleEvery - 1)) | 0);
    const i = this.index.get(key);
    if (i !== undefined) {
      this.counts[i]!++;
      return;
    }
    if (this.used < this.capacity) {
      this.take(this.used++, key, 0);
      return;
    }
    let min = 0;
    for (let j = 1; j < this.capacity; j++) if (this.counts[j]! < this.counts[min]!) min = j;
    this.index.delete(this.keys[min]!);
    this.take(min, key, this.counts[min]!);
  }

  /** Ends the current window at `now` (ms): `top()` reads it from then on, and counting starts afresh. */
  rotate(now = Date.now()): void {
    this.last = this.current(now);
    this.index.clear();
    this.keys.fill(undefined);
    this.counts.fill(0);
    this.errors.fill(0);
    this.used = 0;
    this.windowStart = now;
  }

  /** The `n` hottest keys of the last full window, hottest first (before the first window ends: of the current one, so far). */
  top(n = 10, now = Date.now()): readonly HotKey[] {
    return (this.rotated ? this.last : this.current(now)).slice(0, n);
  }

  private get rotated(): boolean {
    return this.last !== NONE;
  }

  // The window so far as rates, hottest first (allocates: read once a second, never per event).
  private current(now: number): HotKey[] {
    const seconds = Math.max(0.001, (now - this.windowStart) / 1000);
    const order = Array.from({ length: this.used }, (_, i) => i).sort((a, b) => this.counts[b]! - this.counts[a]!);
    // A sampled count stands for sampleEvery events.
    const rate = (n: number) => Math.round(((n * this.sampleEvery) / seconds) * 10) / 10;
    return order.map((i) => ({ key: this.keys[i]!, perSecond: rate(this.counts[i]!), errorPerSecond: rate(this.errors[i]!) }));
  }

  private take(i: number, key: string, floor: number): void {
    this.keys[i] = key;
    this.counts[i] = floor + 1;
    this.errors[i] = floor;
    this.index.set(key, i);
  }
}

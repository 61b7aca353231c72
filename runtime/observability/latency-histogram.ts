const SUB = 32; // sub-buckets per power of two: about 3% resolution
const OCTAVES = 40;

/** A fixed-size log-linear histogram of latencies in milliseconds (recorded in microseconds, no allocation). */
export class LatencyHistogram {
  private readonly counts = new Float64Array(SUB * OCTAVES);
  /** Values recorded. */
  count = 0;
  /** Sum of recorded values (ms). */
  sum = 0;
  /** Largest recorded value (ms). */
  max = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = ms <= 0 ? 0 : Math.floor(ms * 1000);
    this.counts[indexOf(us)]!++;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** The latency (ms) at quantile `q` in [0, 1]; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= target) return Math.min(upperOf(i) / 1000, this.max);
    }
    return this.max;
  }

  /** Clears every count. */
  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }
}

function indexOf(us: number): number {
  if (us < SUB) return us;
  const octave = 31 - Math.clz32(us) - 4; // us >= 32 -> octave >= 1
  const mantissa = (us >>> octave) - SUB;
  return Math.min(SUB * OCTAVES - 1, SUB + (octave - 1) * SUB + mantissa);
}

function upperOf(index: number): number {
  if (index < SUB) return index + 1;
  const octave = Math.floor((index - SUB) / SUB) + 1;
  const mantissa = (index - SUB) % SUB;
  return (SUB + mantissa + 1) << octave;
}

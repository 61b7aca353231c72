// `performance.timeOrigin` is a getter that returns a new heap number on each read; the hot path reads
// the wall clock once per source read and once per output, so the origin is read once, here.
const ORIGIN_MS = performance.timeOrigin;

/** Wall-clock milliseconds since the epoch, fractional (the event timestamps' clock: `Envelope.acceptedMs`). */
export function wallClockMs(): number {
  return ORIGIN_MS + performance.now();
}

/** The time a reliable channel reads and the timers it sets (tests pass a manual one). */
export interface ChannelClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Runs `fn` once the current turn is over (acknowledgements to all senders go out together). */
  soon(fn: () => void): void;
  /** Runs `fn` once, `ms` from now. */
  after(ms: number, fn: () => void): void;
  /** Runs `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
}

/** The process clock: `performance.now`, `setImmediate`, `setTimeout`, an unref'd `setInterval`. */
export const systemClock: ChannelClock = {
  now: () => performance.now(),
  soon: (fn) => void setImmediate(fn),
  after: (ms, fn) => void setTimeout(fn, ms),
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    // The resend timer alone must not keep a process alive.
    t.unref();
    return () => clearInterval(t);
  },
};

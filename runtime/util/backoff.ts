/**
 * A retry policy: the delay before retry `n` (0 for the first) is `minMs * factor^n`, at most
 * `maxMs`, less a random part of up to `jitter` of it (so that many retriers spread out).
 */
export interface BackoffPolicy {
  /** The first delay. */
  readonly minMs: number;
  /** The longest delay. */
  readonly maxMs: number;
  /** Growth per retry (default 2; 1 is a fixed delay). */
  readonly factor?: number;
  /** Fraction of each delay taken off at random: 0 (none, the default) to 1 (anything from 0 to the delay). */
  readonly jitter?: number;
}

// Past this many doublings every delay is at its cap anyway; bounding the exponent keeps `factor ** n` finite.
const MAX_EXPONENT = 64;

/** Checks a policy once (where it is defined) and returns it: the delay function itself checks nothing. */
export function backoffPolicy(policy: BackoffPolicy): BackoffPolicy {
  const { minMs, maxMs, factor = 2, jitter = 0 } = policy;
  if (!(minMs >= 0) || !(maxMs >= minMs)) throw new RangeError(`backoff: need 0 <= minMs <= maxMs (got ${minMs}, ${maxMs})`);
  if (!(factor >= 1)) throw new RangeError(`backoff: factor must be at least 1 (got ${factor})`);
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`backoff: jitter must be within [0, 1] (got ${jitter})`);
  return Object.freeze({ minMs, maxMs, factor, jitter });
}

/** The delay before retry `attempt` (0 for the first) under `policy`, for callers that keep their own count. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const n = attempt <= 0 ? 0 : Math.min(attempt, MAX_EXPONENT);
  const base = Math.min(policy.maxMs, policy.minMs * (policy.factor ?? 2) ** n);
  const jitter = policy.jitter ?? 0;
  return jitter === 0 ? base : base * (1 - jitter * random());
}

/** One retrier's place in its policy: the next delay, and back to the first after a success. */
export class Backoff {
  /** Retries since the last success (or since it was made). */
  attempts = 0;
  readonly policy: BackoffPolicy;

  constructor(
    policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {
    this.policy = backoffPolicy(policy);
  }

  /** The delay before the next retry; counts the retry. */
  next(): number {
    return backoffDelay(this.policy, this.attempts++, this.random);
  }

  /** A success: the next retry waits the first delay again. */
  reset(): void {
    this.attempts = 0;
  }
}

/** Options of `retry`. */
export interface RetryOptions {
  /** Jitter's random source (default `Math.random`; `prng(n)` from util/random.ts to reproduce a run). */
  readonly random?: () => number;
  /** True to stop after this failure (`failures` counts it): `retry` then rejects with `err`. */
  readonly giveUp?: (err: unknown, failures: number) => boolean;
  /** Called before each wait (to log it). */
  readonly onRetry?: (err: unknown, failures: number, delayMs: number) => void;
  /** Lets the process exit while it waits (default false: like any awaited timer, a wait holds the process). */
  readonly unref?: boolean;
}

/**
 * Runs `attempt` until it resolves, waiting the policy's next delay after each failure; rejects with
 * the last error once `giveUp` says so. For occasional operations (opening a bucket, rejoining): it
 * allocates a promise and a timer per try.
 */
export async function retry<T>(attempt: () => Promise<T>, policy: BackoffPolicy, options: RetryOptions = {}): Promise<T> {
  const backoff = new Backoff(policy, options.random);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const failures = backoff.attempts + 1;
      if (options.giveUp?.(err, failures)) throw err;
      const delay = backoff.next();
      options.onRetry?.(err, failures, delay);
      await sleep(delay, options.unref ?? false);
    }
  }
}

/** Resolves after `ms`; an `unref` wait does not keep the process alive. */
export function sleep(ms: number, unref = false): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (unref) t.unref();
  });
}

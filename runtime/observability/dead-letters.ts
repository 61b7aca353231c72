import { DEFAULT_DEAD_LETTER_KEEP, DEFAULT_DEAD_LETTER_LOGS_PER_SECOND } from "../defaults.js";
import { LogRateLimiter, type Logger } from "../logger.js";

/** Why an event or frame was dead-lettered (connection-level refusals are metrics, not dead letters: see `SourceRefusal`). */
export type DeadLetterReason =
  | "oversized_frame"
  | "buffer_overflow"
  | "idle_timeout"
  | "truncated_frame"
  | "bad_hello"
  | "append_failed"
  | "too_large"
  | "key_too_long"
  | "decode_error"
  | "step_error"
  | "hop_limit"
  | "sink_dropped"
  | "store_error"
  | "undeliverable";

/** One dead letter: what failed, where, and the bytes (when there were any). */
export interface DeadLetter {
  readonly reason: DeadLetterReason;
  readonly app: string;
  /** Source, step or sink name. */
  readonly where: string;
  readonly message: string;
  readonly payload: Uint8Array | undefined;
  readonly atMs: number;
  /** Where the payload can be replayed: a source (it is that source's frame) or a stage (it is that stage's input). */
  readonly replay: ReplayTarget | undefined;
}

/** Where a dead letter's payload goes back in. */
export type ReplayTarget = { readonly source: string } | { readonly stage: number };

/** Counts, logs (rate-limited) and keeps recent dead letters, and passes each to an optional hook. */
export class DeadLetters {
  private readonly recentList: DeadLetter[] = [];
  private readonly limiters = new Map<DeadLetterReason, LogRateLimiter>();
  /** Dead letters per reason. */
  readonly counts = new Map<DeadLetterReason, number>();

  constructor(
    private readonly log: Logger,
    private readonly hook?: (letter: DeadLetter) => void,
    private readonly keep = DEFAULT_DEAD_LETTER_KEEP,
  ) {}

  /** Records one dead letter. Never throws. */
  record(reason: DeadLetterReason, app: string, where: string, error: unknown, payload?: Uint8Array, replay?: ReplayTarget): void {
    const message = error instanceof Error ? error.message : String(error);
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    const letter: DeadLetter = { reason, app, where, message, payload: payload ? Uint8Array.from(payload) : undefined, atMs: Date.now(), replay: payload ? replay : undefined };
    this.recentList.push(letter);
    if (this.recentList.length > this.keep) this.recentList.splice(0, this.recentList.length - this.keep);
    let limiter = this.limiters.get(reason);
    if (!limiter) this.limiters.set(reason, (limiter = new LogRateLimiter(DEFAULT_DEAD_LETTER_LOGS_PER_SECOND)));
    const suppressed = limiter.allow();
    if (suppressed >= 0) this.log.warn({ reason, app, where, err: message, suppressed }, "dead letter");
    try {
      this.hook?.(letter);
    } catch (err) {
      this.log.error({ err }, "dead-letter hook threw; continuing");
    }
  }

  /** The most recent dead letters, oldest first. */
  recent(): readonly DeadLetter[] {
    return this.recentList;
  }

  /** Total dead letters. */
  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }
}

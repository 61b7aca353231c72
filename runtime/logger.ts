import { pino, destination, stdTimeFunctions, type Logger, type LevelWithSilent } from "pino";

export type { Logger };

/** Creates the root logger: JSON lines on stderr, one per lifecycle event. */
export function createLogger(level: LevelWithSilent = "info", base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...base }, timestamp: stdTimeFunctions.isoTime }, destination(2));
}

/** A logger that writes nothing (tests, embedded use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/**
 * Rate limit for log lines on paths that may fire per event: at most `perSecond`
 * lines per window, and the count of suppressed lines is reported on the next one.
 */
export class LogRateLimiter {
  private windowStart = 0;
  private count = 0;
  private suppressed = 0;
  constructor(private readonly perSecond: number) {}

  /** Returns how many lines were suppressed since the last allowed one, or -1 to suppress this one. */
  allow(now = Date.now()): number {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    if (this.count < this.perSecond) {
      this.count++;
      const s = this.suppressed;
      this.suppressed = 0;
      return s;
    }
    this.suppressed++;
    return -1;
  }
}

import { pino, destination, stdTimeFunctions, type Logger, type LevelWithSilent } from "pino";
import { PinoPretty } from "pino-pretty";

export type { Logger };

/** How log lines look: JSON lines (for machines and containers) or pretty (one readable line each, for people). */
export type LogFormat = "json" | "pretty";
/** The formats `--log-format` takes; `auto` is pretty on a terminal and JSON otherwise. */
export const LOG_FORMATS = ["auto", "json", "pretty"] as const;

/** Creates the root logger on stderr: JSON lines (level as a number, as pino tools expect, and its name), or pretty lines. */
export function createLogger(level: LevelWithSilent = "info", base: Record<string, unknown> = {}, format: (typeof LOG_FORMATS)[number] = "json"): Logger {
  const options = { level, base: { ...base }, timestamp: stdTimeFunctions.isoTime };
  const pretty = format === "pretty" || (format === "auto" && process.stderr.isTTY === true);
  if (pretty) return pino(options, PinoPretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname", singleLine: true }));
  return pino({ ...options, formatters: { level: (label, number) => ({ level: number, levelName: label }) } }, destination(2));
}

/** A logger that writes nothing (tests, embedded use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

/**
 * Rate limit for log lines on paths that may fire per event: at most `perWindow`
 * lines per window (a second by default), and the count of suppressed lines is reported on the next one.
 */
export class LogRateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;
  private suppressed = 0;
  constructor(
    private readonly perWindow: number,
    private readonly windowMs = 1000,
  ) {}

  /** Returns how many lines were suppressed since the last allowed one, or -1 to suppress this one. */
  allow(now = Date.now()): number {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    if (this.count < this.perWindow) {
      this.count++;
      const s = this.suppressed;
      this.suppressed = 0;
      return s;
    }
    this.suppressed++;
    return -1;
  }
}

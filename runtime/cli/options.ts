import { Option } from "commander";
import type { LevelWithSilent } from "pino";
import { DEFAULT_CLUSTER_NAME } from "../defaults.js";
import { ConfigError } from "../errors.js";
import { OUTPUT_FORMATS } from "../io/output-format.js";
import { checkClusterName } from "../nats/subjects.js";
import type { SinkTarget } from "../node/node-options.js";
import type { Address, StateMode } from "../types.js";

/** The state modes `--state` takes. */
export const STATE_MODES = ["memory", "snapshot", "durable"] as const satisfies readonly StateMode[];
/** The log levels `--log-level` takes. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const satisfies readonly LevelWithSilent[];

/** Parses `HOST:PORT` (IPv6 as `[::1]:PORT`); `what` names the flag in errors. */
export function parseAddress(value: string, what: string): Address {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`${what}: "${value}" is not HOST:PORT (e.g. 127.0.0.1:7000)`);
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}

/** Parses `NAME=HOST:PORT` values into a map, added to `previous` (a name given twice is refused). */
export function parseNamedAddresses(values: readonly string[], what: string, previous: Readonly<Record<string, Address>> = {}): Record<string, Address> {
  const out: Record<string, Address> = { ...previous };
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new ConfigError(`${what}: "${v}" is not NAME=HOST:PORT (e.g. ${what === "--source" ? "clicks=0.0.0.0:7001" : "emails=127.0.0.1:7100"})`);
    const name = v.slice(0, eq);
    if (Object.hasOwn(out, name)) throw new ConfigError(`${what}: "${name}" is given twice`);
    out[name] = parseAddress(v.slice(eq + 1), `${what} ${name}`);
  }
  return out;
}

/** Parses `NAME=HOST:PORT` or `NAME=stdout[:text|json|base64]` sink values, added to `previous` (a name given twice is refused). */
export function parseSinks(values: readonly string[], previous: Readonly<Record<string, SinkTarget>> = {}): Record<string, SinkTarget> {
  const out: Record<string, SinkTarget> = { ...previous };
  for (const v of values) {
    const eq = v.indexOf("=");
    const name = v.slice(0, Math.max(0, eq));
    const target = v.slice(eq + 1);
    if (eq > 0 && (target === "stdout" || target.startsWith("stdout:"))) {
      if (Object.hasOwn(out, name)) throw new ConfigError(`--sink: "${name}" is given twice`);
      // Plain `stdout` keeps printing base64, as it always did; a format is an addition.
      const format = target === "stdout" ? "base64" : parseChoice(OUTPUT_FORMATS)(target.slice("stdout:".length), `--sink ${name}=stdout:FORMAT`);
      out[name] = { kind: "stdout", format };
    } else {
      const tcp = parseNamedAddresses([v], "--sink");
      if (Object.hasOwn(out, name)) throw new ConfigError(`--sink: "${name}" is given twice`);
      Object.assign(out, tcp);
    }
  }
  return out;
}

/** Parses a positive integer flag. */
export function parseIntFlag(value: string, what: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${what}: "${value}" must be an integer from ${min} to ${max}`);
  return n;
}

/** Parses a number flag. */
export function parseNumberFlag(value: string, what: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${what}: "${value}" must be a number from ${min} to ${max}`);
  return n;
}

/** A parser that accepts one of `choices`. */
export function parseChoice<T extends string>(choices: readonly T[]): (value: string, what: string) => T {
  return (value, what) => {
    if (!(choices as readonly string[]).includes(value)) throw new ConfigError(`${what}: "${value}" is not one of ${choices.join(", ")}`);
    return value as T;
  };
}

/** Parses a cluster name (1-32 letters, digits, `_`, `-`). */
export function parseClusterName(value: string, what: string): string {
  try {
    return checkClusterName(value);
  } catch (err) {
    // checkClusterName raises a plain Error for the runtime's callers; on the command line it is a config error.
    throw new ConfigError(`${what}: ${(err as Error).message}`, { cause: err });
  }
}

/** Splits a comma-separated value (how an environment variable carries a repeatable flag) into its items. */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A flag whose value, from the command line or from its environment variable (`.env(...)`), `parse(value, "--flag")`
 * checks, so every error names the flag. An empty value keeps the default: `TROUPE_X=` in a compose file means unset.
 */
export function flag<T>(flags: string, description: string, parse: (value: string, what: string) => T): Option {
  const option = new Option(flags, description);
  const what = option.long ?? option.name();
  return option.argParser<T | undefined>((value, previous) => (value.trim() === "" ? previous : parse(value, what)));
}

/**
 * A repeatable flag: each value is a comma-separated list (so one environment variable can carry several),
 * and `add(items, "--flag", previous)` parses the items into the value so far.
 */
export function repeatableFlag<T>(flags: string, description: string, add: (items: string[], what: string, previous: T | undefined) => T): Option {
  const option = new Option(flags, description);
  const what = option.long ?? option.name();
  return option.argParser<T | undefined>((value, previous) => add(splitList(value), what, previous));
}

/** `--nats <url>` (env TROUPE_NATS_URL), for the commands that reach a cluster through NATS. */
export function natsFlag(description = "NATS server URL(s), comma-separated"): Option {
  return flag("--nats <url>", description, (value) => value.trim()).env("TROUPE_NATS_URL");
}

/** `--cluster <name>` (env TROUPE_CLUSTER, default the default cluster name). */
export function clusterFlag(description = "cluster name: separates clusters sharing one NATS"): Option {
  return flag("--cluster <name>", description, parseClusterName).env("TROUPE_CLUSTER").default(DEFAULT_CLUSTER_NAME);
}

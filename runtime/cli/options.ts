import { ConfigError } from "../errors.js";
import type { SinkTarget } from "../node/node-options.js";
import type { Address } from "../types.js";

/** Parses `HOST:PORT` (IPv6 as `[::1]:PORT`); `what` names the flag in errors. */
export function parseAddress(value: string, what: string): Address {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`${what}: "${value}" is not HOST:PORT (e.g. 127.0.0.1:7000)`);
  return { host: m[1] ?? (m[2] || "0.0.0.0"), port };
}

/** Parses repeated `NAME=HOST:PORT` values into a map. */
export function parseNamedAddresses(values: readonly string[], what: string): Record<string, Address> {
  const out: Record<string, Address> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new ConfigError(`${what}: "${v}" is not NAME=HOST:PORT (e.g. ${what === "--source" ? "clicks=0.0.0.0:7001" : "emails=127.0.0.1:7100"})`);
    const name = v.slice(0, eq);
    if (out[name]) throw new ConfigError(`${what}: "${name}" is given twice`);
    out[name] = parseAddress(v.slice(eq + 1), `${what} ${name}`);
  }
  return out;
}

/** Parses repeated `NAME=HOST:PORT` or `NAME=stdout` sink values. */
export function parseSinks(values: readonly string[]): Record<string, SinkTarget> {
  const out: Record<string, SinkTarget> = {};
  const tcp: string[] = [];
  for (const v of values) {
    const [name, target] = [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)];
    if (name && target === "stdout") out[name] = { kind: "stdout" };
    else tcp.push(v);
  }
  return { ...out, ...parseNamedAddresses(tcp, "--sink") };
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

/** Splits a comma-separated environment value into repeated flag values. */
export function envList(name: string): string[] {
  const v = process.env[name];
  return v ? v.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

/** Collects repeated option values (commander helper). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

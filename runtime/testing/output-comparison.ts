// The second half of `troupe verify`'s oracle: what a run's sinks received against what the reference
// run's did (oracle.ts runs the reference). Pure.
import type { Application } from "../builder/application.js";
import type { SinkSpec } from "../builder/specs.js";
import { VerifyError } from "../errors.js";
import type { Output } from "./oracle.js";

/** Output counts of a comparison (of one sink, or summed over sinks). */
export interface OutputCounts {
  /** Outputs of the reference run. */
  readonly expected: number;
  /** Outputs observed. */
  readonly outputs: number;
  /** Reference outputs never observed (an identity observed fewer times than the reference has it: the missing copies). */
  readonly lost: number;
  /** Extra copies: an identity observed more times than the reference has it. */
  readonly duplicated: number;
  /** Observed outputs the reference does not have: an unknown identity, a frame that does not decode, or a `mismatched` one. */
  readonly unexpected: number;
  /** Of `unexpected`: observed outputs whose id the reference has with different content (the state behind them was wrong). */
  readonly mismatched: number;
  /** Outputs out of their key's order: per key, the fewest observed outputs that would have to move to restore the reference order. */
  readonly reordered: number;
  /** Keys with at least one output out of order. */
  readonly reorderedKeys: number;
}

/** A few examples of each kind of difference, for the report. */
export interface OutputSamples {
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
  readonly unexpected: readonly string[];
  readonly mismatched: readonly string[];
  readonly reordered: readonly string[];
}

/** The comparison of one sink's outputs. */
export interface SinkComparison extends OutputCounts {
  readonly sink: string;
  /** How outputs are identified: by the sink's `id` (it declares `id` and `decode`) or by payload bytes. */
  readonly identity: "id" | "bytes";
  /** Whether order is checked per key (the sink declares `key` and `decode`). */
  readonly perKeyOrder: boolean;
  readonly samples: OutputSamples;
}

/** Observed outputs against the reference run's, summed over sinks and per sink. */
export interface VerifyComparison extends OutputCounts {
  readonly sinks: readonly SinkComparison[];
  /** A few examples of every difference, one line each, prefixed with the sink and kind. */
  readonly samples: readonly string[];
}

const SAMPLES = 5;
const SHOWN_CHARS = 160;

interface ReadOutput {
  readonly identity: string;
  readonly key: string | undefined;
  /** What must equal the reference's for the same identity. */
  readonly content: string;
  /** How samples show it. */
  readonly label: string;
  readonly shown: string;
}

/**
 * Compares the outputs of a run with the reference run's, per sink. An output's identity is its
 * sink's `id` (scoped by `key` when the sink declares one) where the sink declares `id` and `decode`,
 * else its payload bytes; with an id, its content (the sink's `content`, or the payload bytes) must
 * also equal the reference's. Per key (where the sink declares `key` and `decode`) the order of the
 * first occurrences of the observed identities must be the reference's; `reordered` counts the
 * outputs out of place (observed minus the longest run in reference order), not keys. Pure.
 */
export function compareOutputs(app: Application, reference: readonly Output[], observed: readonly Output[]): VerifyComparison {
  const names: string[] = [...app.sinks.keys()];
  for (const o of [...reference, ...observed]) if (!names.includes(o.sink)) names.push(o.sink);
  const sinks = names.map((name) =>
    compareSink(
      name,
      app.sinks.get(name),
      reference.filter((o) => o.sink === name),
      observed.filter((o) => o.sink === name),
    ),
  );
  const sum = (k: keyof OutputCounts) => sinks.reduce((a, s) => a + s[k], 0);
  const samples: string[] = [];
  for (const s of sinks) for (const kind of ["lost", "duplicated", "unexpected", "mismatched", "reordered"] as const) for (const line of s.samples[kind]) samples.push(`${s.sink}: ${kind} ${line}`);
  return {
    expected: sum("expected"),
    outputs: sum("outputs"),
    lost: sum("lost"),
    duplicated: sum("duplicated"),
    unexpected: sum("unexpected"),
    mismatched: sum("mismatched"),
    reordered: sum("reordered"),
    reorderedKeys: sum("reorderedKeys"),
    sinks,
    samples,
  };
}

function compareSink(sink: string, spec: SinkSpec<unknown> | undefined, reference: readonly Output[], observed: readonly Output[]): SinkComparison {
  const byId = spec?.id !== undefined && spec.decode !== undefined;
  const perKeyOrder = spec?.key !== undefined && spec.decode !== undefined;
  const samples = { lost: [] as string[], duplicated: [] as string[], unexpected: [] as string[], mismatched: [] as string[], reordered: [] as string[] };
  const sample = (kind: keyof typeof samples, line: string) => {
    if (samples[kind].length < SAMPLES) samples[kind].push(line);
  };

  // The reference: per identity its copies and contents; per key its identities in order.
  const ref = new Map<string, { count: number; contents: Map<string, string>; label: string }>();
  const refOrder = new Map<string, string[]>();
  reference.forEach((o, i) => {
    let r: ReadOutput;
    try {
      r = readOutput(spec, o.payload, byId, perKeyOrder);
    } catch (err) {
      throw new VerifyError(`sink "${sink}": reference output ${i + 1} cannot be read back (${(err as Error).message}); the sink's decode, id, key or content does not fit its encoder`, { cause: err });
    }
    let e = ref.get(r.identity);
    if (!e) {
      ref.set(r.identity, (e = { count: 0, contents: new Map(), label: r.label }));
      if (r.key !== undefined) {
        let list = refOrder.get(r.key);
        if (!list) refOrder.set(r.key, (list = []));
        list.push(r.identity);
      }
    }
    e.count++;
    if (!e.contents.has(r.content)) e.contents.set(r.content, r.shown);
  });

  // The observed outputs: counted per identity; first occurrences in order per key.
  const seen = new Map<string, number>();
  const seenOrder = new Map<string, string[]>();
  let unexpected = 0;
  let mismatched = 0;
  observed.forEach((o, i) => {
    let r: ReadOutput;
    try {
      r = readOutput(spec, o.payload, byId, perKeyOrder);
    } catch (err) {
      unexpected++;
      sample("unexpected", `output ${i + 1} does not decode (${(err as Error).message}): ${shorten(Buffer.from(o.payload).toString("hex"))}`);
      return;
    }
    const e = ref.get(r.identity);
    if (!e) {
      unexpected++;
      sample("unexpected", `${r.label}: ${r.shown}`);
      return;
    }
    const n = (seen.get(r.identity) ?? 0) + 1;
    seen.set(r.identity, n);
    if (!e.contents.has(r.content)) {
      mismatched++;
      unexpected++;
      sample("mismatched", `${r.label}: ${r.shown}, where the reference has ${[...e.contents.values()][0]}`);
    }
    if (n === 1 && r.key !== undefined) {
      let list = seenOrder.get(r.key);
      if (!list) seenOrder.set(r.key, (list = []));
      list.push(r.identity);
    }
  });

  let lost = 0;
  let duplicated = 0;
  for (const [identity, e] of ref) {
    const n = seen.get(identity) ?? 0;
    if (n < e.count) {
      lost += e.count - n;
      sample("lost", e.count > 1 ? `${e.label} (${e.count - n} of ${e.count} copies)` : e.label);
    } else if (n > e.count) {
      duplicated += n - e.count;
      sample("duplicated", `${e.label} (${n} times, the reference has ${e.count})`);
    }
  }

  let reordered = 0;
  let reorderedKeys = 0;
  for (const [key, order] of seenOrder) {
    const refList = refOrder.get(key) ?? [];
    const position = new Map(refList.map((id, i) => [id, i]));
    const positions = order.map((id) => position.get(id)).filter((p): p is number => p !== undefined);
    const out = positions.length - longestIncreasing(positions);
    if (out > 0) {
      reordered += out;
      reorderedKeys++;
      const show = (ids: readonly string[]) => shorten(ids.map((id) => ref.get(id)?.label ?? id).join(", "));
      sample("reordered", `key ${key}: ${out} of ${positions.length} out of order; observed ${show(order.filter((id) => position.has(id)))}; reference ${show(refList.filter((id) => seen.has(id)))}`);
    }
  }

  return {
    sink,
    identity: byId ? "id" : "bytes",
    perKeyOrder,
    expected: reference.length,
    outputs: observed.length,
    lost,
    duplicated,
    unexpected,
    mismatched,
    reordered,
    reorderedKeys,
    samples,
  };
}

// Identity, key and content of one output frame, by what its sink declares.
function readOutput(spec: SinkSpec<unknown> | undefined, payload: Uint8Array, byId: boolean, perKeyOrder: boolean): ReadOutput {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("base64");
  if (!spec?.decode) return { identity: bytes, key: undefined, content: bytes, label: `bytes ${shorten(bytes)}`, shown: shorten(bytes) };
  const value = spec.decode(payload);
  const key = perKeyOrder ? String(spec.key!(value)) : undefined;
  if (!byId) {
    const shown = shorten(canonical(value));
    return { identity: bytes, key, content: bytes, label: key === undefined ? `output ${shown}` : `output ${shown} (key ${key})`, shown };
  }
  const id = String(spec.id!(value));
  // Ids need only be unique per key (the sequencer's are per key and stream).
  const identity = key === undefined ? id : `${key}\u0000${id}`;
  const content = spec.content ? canonical(spec.content(value)) : bytes;
  const shown = shorten(spec.content ? content : canonical(value));
  return { identity, key, content, label: key === undefined ? `id ${id}` : `id ${id} (key ${key})`, shown };
}

/** A stable text form of a value: object keys sorted, bytes as base64, bigints as text. */
export function canonical(value: unknown): string {
  return JSON.stringify(normalise(value)) ?? "undefined";
}

function normalise(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Map) return { $map: [...v.entries()].map(([k, x]) => [normalise(k), normalise(x)]).sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1)) };
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = normalise((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function shorten(s: string): string {
  return s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS - 3)}...` : s;
}

// Length of the longest strictly increasing subsequence (patience sorting, O(n log n)).
function longestIncreasing(xs: readonly number[]): number {
  const tails: number[] = [];
  for (const x of xs) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = x;
  }
  return tails.length;
}

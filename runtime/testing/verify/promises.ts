import type { StateMode } from "../../types.js";
import type { FaultKind } from "./scenarios.js";

/** Inputs sent and accepted, and the outputs against the reference run's. */
export interface OutputCounts {
  readonly inputs: number;
  readonly accepted: number;
  readonly expected: number;
  readonly outputs: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  readonly reordered: number;
}

/** What one run observed, against the reference run. */
export interface RunCounts extends OutputCounts {
  /** (epoch, slot) pairs two nodes claimed at once, as seen in /cluster. */
  readonly overlaps: readonly string[];
  /** The cluster came back: stable, every input acknowledged, quiet. */
  readonly recovered: boolean;
  readonly recoveryNote?: string;
}

/** A promise of the README's guarantee table that a run broke. */
export interface Finding {
  /** The guarantee-table row it breaks. */
  readonly promise: string;
  readonly detail: string;
}

/**
 * The promises the README makes for `state` under a fault of `kind`, checked against a run's counts.
 * Every mode: one owner per slot and epoch; the cluster recovers and accepts every input; a planned
 * change loses, repeats, adds and reorders nothing. Durable mode: nothing accepted is lost and state
 * is never wrong under any fault (outputs of re-run events may repeat). Memory and snapshot mode may
 * lose the state effects of a crashed (or fenced) node, as documented, so their outputs after such a
 * fault are not held to the reference.
 */
export function checkPromises(state: StateMode, kind: FaultKind, c: RunCounts): Finding[] {
  const out: Finding[] = [];
  if (c.overlaps.length > 0) out.push({ promise: "single owner", detail: `${c.overlaps.length} (epoch, slot) claimed by two nodes, e.g. ${c.overlaps[0]}` });
  if (!c.recovered) out.push({ promise: "recovery", detail: c.recoveryNote ?? "the cluster did not come back" });
  if (c.accepted < c.inputs) out.push({ promise: "TCP sources (acknowledged)", detail: `${c.inputs - c.accepted} of ${c.inputs} inputs never acknowledged` });
  const strict = kind === "planned" || state === "durable";
  if (!strict) return out;
  const row = kind === "planned" ? "planned change" : "state: durable";
  if (c.lost > 0) out.push({ promise: row, detail: `${c.lost} of ${c.expected} expected outputs never arrived` });
  if (c.unexpected > 0) out.push({ promise: row, detail: `${c.unexpected} outputs the fault-free reference never produced (state was wrong)` });
  if (c.reordered > 0) out.push({ promise: "per-key order", detail: `${c.reordered} outputs out of their key's order` });
  if (kind === "planned" && c.duplicated > 0) out.push({ promise: row, detail: `${c.duplicated} outputs repeated` });
  return out;
}

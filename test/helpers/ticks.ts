import { appliedCodec, tickCodec, type Applied } from "../../apps/sequencer/app.js";

/** `perKey` ticks for each of `keys` keys on one stream, round-robin over keys (seq starts at `from`). */
export function tickFrames(stream: string, keys: number, perKey: number, from = 1, keyPrefix = "k"): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let n = 0; n < perKey; n++) for (let k = 0; k < keys; k++) out.push(tickCodec.encode({ key: `${keyPrefix}${k}`, stream, seq: from + n }));
  return out;
}

/** Checks sequencer outputs: per (key, stream) every seq once, in order, each `prev` the seq before. */
export function checkApplied(frames: readonly Uint8Array[]): { applied: Applied[]; errors: string[]; perStream: Map<string, number[]> } {
  const applied = frames.map((f) => appliedCodec.decode(f));
  const errors: string[] = [];
  const perStream = new Map<string, number[]>();
  for (const a of applied) {
    const id = `${a.key}/${a.stream}`;
    const list = perStream.get(id) ?? [];
    const last = list.length ? list[list.length - 1]! : 0;
    if ((a.prev ?? 0) !== last && errors.length < 10) errors.push(`${id}: seq ${a.seq} saw prev ${a.prev ?? 0}, expected ${last} (on ${a.node}, epoch ${a.epoch ?? 0}, slot ${a.slot ?? 0})`);
    list.push(a.seq);
    perStream.set(id, list);
  }
  return { applied, errors, perStream };
}

/** (slot, epoch) pairs applied by more than one node. */
export function doubleOwners(applied: readonly Applied[]): string[] {
  const owner = new Map<string, string>();
  const bad = new Set<string>();
  for (const a of applied) {
    const id = `slot ${a.slot ?? 0} epoch ${a.epoch ?? 0}`;
    const prev = owner.get(id);
    if (prev && prev !== a.node) bad.add(`${id}: ${prev} and ${a.node}`);
    owner.set(id, a.node);
  }
  return [...bad];
}

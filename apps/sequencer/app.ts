import { ApplicationBuilder } from "../../runtime/builder/application-builder.js";
import { defineState, tcpSink, tcpSource, type StepContext } from "../../runtime/builder/specs.js";
import { prng } from "../../runtime/util/random.js";
import { sequencer } from "../../runtime/wire/generated/sequencer.js";
import { staticCodec, type MessageCodec } from "../../runtime/wire/static-codec.js";

/** One event of a stream for a key (proto `sequencer.Tick`). */
export interface Tick {
  key: string;
  stream: string;
  seq: number;
}

/** What the key's actor saw and where it ran (proto `sequencer.Applied`). */
export interface Applied {
  key: string;
  stream: string;
  seq: number;
  prev: number;
  node: string;
  epoch: number;
  slot: number;
  count: number;
  /** Wall clock (ms) of the node as the step ran. */
  atMs: number;
}

/** A key's state: the last seq applied per stream, and how many events it applied. */
export interface SequencerState {
  last: Record<string, number>;
  count: number;
}

/** Codec for `Tick` frames. */
export const tickCodec: MessageCodec<Tick> = staticCodec(sequencer.Tick);
/** Codec for `Applied` frames. */
export const appliedCodec: MessageCodec<Applied> = staticCodec(sequencer.Applied);
/** Codec for the persisted state. */
export const sequencerStateCodec: MessageCodec<SequencerState> = staticCodec(sequencer.SequencerState);

/** Per-key sequencer state. */
export const Sequences = defineState<SequencerState>("SequencerState", () => ({ last: {}, count: 0 }), sequencerStateCodec);

/** Records the tick and reports the previous seq of its stream, the node and the epoch it ran under. */
export function applyTick(t: Tick, s: SequencerState, ctx: StepContext): Applied {
  s.last ??= {};
  const prev = s.last[t.stream] ?? 0;
  s.last[t.stream] = t.seq;
  s.count = (s.count ?? 0) + 1;
  return { key: t.key, stream: t.stream, seq: t.seq, prev, node: ctx.nodeId, epoch: ctx.epoch, slot: ctx.slot, count: s.count, atMs: Date.now() };
}

/** Keys, streams and ticks per key and stream of `troupe verify`'s sequencer workload. */
export const VERIFY_TICKS = { keys: 300, streams: ["a", "b"], perStream: 10, phases: 2 } as const;

/**
 * `troupe verify`'s workload: every key gets seqs 1..perStream on each stream, split over the phases;
 * within a phase the keys and streams interleave in a seeded order, each (key, stream) in seq order.
 */
export function workload(seed: number): Array<Array<{ source: string; payload: Uint8Array }>> {
  const { keys, streams, perStream, phases } = VERIFY_TICKS;
  const rnd = prng(seed);
  const out: Array<Array<{ source: string; payload: Uint8Array }>> = [];
  const perPhase = Math.ceil(perStream / phases);
  for (let p = 0; p < phases; p++) {
    const from = p * perPhase + 1;
    const to = Math.min(perStream, from + perPhase - 1);
    // One lane per (key, stream), each at its next seq; a seeded pick of the lane to advance next.
    const lanes: Array<{ key: string; stream: string; next: number }> = [];
    for (let k = 0; k < keys; k++) for (const stream of streams) lanes.push({ key: `k${k}`, stream, next: from });
    const frames: Array<{ source: string; payload: Uint8Array }> = [];
    while (lanes.length > 0) {
      const i = Math.floor(rnd() * lanes.length);
      const lane = lanes[i]!;
      frames.push({ source: "ticks", payload: tickCodec.encode({ key: lane.key, stream: lane.stream, seq: lane.next }) });
      if (++lane.next > to) lanes.splice(i, 1);
    }
    out.push(frames);
  }
  return out;
}

/** The sequencer app (registered as "sequencer"): source `ticks`, partition "sequences" keyed by `key`, sink `applied`. */
export default (() => {
  const app = new ApplicationBuilder("sequencer");
  app
    .newPipeline("Ticks", tcpSource("ticks", tickCodec.decode))
    .toStatePartition(applyTick, Sequences, "sequences", (t) => t.key)
    .toSink(
      tcpSink("applied", appliedCodec.encode, {
        id: (a) => `${a.stream}/${a.seq}`,
        decode: appliedCodec.decode,
        key: (a) => a.key,
        // Node, epoch and wall clock say where and when a step ran, which differs from run to run.
        content: (a) => ({ key: a.key, stream: a.stream, seq: a.seq, prev: a.prev, slot: a.slot, count: a.count }),
      }),
    );
  return app.build();
})();

import { ApplicationBuilder } from "../../runtime/builder/application-builder.js";
import { defineState, tcpSink, tcpSource, type StepContext } from "../../runtime/builder/specs.js";
import { messageCodec } from "../../runtime/wire/proto-root.js";

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
export const tickCodec = messageCodec<Tick>("sequencer.proto", "sequencer.Tick");
/** Codec for `Applied` frames. */
export const appliedCodec = messageCodec<Applied>("sequencer.proto", "sequencer.Applied");
/** Codec for the persisted state. */
export const sequencerStateCodec = messageCodec<SequencerState>("sequencer.proto", "sequencer.SequencerState");

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

/** The sequencer app (registered as "sequencer"): source `ticks`, partition "sequences" keyed by `key`, sink `applied`. */
export default (() => {
  const app = new ApplicationBuilder("sequencer");
  app
    .newPipeline("Ticks", tcpSource("ticks", tickCodec.decode))
    .toStatePartition(applyTick, Sequences, "sequences", (t) => t.key)
    .toSink(tcpSink("applied", appliedCodec.encode, { id: (a) => `${a.stream}/${a.seq}` }));
  return app.build();
})();

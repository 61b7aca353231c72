import type { Application, PipelineDef, StageDef, StateStageDef } from "../builder/application.js";
import type { StepContext } from "../builder/specs.js";
import { ActorHost } from "../actors/actor-host.js";
import type { Envelope } from "../types.js";
import { slotOf } from "../placement/hash.js";
import type { ReplayTarget } from "../observability/dead-letters.js";
import { SlotTable } from "../rebalance/slot-table.js";
import type { Origin } from "./origin.js";
import { DEFAULT_MAX_KEY_BYTES } from "../defaults.js";
import { HotKeys } from "../observability/hot-keys.js";
import { wallClockMs } from "../util/wall-clock.js";
import { decodeAtOf, type DecodeAt } from "../wire/static-codec.js";
import { asBuffer } from "../wire/node-message-decode.js";
import { envelopePayload, frameView } from "./envelope-payload.js";
import type { NodeServices } from "./app-runtime-host.js";

/** Counters of one app on one node (plain numbers: cheap on the hot path, read at scrape time). */
export interface AppCounters {
  /** Events accepted per source (a fresh map per read). */
  readonly eventsIn: Map<string, number>;
  readonly stageEvents: Float64Array;
  /** Outputs written per sink (a fresh map per read). */
  readonly eventsOut: Map<string, number>;
}

// A counter cell: incremented in place on the hot path (no map write per event).
interface Count {
  n: number;
}

function countsOf(cells: ReadonlyMap<string, Count>): Map<string, number> {
  const m = new Map<string, number>();
  for (const [k, c] of cells) if (c.n > 0) m.set(k, c.n);
  return m;
}

interface SourceIn {
  readonly pipeline: PipelineDef;
  readonly decoder: (bytes: Uint8Array) => unknown;
  readonly decodeAt: DecodeAt<unknown> | undefined;
  readonly count: Count;
}

const STATELESS_CTX: StepContext = { key: "", slot: -1, nodeId: "", epoch: 0, unchanged: () => undefined };

/** Runs one application's pipelines on one node: decode, stateless steps, routing, actors, sinks. */
export class AppRuntime {
  readonly name: string;
  /** Actor host per partition index. */
  readonly hosts: ActorHost[];
  /** Slot ownership per partition index. */
  readonly tables: SlotTable[];
  readonly counters: AppCounters;
  /** The hottest keys per partition index (undefined when the node keeps no sketch). */
  readonly hotKeys: ReadonlyArray<HotKeys | undefined>;
  private readonly pipelineOfStage: PipelineDef[];
  private readonly maxKeyBytes: number;
  private readonly partitionByName: Map<string, number>;
  private readonly inCounts = new Map<string, Count>();
  // Per source: its pipeline and decoder, the decoder's range form (a generated codec's), its count.
  private readonly sourcesIn = new Map<string, SourceIn>();
  private readonly outCounts = new Map<string, Count>();
  // Per state stage: its input's decoder of a byte range (a generated codec's), if it has one.
  private readonly inputDecodeAt: Array<DecodeAt<unknown> | undefined>;

  constructor(
    readonly app: Application,
    private readonly node: NodeServices,
  ) {
    this.name = app.name;
    this.maxKeyBytes = node.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES;
    this.partitionByName = new Map(app.partitions.map((p) => [p.name, p.index]));
    this.tables = app.partitions.map((p) => new SlotTable(p.slots));
    this.hotKeys = app.partitions.map(() => (node.hotKeys === false ? undefined : new HotKeys()));
    this.pipelineOfStage = [];
    for (const p of app.pipelines) for (const id of p.stages) this.pipelineOfStage[id] = p;
    for (const [name, entry] of app.sources) {
      const count: Count = { n: 0 };
      this.inCounts.set(name, count);
      this.sourcesIn.set(name, { pipeline: entry.pipeline, decoder: entry.decoder, decodeAt: decodeAtOf(entry.decoder), count });
    }
    for (const p of app.pipelines) if (p.sink) this.outCounts.set(p.sink.name, { n: 0 });
    this.inputDecodeAt = app.stages.map((st) => {
      if (st.kind !== "state") return undefined;
      return st.input === "frame" ? this.sourcesIn.get(this.pipelineOfStage[st.id]!.source.name)?.decodeAt : decodeAtOf(st.input.decode);
    });
    const inCounts = this.inCounts;
    const outCounts = this.outCounts;
    this.counters = {
      get eventsIn() {
        return countsOf(inCounts);
      },
      stageEvents: new Float64Array(app.stages.length),
      get eventsOut() {
        return countsOf(outCounts);
      },
    };
    this.hosts = app.partitions.map(
      (p) =>
        new ActorHost(
          p,
          {
            app: app.name,
            nodeId: node.nodeId,
            store: node.store,
            epoch: () => node.epoch(),
            inputOf: (env) => this.inputOf(env),
            emit: (stage, out, env) => this.continueAfter(stage, out, env),
            stepFailed: (stage, env, err) => this.node.deadLetters.record("step_error", app.name, `${stage.pipeline}/${stage.name}`, err, envelopePayload(env) ?? this.encodedInput(env), { stage: env.stage }),
            stageOf: (env) => this.app.stages[env.stage] as StateStageDef,
            storeFailed: (err, key) => this.node.storeFailed(app.name, key, err),
            beforeWrite: node.beforeWrite,
            mayRun: node.mayRun,
            actorIdle: node.actorIdle,
            evicted: node.actorEvicted,
            // A step's count is of events it ran: a replayed one its actor already had is taken back out.
            repeated: (env) => this.counters.stageEvents[env.stage]!--,
            applied: node.applied ? (env) => node.applied!(app.name, this.app.partitions[(this.app.stages[env.stage] as StateStageDef).partition.index]!.name, env) : undefined,
          },
          node.maxActors,
        ),
    );
  }

  /** Partition index of a partition name, or undefined. */
  partitionIndex(name: string): number | undefined {
    return this.partitionByName.get(name);
  }

  /**
   * Handles one frame accepted by source `source`, bytes [start, end) of `buf`, on connection `connId`
   * (its `seq`-th event), which came in at `origin`.
   */
  ingest(source: string, buf: Buffer, start: number, end: number, connId: string, seq: number, acceptedMs: number, origin?: Origin): void {
    const entry = this.sourcesIn.get(source);
    if (!entry) return;
    entry.count.n++;
    let value: unknown;
    // A generated codec decodes the frame where it lies; another decoder gets a view, which is then the frame.
    let frame = buf;
    if (entry.decodeAt === undefined && (start !== 0 || end !== buf.length)) {
      frame = buf.subarray(start, end);
      start = 0;
      end = frame.length;
    }
    try {
      value = entry.decodeAt !== undefined ? entry.decodeAt(frame, start, end) : entry.decoder(frame);
    } catch (err) {
      this.node.deadLetters.record("decode_error", this.name, source, err, frameView(frame, start, end), { source });
      return;
    }
    const first = entry.pipeline.stages[0];
    if (first === undefined) {
      this.toSink(entry.pipeline, value, acceptedMs);
      return;
    }
    this.runFrom(first, value, frame, start, end, connId, seq, acceptedMs, origin);
  }

  /** Delivers an envelope addressed to a state stage of this app on this node (the owner check is the node's). */
  deliverOwned(env: Envelope, partition: number): void {
    this.counters.stageEvents[env.stage]!++;
    const hot = this.hotKeys[partition];
    if (hot !== undefined && --hot.countdown <= 0) hot.sample(env.key);
    this.hosts[partition]!.deliver(env);
  }

  /**
   * Takes a dead letter's payload back in (`troupe dlq replay`): a source frame runs its pipeline
   * from the start, a stage input runs from that stage. Throws when the payload still does not decode.
   */
  reinject(target: ReplayTarget, payload: Uint8Array, seq: number): void {
    const now = wallClockMs();
    if ("source" in target) {
      if (!this.app.sources.has(target.source)) throw new Error(`app ${this.name} has no source "${target.source}"`);
      const buf = asBuffer(payload);
      this.ingest(target.source, buf, 0, buf.length, "dlq-replay", seq, now);
      return;
    }
    const stage = this.app.stages[target.stage];
    if (!stage) throw new Error(`app ${this.name} has no stage ${target.stage}`);
    if (stage.kind !== "state") throw new Error(`stage ${target.stage} of ${this.name} is not a state step`);
    const value = stage.input === "frame" ? this.app.sources.get(this.pipelineOfStage[stage.id]!.source.name)!.decoder(payload) : stage.input.decode(payload);
    const frame = stage.input === "frame" ? asBuffer(payload) : undefined;
    this.runFrom(stage.id, value, frame, 0, frame?.length ?? 0, "dlq-replay", seq, now);
  }

  // The frame of a dead letter at a stateless step is replayable through its pipeline's source.
  private sourceOf(stageId: number): ReplayTarget | undefined {
    const p = this.pipelineOfStage[stageId];
    return p && p.stages[0] === stageId ? { source: p.source.name } : undefined;
  }

  private encodedInput(env: Envelope): Uint8Array | undefined {
    const stage = this.app.stages[env.stage] as StateStageDef;
    if (stage.input === "frame" || env.value === undefined) return undefined;
    try {
      return stage.input.encode(env.value);
    } catch {
      return undefined;
    }
  }

  private inputOf(env: Envelope): unknown {
    // An envelope from another node (or the event log) carries its input as a range of the message it
    // came in: a generated codec decodes it there, without a view per event.
    const at = this.inputDecodeAt[env.stage];
    if (at !== undefined && env.payload === undefined && env.frame !== undefined) return (env.value = at(env.frame, env.frameStart, env.frameEnd));
    const stage = this.app.stages[env.stage] as StateStageDef;
    const bytes = envelopePayload(env);
    if (!bytes) throw new Error(`envelope for stage ${stage.name} has neither a value nor a payload`);
    const value = stage.input === "frame" ? this.app.sources.get(this.pipelineOfStage[stage.id]!.source.name)!.decoder(bytes) : stage.input.decode(bytes);
    env.value = value;
    return value;
  }

  private continueAfter(stage: StateStageDef, out: unknown, env: Envelope): void {
    const next = stage.next;
    if (next === undefined) {
      this.toSink(this.pipelineOfStage[stage.id]!, out, env.acceptedMs);
      return;
    }
    this.runFrom(next, out, undefined, 0, 0, env.source, env.seq, env.acceptedMs);
  }

  // `frame`: the source frame (bytes [frameStart, frameEnd)) while the value is still the frame's decode.
  private runFrom(stageId: number, value: unknown, frame: Buffer | undefined, frameStart: number, frameEnd: number, source: string, seq: number, acceptedMs: number, origin?: Origin): void {
    let id: number | undefined = stageId;
    let v = value;
    while (id !== undefined) {
      const stage: StageDef = this.app.stages[id]!;
      if (stage.kind === "state") {
        let key: string;
        try {
          key = stage.key(v);
          if (typeof key !== "string") key = String(key);
        } catch (err) {
          this.node.deadLetters.record("step_error", this.name, `${stage.pipeline}/${stage.name} (key)`, err, frameView(frame, frameStart, frameEnd), this.sourceOf(stage.id));
          return;
        }
        // Keys travel in every envelope and name their state in the store: their length is bounded.
        // (UTF-8 takes at most 3 bytes per UTF-16 unit, so most keys skip the exact count.)
        if (key.length * 3 > this.maxKeyBytes && Buffer.byteLength(key, "utf8") > this.maxKeyBytes) {
          this.node.deadLetters.record(
            "key_too_long",
            this.name,
            `${stage.pipeline}/${stage.name} (key)`,
            `the key is ${Buffer.byteLength(key, "utf8")} bytes; keys may be at most ${this.maxKeyBytes} bytes (UTF-8)`,
            frameView(frame, frameStart, frameEnd),
            this.sourceOf(stage.id),
          );
          return;
        }
        const partition = stage.partition;
        const env: Envelope = {
          app: this.name,
          stage: id,
          slot: slotOf(key, partition.slots),
          key,
          value: v,
          payload: undefined,
          frame: stage.input === "frame" ? frame : undefined,
          frameStart,
          frameEnd,
          epoch: this.node.epoch(),
          source,
          seq,
          hops: 0,
          acceptedMs,
          offset: 0,
        };
        this.node.route(env, this.tables[partition.index]!, origin);
        return;
      }
      this.counters.stageEvents[id]!++;
      let out: unknown;
      try {
        out = stage.fn(v, STATELESS_CTX);
      } catch (err) {
        this.node.deadLetters.record("step_error", this.name, `${stage.pipeline}/${stage.name}`, err, frameView(frame, frameStart, frameEnd), this.sourceOf(stage.id));
        return;
      }
      if (out instanceof Promise) {
        this.awaitStep(stage, out, frameView(frame, frameStart, frameEnd), source, seq, acceptedMs);
        return;
      }
      if (out === undefined) return;
      v = out;
      frame = undefined;
      id = stage.next;
      if (id === undefined) {
        this.toSink(this.pipelineOfStage[stage.id]!, v, acceptedMs);
        return;
      }
    }
  }

  // An async stateless step: the pipeline goes on when it settles. (Its own method: closures in `runFrom`
  // would make V8 allocate their context on every event, async step or not.)
  private awaitStep(stage: StageDef, out: Promise<unknown>, frame: Uint8Array | undefined, source: string, seq: number, acceptedMs: number): void {
    const after = stage.next;
    out.then(
      (o) => {
        if (o === undefined) return;
        if (after === undefined) this.toSink(this.pipelineOfStage[stage.id]!, o, acceptedMs);
        else this.runFrom(after, o, undefined, 0, 0, source, seq, acceptedMs);
      },
      (err: unknown) => this.node.deadLetters.record("step_error", this.name, `${stage.pipeline}/${stage.name}`, err, frame, this.sourceOf(stage.id)),
    );
  }

  private toSink(pipeline: PipelineDef, value: unknown, acceptedMs: number): void {
    const sink = pipeline.sink;
    if (!sink) return;
    let bytes: Uint8Array;
    try {
      bytes = sink.encoder(value);
    } catch (err) {
      this.node.deadLetters.record("step_error", this.name, `sink ${sink.name} (encoder)`, err);
      return;
    }
    this.outCounts.get(sink.name)!.n++;
    this.node.writeSink(sink.name, bytes, acceptedMs);
  }
}

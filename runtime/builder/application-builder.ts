import { AppDefinitionError } from "../errors.js";
import type { Application, PartitionDef, PipelineDef, StageDef } from "./application.js";
import {
  DEFAULT_SLOTS,
  structuredCodec,
  type Codec,
  type PartitionOptions,
  type SinkSpec,
  type SourceSpec,
  type StateSpec,
  type StateStep,
  type Step,
} from "./specs.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

type DraftStage =
  | { kind: "stateless"; name: string; fn: Step<unknown, unknown>; codec: Codec<unknown> | undefined }
  | {
      kind: "state";
      name: string;
      fn: StateStep<unknown, unknown, unknown>;
      state: StateSpec<unknown>;
      partition: string;
      key: (input: unknown) => string;
      slots: number;
      codec: Codec<unknown> | undefined;
    };

interface DraftPipeline {
  name: string;
  source: SourceSpec<unknown>;
  stages: DraftStage[];
  sink: SinkSpec<unknown> | undefined;
}

/** A pipeline under construction whose current output type is `T`. */
export class PipelineBuilder<T> {
  /** @internal */
  constructor(private readonly draft: DraftPipeline) {}

  /** Adds a stateless step; it runs on the node where its input is. */
  to<Out>(step: Step<T, Out>, options: { name?: string; outputCodec?: Codec<Out> } = {}): PipelineBuilder<Out> {
    this.assertOpen(options.name ?? step.name);
    this.draft.stages.push({
      kind: "stateless",
      name: options.name ?? (step.name || `step ${this.draft.stages.length + 1}`),
      fn: step as Step<unknown, unknown>,
      codec: options.outputCodec as Codec<unknown> | undefined,
    });
    return this as unknown as PipelineBuilder<Out>;
  }

  /**
   * Routes each event to the actor of `key(event)` in state partition `partition`,
   * whose private state (of kind `state`) the step reads and mutates.
   */
  toStatePartition<S, Out>(
    step: StateStep<T, S, Out>,
    state: StateSpec<S>,
    partition: string,
    key: (input: T) => string,
    options: PartitionOptions<Out> = {},
  ): PipelineBuilder<Out> {
    const name = options.name ?? (step.name || `step ${this.draft.stages.length + 1}`);
    this.assertOpen(name);
    this.draft.stages.push({
      kind: "state",
      name,
      fn: step as StateStep<unknown, unknown, unknown>,
      state: state as StateSpec<unknown>,
      partition,
      key: key as (input: unknown) => string,
      slots: options.slots ?? DEFAULT_SLOTS,
      codec: options.outputCodec as Codec<unknown> | undefined,
    });
    return this as unknown as PipelineBuilder<Out>;
  }

  /** Ends the pipeline at a sink; outputs of the last step are encoded by the sink's encoder. */
  toSink(sink: SinkSpec<T>): void {
    this.assertOpen(`sink ${sink.name}`);
    this.draft.sink = sink as SinkSpec<unknown>;
  }

  private assertOpen(what: string): void {
    if (this.draft.sink) {
      throw new AppDefinitionError(
        `pipeline "${this.draft.name}": cannot add ${what} after its sink "${this.draft.sink.name}"; a sink ends a pipeline`,
      );
    }
  }
}

/** Declares an application: pipelines from sources through steps and state partitions to sinks. */
export class ApplicationBuilder {
  private readonly pipelines: DraftPipeline[] = [];

  constructor(readonly name: string) {}

  /** Starts a pipeline at `source`; its events have the decoder's output type. */
  newPipeline<T>(name: string, source: SourceSpec<T>): PipelineBuilder<T> {
    const draft: DraftPipeline = { name, source: source as SourceSpec<unknown>, stages: [], sink: undefined };
    this.pipelines.push(draft);
    return new PipelineBuilder<T>(draft);
  }

  /** Validates the definition and returns the application; errors name the pipeline and step. */
  build(): Application {
    if (!NAME.test(this.name)) {
      throw new AppDefinitionError(`application name "${this.name}" is invalid: use letters, digits, space, '_', '.', '-' (1-100 chars)`);
    }
    if (this.pipelines.length === 0) {
      throw new AppDefinitionError(`application "${this.name}" has no pipelines: add one with newPipeline(name, source)`);
    }
    const partitions = new Map<string, PartitionDef & { owner: string }>();
    const sources = new Map<string, { pipeline: PipelineDef; decoder: (p: Uint8Array) => unknown }>();
    const sinks = new Map<string, SinkSpec<unknown>>();
    const stages: StageDef[] = [];
    const pipelines: PipelineDef[] = [];
    const seenPipelines = new Set<string>();

    for (const p of this.pipelines) {
      const where = `application "${this.name}", pipeline "${p.name}"`;
      if (!NAME.test(p.name)) throw new AppDefinitionError(`${where}: invalid pipeline name`);
      if (seenPipelines.has(p.name)) throw new AppDefinitionError(`${where}: another pipeline has the same name; names must be unique`);
      seenPipelines.add(p.name);
      if (!p.source || typeof p.source.decoder !== "function" || !p.source.name) {
        throw new AppDefinitionError(`${where}: source needs a name and a decoder function`);
      }
      if (sources.has(p.source.name)) {
        throw new AppDefinitionError(`${where}: source "${p.source.name}" already feeds pipeline "${sources.get(p.source.name)!.pipeline.name}"; each source feeds one pipeline`);
      }
      if (p.stages.length === 0 && !p.sink) {
        throw new AppDefinitionError(`${where}: has no steps and no sink; add a step with to() or toStatePartition()`);
      }
      if (p.sink) {
        if (typeof p.sink.encoder !== "function" || !p.sink.name) throw new AppDefinitionError(`${where}: sink needs a name and an encoder function`);
        sinks.set(p.sink.name, p.sink);
      }
      const ids: number[] = [];
      const firstId = stages.length;
      p.stages.forEach((s, i) => {
        const id = firstId + i;
        const next = i + 1 < p.stages.length ? id + 1 : undefined;
        const stepWhere = `${where}, step "${s.name}"`;
        if (typeof s.fn !== "function") throw new AppDefinitionError(`${stepWhere}: the step is not a function`);
        if (s.kind === "stateless") {
          stages.push({ kind: "stateless", id, name: s.name, pipeline: p.name, fn: s.fn, next });
        } else {
          if (!NAME.test(s.partition)) throw new AppDefinitionError(`${stepWhere}: invalid state partition name "${s.partition}"`);
          if (typeof s.key !== "function") throw new AppDefinitionError(`${stepWhere}: the key extractor is not a function`);
          if (!s.state || typeof s.state.create !== "function" || !s.state.codec) {
            throw new AppDefinitionError(`${stepWhere}: the state spec needs create() and a codec; use defineState()`);
          }
          if (!Number.isInteger(s.slots) || s.slots < 1 || s.slots > 65536) {
            throw new AppDefinitionError(`${stepWhere}: slots must be an integer from 1 to 65536, got ${s.slots}`);
          }
          let part = partitions.get(s.partition);
          if (!part) {
            part = { name: s.partition, index: partitions.size, slots: s.slots, state: s.state, owner: p.name };
            partitions.set(s.partition, part);
          } else {
            if (part.state !== s.state) {
              throw new AppDefinitionError(`${stepWhere}: state partition "${s.partition}" was declared with state "${part.state.name}" in pipeline "${part.owner}"; a partition has one state kind`);
            }
            if (part.slots !== s.slots) {
              throw new AppDefinitionError(`${stepWhere}: state partition "${s.partition}" has ${part.slots} slots in pipeline "${part.owner}" but ${s.slots} here`);
            }
          }
          const prev = i === 0 ? undefined : p.stages[i - 1];
          const input: Codec<unknown> | "frame" = i === 0 ? "frame" : (prev!.codec ?? structuredCodec());
          stages.push({ kind: "state", id, name: s.name, pipeline: p.name, fn: s.fn, partition: part, key: s.key, input, next });
        }
        ids.push(id);
      });
      const def: PipelineDef = { name: p.name, source: p.source, stages: ids, sink: p.sink };
      pipelines.push(def);
      sources.set(p.source.name, { pipeline: def, decoder: p.source.decoder });
    }
    const partitionList = [...partitions.values()].map(({ owner: _owner, ...rest }) => rest);
    // Stages referencing partitions must point at the same objects as the list.
    const byName = new Map(partitionList.map((pd) => [pd.name, pd]));
    const fixed = stages.map((s) => (s.kind === "state" ? { ...s, partition: byName.get(s.partition.name)! } : s));
    return { name: this.name, pipelines, stages: fixed, partitions: partitionList, sources, sinks };
  }
}

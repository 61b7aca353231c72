import type { Codec, Decoder, SinkSpec, SourceSpec, StateSpec, Step, StateStep } from "./specs.js";

/** A state partition of a built application. */
export interface PartitionDef {
  readonly name: string;
  readonly index: number;
  readonly slots: number;
  readonly state: StateSpec<unknown>;
}

/** A stateless stage: runs where its input is. */
export interface StatelessStageDef {
  readonly kind: "stateless";
  readonly id: number;
  readonly name: string;
  readonly pipeline: string;
  readonly fn: Step<unknown, unknown>;
  /** The stage that receives this stage's output, or undefined at the end of the pipeline. */
  readonly next: number | undefined;
}

/** A stage that runs on the actor of a key in a state partition. */
export interface StateStageDef {
  readonly kind: "state";
  readonly id: number;
  readonly name: string;
  readonly pipeline: string;
  readonly fn: StateStep<unknown, unknown, unknown>;
  readonly partition: PartitionDef;
  readonly key: (input: unknown) => string;
  /** How this stage's input crosses the wire (for the first stage after a source: the frame itself). */
  readonly input: Codec<unknown> | "frame";
  readonly next: number | undefined;
}

/** One stage of a pipeline. */
export type StageDef = StatelessStageDef | StateStageDef;

/** A built pipeline: a source, stages in order, and an optional sink. */
export interface PipelineDef {
  readonly name: string;
  readonly source: SourceSpec<unknown>;
  /** Stage ids in order. */
  readonly stages: readonly number[];
  readonly sink: SinkSpec<unknown> | undefined;
}

/** A validated application, ready for a node to run. */
export interface Application {
  readonly name: string;
  readonly pipelines: readonly PipelineDef[];
  /** Every stage of every pipeline, indexed by stage id. */
  readonly stages: readonly StageDef[];
  readonly partitions: readonly PartitionDef[];
  /** The decoder of each source name. */
  readonly sources: ReadonlyMap<string, { pipeline: PipelineDef; decoder: Decoder<unknown> }>;
  /** Sink names and the pipelines that end in them. */
  readonly sinks: ReadonlyMap<string, SinkSpec<unknown>>;
}

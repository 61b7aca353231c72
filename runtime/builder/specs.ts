import { serialize, deserialize } from "node:v8";
import { DEFAULT_SLOTS } from "../defaults.js";

/** Turns one frame's payload into an event; throwing marks the frame as bad input. */
export type Decoder<T> = (payload: Uint8Array) => T;
/** Turns an output value into one frame's payload. */
export type Encoder<T> = (value: T) => Uint8Array;

/** Encoder/decoder pair used where values cross a node boundary or are persisted. */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** Structured-clone codec (node:v8): the default for step outputs and state without a codec of their own. */
export function structuredCodec<T>(): Codec<T> {
  return {
    encode: (value: T) => serialize(value),
    decode: (bytes: Uint8Array) => deserialize(bytes) as T,
  };
}

/** Where a pipeline's events come from. */
export interface SourceSpec<T> {
  readonly kind: "tcp";
  readonly name: string;
  readonly decoder: Decoder<T>;
}

/** Where a pipeline's outputs go. `id` gives each output a stable id so a receiver can drop repeats. */
export interface SinkSpec<T> {
  readonly kind: "tcp";
  readonly name: string;
  readonly encoder: Encoder<T>;
  readonly id?: (value: T) => string;
  /** Reads an output frame back (`troupe verify` needs it to use `id`, `key` and `content`). */
  readonly decode?: Decoder<T>;
  /** The key an output belongs to (`troupe verify` checks order per key; `id` need only be unique per key). */
  readonly key?: (value: T) => string;
  /** The part of an output that must equal the fault-free run's (default: the whole frame); leave out wall clocks and node names. */
  readonly content?: (value: T) => unknown;
}

/** What `tcpSink` takes beside its encoder: how tools identify, read back and compare its outputs. */
export interface TcpSinkOptions<T> {
  /** A stable id per output: a receiver drops repeats by it. */
  readonly id?: (value: T) => string;
  /** Reads an output frame back. */
  readonly decode?: Decoder<T>;
  /** The key an output belongs to, for per-key order checks. */
  readonly key?: (value: T) => string;
  /** The deterministic part of an output (what `troupe verify` compares; default: the whole frame). */
  readonly content?: (value: T) => unknown;
}

/** A TCP source named `name`: length-prefixed frames, each decoded by `decoder`. */
export function tcpSource<T>(name: string, decoder: Decoder<T>): SourceSpec<T> {
  return { kind: "tcp", name, decoder };
}

/** A TCP sink named `name`: each output encoded by `encoder` and sent as one frame. */
export function tcpSink<T>(name: string, encoder: Encoder<T>, options: TcpSinkOptions<T> = {}): SinkSpec<T> {
  const spec: { -readonly [K in keyof SinkSpec<T>]: SinkSpec<T>[K] } = { kind: "tcp", name, encoder };
  // Only the options given: tools read a field being there as the sink declaring it.
  if (options.id) spec.id = options.id;
  if (options.decode) spec.decode = options.decode;
  if (options.key) spec.key = options.key;
  if (options.content) spec.content = options.content;
  return spec;
}

/** The kind of state each actor of a state partition owns. */
export interface StateSpec<S> {
  readonly name: string;
  /** A fresh state for a key seen for the first time. */
  create(): S;
  /** How the state is persisted and handed off. */
  readonly codec: Codec<S>;
}

/** Declares a state kind; without a codec, state is persisted with structured clone. */
export function defineState<S>(name: string, create: () => S, codec: Codec<S> = structuredCodec<S>()): StateSpec<S> {
  return { name, create, codec };
}

/** What a step may ask of the runtime. */
export interface StepContext {
  /** The actor key (state steps) or "" (stateless steps). */
  readonly key: string;
  /** The slot of the key (state steps). */
  readonly slot: number;
  /** Id of the node running the step. */
  readonly nodeId: string;
  /** The placement epoch the step runs under. */
  readonly epoch: number;
  /** Marks the state as unchanged so it is not written back (an optimisation). */
  unchanged(): void;
}

/** A stateless step: output, or undefined to emit nothing. */
export type Step<In, Out> = (input: In, ctx: StepContext) => Out | undefined | Promise<Out | undefined>;
/** A step on a key's private state: mutate `state` in place; output, or undefined to emit nothing. */
export type StateStep<In, S, Out> = (input: In, state: S, ctx: StepContext) => Out | undefined | Promise<Out | undefined>;

/** Options of `toStatePartition`. */
export interface PartitionOptions<Out> {
  /** Slots in the partition (fixed for its lifetime). */
  slots?: number;
  /** Step name for metrics and errors (defaults to the function's name). */
  name?: string;
  /** Codec for this step's output when the next stage runs on another node. */
  outputCodec?: Codec<Out>;
}

export { DEFAULT_SLOTS };

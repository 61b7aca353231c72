// Types every layer shares: what an event is on its way to its actor, how nodes talk about slots,
// where things listen, and how state is kept. No logic here: every other module may import it.

/** One event addressed to a stage (and, for state stages, to the actor of `key`). */
export interface Envelope {
  readonly app: string;
  readonly stage: number;
  readonly slot: number;
  readonly key: string;
  /** The decoded input, when it has not crossed a process boundary. */
  value: unknown;
  /** The encoded input (the frame itself for the first stage), when known. */
  payload: Uint8Array | undefined;
  /** Placement epoch the sender routed with. */
  epoch: number;
  /** Originating source connection (`node/source/conn`). */
  readonly source: string;
  /** Sequence number within `source`. */
  readonly seq: number;
  /** Forwards so far. */
  hops: number;
  /** Wall-clock ms (fractional) at which the source accepted the event. */
  readonly acceptedMs: number;
  /** Durable mode: the event's sequence in its app's event stream (0 when it did not come from the stream). */
  offset: number;
}

/** The state of one actor moving to a new owner. */
export interface ActorHandoff {
  readonly key: string;
  /** The state object (in-process) or its encoding (over the wire). */
  readonly state: unknown;
}

/** Messages between nodes other than event batches; sent on the same ordered channel as batches. */
export type ControlMessage =
  | {
      readonly type: "handoff-done";
      readonly app: string;
      readonly partition: string;
      readonly slot: number;
      readonly epoch: number;
      readonly from: string;
      readonly actors: readonly ActorHandoff[];
      readonly buffered: readonly Envelope[];
    }
  | { readonly type: "epoch-ack"; readonly epoch: number; readonly from: string }
  | { readonly type: "drain"; readonly nodeId: string };

/** A host and port. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** How actor state is kept: only in memory, written behind to KV (`snapshot`), or rebuilt from the event stream (`durable`). */
export type StateMode = "memory" | "snapshot" | "durable";

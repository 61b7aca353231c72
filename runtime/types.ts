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
  /**
   * The encoded input before anything needed it as a view: bytes [frameStart, frameEnd) of this buffer
   * (a source's read, or the message it came in from another node or the event log; never written to
   * again). Read `payload` through `envelopePayload` (node/envelope-payload.ts), which makes the view
   * once, when it is needed.
   */
  frame: Buffer | undefined;
  frameStart: number;
  frameEnd: number;
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
  /** Snapshot mode: the store's revision of the key as its old owner left it (its next write is conditional on it); 0 or absent: never stored. */
  readonly revision?: number;
  /** The last event-stream sequence the state reflects (durable mode; 0 otherwise). */
  readonly seq?: number;
  /** False: the store holds this state at `revision` (its next owner need not write it); absent or true: it does not. */
  readonly dirty?: boolean;
}

/** States pre-copied to a node for one slot: plain states (a store that keeps objects), or each with where the store stands. */
export type StagedStates = { readonly plain: true; readonly states: Map<string, unknown> } | { readonly plain: false; readonly states: Map<string, ActorHandoff> };

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
      /** 0: `actors` is the whole slot; else the pre-copy it completes: `actors` are the states changed since (see pre-copy.ts). */
      readonly copy?: number;
      /** With `copy`: keys whose pre-copied state is out of date and not sent (the store has them). */
      readonly stale?: readonly string[];
      /** Durable mode: the slot's events up to this stream offset are in the states handed over or stored (0: unknown). */
      readonly delivered?: number;
    }
  | { readonly type: "epoch-ack"; readonly epoch: number; readonly from: string }
  // Pre-copy (memory mode) ahead of a join: a slot's states while its owner keeps serving it, in rounds.
  | { readonly type: "slot-copy"; readonly app: string; readonly partition: string; readonly slot: number; readonly copy: number; readonly round: number; readonly actors: readonly ActorHandoff[]; readonly last: boolean; readonly stale?: readonly string[] }
  // The joiner's answer to a round's last `slot-copy`: staged (ok) or refused (its staging is full: the slot goes whole at the switch).
  | { readonly type: "slot-copy-ack"; readonly app: string; readonly partition: string; readonly slot: number; readonly copy: number; readonly round: number; readonly ok: boolean }
  // The sender gave a pre-copy up (the slot is going elsewhere): the joiner drops what it staged.
  | { readonly type: "slot-copy-cancel"; readonly app: string; readonly partition: string; readonly slot: number; readonly copy: number }
  // Everything the sender will hand the joiner is pre-copied: the joiner may become an owner.
  | { readonly type: "copy-ready"; readonly epoch: number }
  | { readonly type: "drain"; readonly nodeId: string };

/** A host and port. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/** How actor state is kept: only in memory, written behind to KV (`snapshot`), or rebuilt from the event stream (`durable`). */
export type StateMode = "memory" | "snapshot" | "durable";

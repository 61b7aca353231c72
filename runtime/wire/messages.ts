import { messageCodec } from "./proto-root.js";

// TypeScript shapes of proto/runtime.proto. The binary format itself lives only in the .proto file.

/** An event addressed to a stage (and actor) on its owner node, as it crosses the wire. */
export interface WireEnvelope {
  app: string;
  stage: number;
  slot: number;
  key: string;
  payload: Uint8Array;
  epoch: number;
  source: string;
  seq: number;
  hops: number;
  acceptedMs: number;
}

/** Events for one destination, one per flush. */
export interface WireBatch {
  envelopes: WireEnvelope[];
}

/** One actor's encoded state during a handoff. */
export interface WireActorState {
  key: string;
  state: Uint8Array;
}

/** The old owner's last word on a slot. */
export interface WireHandoffDone {
  app: string;
  partition: string;
  slot: number;
  epoch: number;
  from: string;
  actors: WireActorState[];
  buffered: WireEnvelope[];
}

/** Control messages between nodes (exactly one field set). */
export interface WireControl {
  handoffDone?: WireHandoffDone;
  epochAck?: { epoch: number };
  drain?: { nodeId: string };
}

/** One piece of a node message over the server's max payload, sent as its own sequenced message. */
export interface WireFragment {
  data: Uint8Array;
  index: number;
  count: number;
}

/** Everything one node publishes to another (exactly one of batch, control, ack, fragment). */
export interface WireNodeMessage {
  from: string;
  incarnation: string;
  seq: number;
  batch?: WireBatch;
  control?: WireControl;
  ack?: { seq: number; incarnation: string };
  fragment?: WireFragment;
}

/** A member as stored in the membership bucket. */
export interface WireMemberRecord {
  nodeId: string;
  joinedSeq: number;
  status: string;
  heartbeatMs: number;
  http: string;
  incarnation: string;
}

/** The cluster view record. */
export interface WireClusterView {
  members: WireMemberRecord[];
}

/** A persisted actor state. */
export interface WireStoredState {
  state: Uint8Array;
  ownerEpoch: number;
  appliedSeq: number;
  /** The actor key (empty in records written before it was stored). */
  key: string;
  /** Node id and process incarnation of the writer. */
  writer: string;
}

/** Codec for `troupe.NodeMessage`. */
export const nodeMessageCodec = messageCodec<WireNodeMessage>("runtime.proto", "troupe.NodeMessage");
/** Codec for `troupe.Control` (the drain command is published on its own). */
export const controlCodec = messageCodec<WireControl>("runtime.proto", "troupe.Control");
/** Codec for `troupe.ClusterView`. */
export const clusterViewCodec = messageCodec<WireClusterView>("runtime.proto", "troupe.ClusterView");
/** Codec for `troupe.MemberRecord`. */
export const memberRecordCodec = messageCodec<WireMemberRecord>("runtime.proto", "troupe.MemberRecord");
/** Codec for `troupe.StoredState`. */
export const storedStateCodec = messageCodec<WireStoredState>("runtime.proto", "troupe.StoredState");

/** A slot's checkpoint in durable mode. */
export interface WireSlotCheckpoint {
  seq: number;
  ownerEpoch: number;
  nodeId: string;
}

/** The first frame of an acknowledged source connection. */
export interface WireSourceHello {
  clientId: string;
  nextSeq: number;
}

/** A cumulative acknowledgement from a source to its client. */
export interface WireSourceAck {
  seq: number;
}

/** A dead letter as stored in the dead-letter stream. */
export interface WireDeadLetterRecord {
  reason: string;
  app: string;
  where: string;
  detail: string;
  payload: Uint8Array;
  nodeId: string;
  atMs: number;
  source: string;
  stage: number;
}

/** Codec for `troupe.Envelope` (one event in the durable event stream). */
export const envelopeCodec = messageCodec<WireEnvelope>("runtime.proto", "troupe.Envelope");
/** Codec for `troupe.SlotCheckpoint`. */
export const slotCheckpointCodec = messageCodec<WireSlotCheckpoint>("runtime.proto", "troupe.SlotCheckpoint");
/** Codec for `troupe.SourceHello`. */
export const sourceHelloCodec = messageCodec<WireSourceHello>("runtime.proto", "troupe.SourceHello");
/** Codec for `troupe.SourceAck`. */
export const sourceAckCodec = messageCodec<WireSourceAck>("runtime.proto", "troupe.SourceAck");
/** Codec for `troupe.DeadLetterRecord`. */
export const deadLetterCodec = messageCodec<WireDeadLetterRecord>("runtime.proto", "troupe.DeadLetterRecord");

/** A batch of events in the durable event stream. */
export interface WireEventBatch {
  events: Uint8Array[];
  clientLastSeq: number;
  batchId: number;
  stages: number[];
  slots: number[];
}

/** Codec for `troupe.EventBatch`. */
export const eventBatchCodec = messageCodec<WireEventBatch>("runtime.proto", "troupe.EventBatch");

import { troupe } from "./generated/runtime.js";
import type { troupe as pb } from "./generated/runtime-types.js";
import { staticCodec, type Decoded, type MessageCodec } from "./static-codec.js";
import { fastEnvelopeCodec, fastNodeMessageCodec } from "./node-message-codec.js";

// The shapes of proto/runtime.proto's messages, as decoded, and their codecs: both generated from the
// .proto (`npm run proto`), so they cannot drift from it. See Decoded for how fields read.

/** An event addressed to a stage (and actor) on its owner node, as it crosses the wire. */
export type WireEnvelope = Decoded<pb.IEnvelope>;
/** Events for one destination, one per flush. */
export type WireBatch = Decoded<pb.IBatch>;
/** One actor's encoded state during a handoff. */
export type WireActorState = Decoded<pb.IActorState>;
/** The old owner's last word on a slot. */
export type WireHandoffDone = Decoded<pb.IHandoffDone>;
/** Control messages between nodes (exactly one field set). */
export type WireControl = Decoded<pb.IControl>;
/** One piece of a node message over the server's max payload, sent as its own sequenced message. */
export type WireFragment = Decoded<pb.IFragment>;
/** Everything one node publishes to another (exactly one of batch, control, ack, fragment). */
export type WireNodeMessage = Decoded<pb.INodeMessage>;
/** A member as stored in the membership bucket. */
export type WireMemberRecord = Decoded<pb.IMemberRecord>;
/** The cluster view record. */
export type WireClusterView = Decoded<pb.IClusterView>;
/** A persisted actor state (`key` is empty in records written before it was stored). */
export type WireStoredState = Decoded<pb.IStoredState>;
/** A slot's checkpoint in durable mode. */
export type WireSlotCheckpoint = Decoded<pb.ISlotCheckpoint>;
/** The first frame of an acknowledged source connection. */
export type WireSourceHello = Decoded<pb.ISourceHello>;
/** A cumulative acknowledgement from a source to its client. */
export type WireSourceAck = Decoded<pb.ISourceAck>;
/** A dead letter as stored in the dead-letter stream. */
export type WireDeadLetterRecord = Decoded<pb.IDeadLetterRecord>;
/** A batch of events in the durable event stream. */
export type WireEventBatch = Decoded<pb.IEventBatch>;

/** Codec for `troupe.NodeMessage` (batches by hand: see node-message-codec.ts). */
export const nodeMessageCodec: MessageCodec<WireNodeMessage> = fastNodeMessageCodec;
/** The generated codec for `troupe.NodeMessage` (what the hand-written one is checked against). */
export const generatedNodeMessageCodec: MessageCodec<WireNodeMessage> = staticCodec(troupe.NodeMessage);
/** Codec for `troupe.Control` (the drain command is published on its own). */
export const controlCodec: MessageCodec<WireControl> = staticCodec(troupe.Control);
/** Codec for `troupe.ClusterView`. */
export const clusterViewCodec: MessageCodec<WireClusterView> = staticCodec(troupe.ClusterView);
/** Codec for `troupe.MemberRecord`. */
export const memberRecordCodec: MessageCodec<WireMemberRecord> = staticCodec(troupe.MemberRecord);
/** Codec for `troupe.StoredState`. */
export const storedStateCodec: MessageCodec<WireStoredState> = staticCodec(troupe.StoredState);
/** Codec for `troupe.Envelope` (one event in the durable event stream; by hand: see node-message-codec.ts). */
export const envelopeCodec: MessageCodec<WireEnvelope> = fastEnvelopeCodec;
/** The generated codec for `troupe.Envelope` (what the hand-written one is checked against). */
export const generatedEnvelopeCodec: MessageCodec<WireEnvelope> = staticCodec(troupe.Envelope);
/** Codec for `troupe.SlotCheckpoint`. */
export const slotCheckpointCodec: MessageCodec<WireSlotCheckpoint> = staticCodec(troupe.SlotCheckpoint);
/** Codec for `troupe.SourceHello`. */
export const sourceHelloCodec: MessageCodec<WireSourceHello> = staticCodec(troupe.SourceHello);
/** Codec for `troupe.SourceAck`. */
export const sourceAckCodec: MessageCodec<WireSourceAck> = staticCodec(troupe.SourceAck);
/** Codec for `troupe.DeadLetterRecord`. */
export const deadLetterCodec: MessageCodec<WireDeadLetterRecord> = staticCodec(troupe.DeadLetterRecord);
/** Codec for `troupe.EventBatch`. */
export const eventBatchCodec: MessageCodec<WireEventBatch> = staticCodec(troupe.EventBatch);

/** A state lookup sent to a key's owner. */
export type WireStateQuery = Decoded<pb.IStateQuery>;
/** The owner's answer to a state lookup. */
export type WireStateAnswer = Decoded<pb.IStateAnswer>;
/** Codec for `troupe.StateQuery`. */
export const stateQueryCodec: MessageCodec<WireStateQuery> = staticCodec(troupe.StateQuery);
/** Codec for `troupe.StateAnswer`. */
export const stateAnswerCodec: MessageCodec<WireStateAnswer> = staticCodec(troupe.StateAnswer);

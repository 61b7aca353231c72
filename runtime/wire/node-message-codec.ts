import { troupe } from "./generated/runtime.js";
import type { troupe as pb } from "./generated/runtime-types.js";
import type { Decoded, MessageCodec } from "./static-codec.js";
import type { Envelope } from "../types.js";
import { encodeBatchMessage, encodeEnvelope } from "./node-message-encode.js";
import { decodeEnvelope, decodeNodeMessage } from "./node-message-decode.js";

// The hot message by hand. A NodeMessage carrying a batch is nearly everything nodes send each other,
// and protobufjs's writer builds an operation object per field (and a LongBits per 64-bit one) before it
// writes: about half of a node's allocations in the 3-process profile. This writes the same bytes (field
// order and presence as the generated code writes them; pinned by test/unit/wire) in two passes, sizes
// then one buffer, and reads a batch's envelopes straight into runtime envelopes (no wire objects in
// between; repeated app and source strings are read once per batch). Every other body goes through the
// generated code, as do the sub-messages of a batch message other than its envelopes.

type WireNodeMessage = Decoded<pb.INodeMessage>;
type WireEnvelope = Decoded<pb.IEnvelope>;

/**
 * Codec for `troupe.NodeMessage`: a batch message by hand (see the top of this file), anything else
 * through the generated code. A decoded batch's envelopes are runtime envelopes: see {@link batchEnvelopes}.
 */
export const fastNodeMessageCodec: MessageCodec<WireNodeMessage> = {
  encode(m) {
    if (m.batch && !m.control && !m.ack && !m.fragment) return encodeBatchMessage(m, m.batch.envelopes);
    return troupe.NodeMessage.encode(m as pb.INodeMessage).finish();
  },
  decode: decodeNodeMessage,
};

/**
 * Codec for one `troupe.Envelope` (durable mode's stored events), by hand as in batches. Decoded envelopes
 * are runtime envelopes: the payload is a range of the decoded bytes (`frame`), read through envelopePayload.
 */
export const fastEnvelopeCodec: MessageCodec<WireEnvelope> = { encode: encodeEnvelope, decode: decodeEnvelope as unknown as (bytes: Uint8Array) => WireEnvelope };

/** The envelopes of a batch this codec decoded, as the runtime's envelopes (no input decoded yet, offset 0). */
export function batchEnvelopes(batch: Decoded<pb.IBatch>): Envelope[] {
  return batch.envelopes as Envelope[];
}

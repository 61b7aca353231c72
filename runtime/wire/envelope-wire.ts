import type { Envelope } from "../types.js";
import type { WireContext } from "../transport/transport.js";
import type { WireEnvelope } from "./messages.js";

/** An envelope as it crosses the wire (its input encoded). */
export function envelopeToWire(e: Envelope, wire: WireContext): WireEnvelope {
  return { app: e.app, stage: e.stage, slot: e.slot, key: e.key, payload: wire.payloadOf(e), epoch: e.epoch, source: e.source, seq: e.seq, hops: e.hops, acceptedMs: e.acceptedMs };
}

/** An envelope received from the wire (decoded lazily by its actor). */
export function envelopeFromWire(w: WireEnvelope, offset = 0): Envelope {
  return { app: w.app, stage: w.stage, slot: w.slot, key: w.key, value: undefined, payload: w.payload, frame: undefined, frameStart: 0, frameEnd: 0, epoch: w.epoch, source: w.source, seq: w.seq, hops: w.hops, acceptedMs: w.acceptedMs, offset };
}

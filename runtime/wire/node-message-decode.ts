import { troupe } from "./generated/runtime.js";
import type { troupe as pb } from "./generated/runtime-types.js";
import type { Decoded } from "./static-codec.js";
import type { Envelope } from "../types.js";
import { Cursor } from "./cursor.js";
import { utf8 } from "./utf8.js";

// The reading half of node-message-codec.ts: a batch's envelopes straight into runtime envelopes (no
// wire objects in between; repeated app and source strings read once per batch); control,
// acknowledgement and fragment bodies through the generated code.

type WireNodeMessage = Decoded<pb.INodeMessage>;
// An envelope read into the runtime's shape: its input is a range of the message's buffer (`frame`, as a
// source's envelope carries its frame; an empty payload when absent), decoded lazily by its actor there
// (no view per envelope). `prev` is the envelope before it in the batch: an equal app or
// source string is shared, not read again.
function readEnvelope(c: Cursor, end: number, prev: Envelope | undefined, prevApp: number[], prevSource: number[]): Envelope {
  let app = "";
  let stage = 0;
  let slot = 0;
  let key = "";
  let payloadStart = -1;
  let payloadEnd = 0;
  let epoch = 0;
  let source = "";
  let seq = 0;
  let hops = 0;
  let acceptedMs = 0;
  const outer = c.end;
  c.end = end;
  while (c.pos < end) {
    const tag = c.varint();
    switch (tag) {
      case 10:
        app = sharedString(c, prev?.app, prevApp);
        break;
      case 16:
        stage = c.varint();
        break;
      case 24:
        slot = c.varint();
        break;
      case 34:
        key = c.string();
        break;
      case 42:
        payloadEnd = c.delimited();
        payloadStart = c.pos;
        c.pos = payloadEnd;
        break;
      case 48:
        epoch = c.varint();
        break;
      case 58:
        source = sharedString(c, prev?.source, prevSource);
        break;
      case 64:
        seq = c.varint();
        break;
      case 72:
        hops = c.varint();
        break;
      case 81:
        if (c.pos + 8 > end) throw new RangeError("double runs past the end of the envelope");
        acceptedMs = c.buf.readDoubleLE(c.pos);
        c.pos += 8;
        break;
      default:
        c.skip(tag & 7);
    }
  }
  c.end = outer;
  if (payloadStart < 0) return { app, stage, slot, key, value: undefined, payload: EMPTY, frame: undefined, frameStart: 0, frameEnd: 0, epoch, source, seq, hops, acceptedMs, offset: 0 };
  return { app, stage, slot, key, value: undefined, payload: undefined, frame: c.buf, frameStart: payloadStart, frameEnd: payloadEnd, epoch, source, seq, hops, acceptedMs, offset: 0 };
}

const EMPTY = new Uint8Array(0);

// A string field whose bytes equal those of the same field of the envelope before (at `at`, updated
// here) is that envelope's string: read once per batch, not once per envelope.
function sharedString(c: Cursor, prev: string | undefined, at: number[]): string {
  const end = c.delimited();
  const s = prev !== undefined && sameBytes(c.buf, at, c.pos, end) ? prev : utf8(c.buf, c.pos, end);
  at[0] = c.pos;
  at[1] = end;
  c.pos = end;
  return s;
}

// Bytes [start, end) of `buf` equal the earlier field at prev = [start, end) of the same buffer.
function sameBytes(buf: Buffer, prev: number[], start: number, end: number): boolean {
  const ps = prev[0]!;
  if (prev[1]! - ps !== end - start) return false;
  for (let i = 0; i < end - start; i++) if (buf[ps + i] !== buf[start + i]) return false;
  return true;
}

function readBatch(c: Cursor, end: number): Envelope[] {
  const envelopes: Envelope[] = [];
  const prevApp = [0, -1];
  const prevSource = [0, -1];
  let prev: Envelope | undefined;
  while (c.pos < end) {
    const tag = c.varint();
    if (tag !== 10) {
      c.skip(tag & 7);
      continue;
    }
    const e = c.delimited();
    prev = readEnvelope(c, e, prev, prevApp, prevSource);
    envelopes.push(prev);
    c.pos = e;
  }
  return envelopes;
}

/** A Buffer view of the bytes (no copy): native string reads. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads envelopes at byte ranges of one buffer (the events of a stored event batch), each sharing an
 * equal app or source string with the one read before it: a batch's events are one producer's.
 */
export class EnvelopeRanges {
  private readonly c: Cursor;
  private prev: Envelope | undefined;
  private readonly prevApp = [0, -1];
  private readonly prevSource = [0, -1];

  constructor(readonly buf: Buffer) {
    this.c = new Cursor(buf, buf.length);
  }

  /** The envelope encoded in bytes [start, end). */
  read(start: number, end: number): Envelope {
    this.c.pos = start;
    this.c.end = end;
    return (this.prev = readEnvelope(this.c, end, this.prev, this.prevApp, this.prevSource));
  }
}

/** Decodes one Envelope (durable mode's events) into a runtime envelope. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const buf = asBuffer(bytes);
  return readEnvelope(new Cursor(buf, buf.length), buf.length, undefined, [0, -1], [0, -1]);
}

/** Decodes a NodeMessage; a batch's envelopes are runtime envelopes (see batchEnvelopes in node-message-codec.ts). */
export function decodeNodeMessage(bytes: Uint8Array): WireNodeMessage {
  const buf = asBuffer(bytes);
  const c = new Cursor(buf, buf.length);
  const m: WireNodeMessage = { from: "", incarnation: "", seq: 0, batch: null, control: null, ack: null, fragment: null, piggyback: null };
  while (c.pos < c.end) {
    const tag = c.varint();
    const field = tag >>> 3;
    if (tag === 24) {
      m.seq = c.varint();
      continue;
    }
    if ((tag & 7) !== 2) {
      c.skip(tag & 7);
      continue;
    }
    const end = c.delimited();
    switch (field) {
      case 1:
        m.from = utf8(buf, c.pos, end);
        break;
      case 2:
        m.incarnation = utf8(buf, c.pos, end);
        break;
      case 4:
        // Runtime envelopes in the wire type's place (see Envelope): payloads are read through envelopePayload.
        m.batch = { envelopes: readBatch(c, end) as unknown as Decoded<pb.IEnvelope>[] };
        break;
      case 5:
        m.control = troupe.Control.decode(buf.subarray(c.pos, end)) as unknown as WireNodeMessage["control"];
        break;
      case 6:
        m.ack = troupe.Ack.decode(buf.subarray(c.pos, end)) as unknown as WireNodeMessage["ack"];
        break;
      case 7:
        m.fragment = troupe.Fragment.decode(buf.subarray(c.pos, end)) as unknown as WireNodeMessage["fragment"];
        break;
      case 8:
        m.piggyback = troupe.Ack.decode(buf.subarray(c.pos, end)) as unknown as WireNodeMessage["piggyback"];
        break;
    }
    c.pos = end;
  }
  return m;
}


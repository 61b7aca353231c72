import { troupe } from "./generated/runtime.js";
import type { troupe as pb } from "./generated/runtime-types.js";
import type { Decoded } from "./static-codec.js";

// The writing half of node-message-codec.ts: a batch message in two passes, sizes then one buffer,
// the bytes the generated code writes (field order and presence as it writes them).

type WireNodeMessage = Decoded<pb.INodeMessage>;
type WireEnvelope = Decoded<pb.IEnvelope>;

// A runtime envelope from a source may carry its input as its frame's range instead of a payload
// (node/envelope-payload.ts): written from the range, without making a view of it.
interface FrameRange {
  readonly payload: Uint8Array | undefined;
  readonly frame?: Buffer;
  readonly frameStart?: number;
  readonly frameEnd?: number;
}

/** Bytes of an envelope's payload: its payload's, or its frame range's. */
export function payloadLength(e: WireEnvelope): number {
  const r = e as unknown as FrameRange;
  if (r.payload !== undefined || r.frame === undefined) return e.payload.length;
  return r.frameEnd! - r.frameStart!;
}

// Payload ranges up to this many bytes are copied by a loop, longer ones by Buffer.copy (a loop takes
// ~2 ns a byte, Buffer.copy of a range ~90-180 ns at any small size; a loyalty click is 37 bytes).
const SHORT_COPY = 48;

function payloadField(buf: Buffer, p: number, tag: number, e: WireEnvelope): number {
  const r = e as unknown as FrameRange;
  if (r.payload !== undefined || r.frame === undefined) return bytesField(buf, p, tag, e.payload);
  const start = r.frameStart!;
  const end = r.frameEnd!;
  buf[p] = tag;
  p = writeVarint(buf, p + 1, end - start);
  // A short range by a loop: Buffer.copy of a range makes a view of it first (an allocation per event).
  const frame = r.frame;
  if (end - start <= SHORT_COPY) for (let i = start; i < end; i++) buf[p++] = frame[i]!;
  else {
    frame.copy(buf, p, start, end);
    p += end - start;
  }
  return p;
}


// Strings shorter than this are measured and written by a loop here; longer ones by Buffer (a native call).
const SHORT_STRING = 64;

/** Bytes of `s` in UTF-8. */
function utf8Length(s: string): number {
  const n = s.length;
  if (n >= SHORT_STRING) return Buffer.byteLength(s, "utf8");
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function varint32Length(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

// A non-negative integer up to 2^53 (uint64 fields carry numbers here).
function varintLength(v: number): number {
  if (v < 0x10000000) return varint32Length(v);
  let n = 4;
  for (let x = Math.floor(v / 0x10000000); x > 0; x = Math.floor(x / 128)) n++;
  return n;
}

function writeVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 0x80) {
    buf[pos++] = (v % 128) | 0x80;
    v = v < 0x100000000 ? v >>> 7 : Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

// `len` is utf8Length(s): ASCII is copied by a loop, anything else by Buffer.
function writeString(buf: Buffer, pos: number, s: string, len: number): number {
  if (len === s.length && len < SHORT_STRING) {
    for (let i = 0; i < len; i++) buf[pos + i] = s.charCodeAt(i);
  } else buf.write(s, pos, len, "utf8");
  return pos + len;
}

// Fields with one-byte tags (every field here): the tag, then a varint, a string or bytes.
function uintField(buf: Buffer, p: number, tag: number, v: number): number {
  buf[p] = tag;
  return writeVarint(buf, p + 1, v);
}

function stringField(buf: Buffer, p: number, tag: number, s: string, len: number): number {
  buf[p] = tag;
  return writeString(buf, writeVarint(buf, p + 1, len), s, len);
}

function bytesField(buf: Buffer, p: number, tag: number, bytes: Uint8Array): number {
  buf[p] = tag;
  p = writeVarint(buf, p + 1, bytes.length);
  buf.set(bytes, p);
  return p + bytes.length;
}

// Per-envelope byte lengths of the batch being encoded (grown as needed; encode is not re-entrant).
let sizes = new Int32Array(1024);
let keyLengths = new Int32Array(1024);

// Each field is its one-byte tag and its value; accepted_ms is a fixed 8 bytes.
function envelopeLength(e: WireEnvelope, appLen: number, sourceLen: number, keyLen: number): number {
  const payloadLen = payloadLength(e);
  return (
    1 + varint32Length(appLen) + appLen +
    1 + varint32Length(e.stage) +
    1 + varint32Length(e.slot) +
    1 + varint32Length(keyLen) + keyLen +
    1 + varint32Length(payloadLen) + payloadLen +
    1 + varintLength(e.epoch) +
    1 + varint32Length(sourceLen) + sourceLen +
    1 + varintLength(e.seq) +
    1 + varint32Length(e.hops) +
    1 + 8
  );
}

// An envelope's fields (its tag and length are the caller's).
function writeEnvelope(buf: Buffer, p: number, e: WireEnvelope, appLen: number, sourceLen: number, keyLen: number): number {
  p = stringField(buf, p, 10, e.app, appLen);
  p = uintField(buf, p, 16, e.stage);
  p = uintField(buf, p, 24, e.slot);
  p = stringField(buf, p, 34, e.key, keyLen);
  p = payloadField(buf, p, 42, e);
  p = uintField(buf, p, 48, e.epoch);
  p = stringField(buf, p, 58, e.source, sourceLen);
  p = uintField(buf, p, 64, e.seq);
  p = uintField(buf, p, 72, e.hops);
  buf[p++] = 81;
  buf.writeDoubleLE(e.acceptedMs, p);
  return p + 8;
}

/** Encodes one Envelope (durable mode's events); the bytes are those the generated code writes. */
export function encodeEnvelope(e: WireEnvelope): Uint8Array {
  const appLen = utf8Length(e.app);
  const sourceLen = utf8Length(e.source);
  const keyLen = utf8Length(e.key);
  const total = envelopeLength(e, appLen, sourceLen, keyLen);
  const buf = Buffer.allocUnsafe(total);
  if (writeEnvelope(buf, 0, e, appLen, sourceLen, keyLen) !== total) throw new Error(`envelope encoded to other than its ${total} bytes`);
  return buf;
}

/** Encodes a NodeMessage whose body is a batch; the bytes are those the generated code writes. */
export function encodeBatchMessage(m: WireNodeMessage, envs: readonly WireEnvelope[]): Uint8Array {
  const count = envs.length;
  if (sizes.length < count) {
    sizes = new Int32Array(count * 2);
    keyLengths = new Int32Array(count * 2);
  }
  // Most envelopes of a batch share app and source: their lengths are measured once per distinct string.
  let app = "";
  let appLen = 0;
  let source = "";
  let sourceLen = 0;
  let batchLen = 0;
  for (let i = 0; i < count; i++) {
    const e = envs[i]!;
    if (e.app !== app) appLen = utf8Length((app = e.app));
    if (e.source !== source) sourceLen = utf8Length((source = e.source));
    const keyLen = utf8Length(e.key);
    keyLengths[i] = keyLen;
    const len = envelopeLength(e, appLen, sourceLen, keyLen);
    sizes[i] = len;
    batchLen += 1 + varint32Length(len) + len;
  }
  const fromLen = utf8Length(m.from);
  const incLen = utf8Length(m.incarnation);
  const piggyback = m.piggyback ? troupe.Ack.encode(m.piggyback).finish() : undefined;
  const total =
    1 + varint32Length(fromLen) + fromLen +
    1 + varint32Length(incLen) + incLen +
    1 + varintLength(m.seq) +
    1 + varint32Length(batchLen) + batchLen +
    (piggyback ? 1 + varint32Length(piggyback.length) + piggyback.length : 0);
  const buf = Buffer.allocUnsafe(total);
  let p = 0;
  p = stringField(buf, p, 10, m.from, fromLen);
  p = stringField(buf, p, 18, m.incarnation, incLen);
  p = uintField(buf, p, 24, m.seq);
  // The batch's tag and length; its envelopes follow, each a tag, a length and its fields.
  p = uintField(buf, p, 34, batchLen);
  app = "";
  source = "";
  for (let i = 0; i < count; i++) {
    const e = envs[i]!;
    if (e.app !== app) appLen = utf8Length((app = e.app));
    if (e.source !== source) sourceLen = utf8Length((source = e.source));
    p = uintField(buf, p, 10, sizes[i]!);
    p = writeEnvelope(buf, p, e, appLen, sourceLen, keyLengths[i]!);
  }
  if (piggyback) p = bytesField(buf, p, 66, piggyback);
  if (p !== total) throw new Error(`node message encoded to ${p} bytes, sized ${total}`);
  return buf;
}


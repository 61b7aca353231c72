import { FRAME_HEADER_BYTES } from "./frame-decoder.js";

export { FRAME_HEADER_BYTES };

/** One frame: the 4-byte big-endian length, then the payload. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** Many frames in one buffer. */
export function encodeFrames(payloads: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const p of payloads) size += FRAME_HEADER_BYTES + p.length;
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  for (const p of payloads) {
    out.writeUInt32BE(p.length, off);
    out.set(p, off + FRAME_HEADER_BYTES);
    off += FRAME_HEADER_BYTES + p.length;
  }
  return out;
}

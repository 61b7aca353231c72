// The benchmark driver's clicks, framed once before any is measured: a connection's writes are then
// views of one buffer. (Framing as it went, the driver copied each click and wrote its length header
// while the cluster was measured: ~14% of the driver's samples in a profile at 140k clicks/s, on the
// same 2 cores as the nodes.)
import { once } from "node:events";
import { framesPerWrite, openConnection, paced } from "../apps/loyalty/load-generator.js";
import { FRAME_HEADER_BYTES } from "../runtime/io/frame-decoder.js";

/** Payloads framed end to end, each after its 4-byte big-endian length: frame i is bytes [at[i], at[i + 1]). */
export interface FramedPayloads {
  readonly bytes: Buffer;
  readonly at: Float64Array;
  readonly count: number;
}

/** Frames `payloads` into one buffer. */
export function framePayloads(payloads: readonly Uint8Array[]): FramedPayloads {
  let total = 0;
  for (const p of payloads) total += FRAME_HEADER_BYTES + p.length;
  const bytes = Buffer.allocUnsafe(total);
  const at = new Float64Array(payloads.length + 1);
  let off = 0;
  for (let i = 0; i < payloads.length; i++) {
    const p = payloads[i]!;
    at[i] = off;
    bytes.writeUInt32BE(p.length, off);
    bytes.set(p, off + FRAME_HEADER_BYTES);
    off += FRAME_HEADER_BYTES + p.length;
  }
  at[payloads.length] = off;
  return { bytes, at, count: payloads.length };
}

/**
 * Writes frames [from, to) of `framed` on one new connection to `addr`, at `rate` frames a second (0: as
 * fast as the socket takes them), honouring backpressure; `onWrite(first, count)` is called as frames
 * first..first+count-1 (numbered as in `framed`) are written. Resolves with the count once the connection is ended.
 */
export async function sendFramed(
  addr: { host: string; port: number },
  framed: FramedPayloads,
  from: number,
  to: number,
  rate: number,
  onWrite?: (first: number, count: number) => void,
): Promise<number> {
  const socket = await openConnection(addr);
  const chunk = framesPerWrite(rate);
  const start = performance.now();
  for (let first = from; first < to; ) {
    const next = Math.min(to, first + chunk);
    onWrite?.(first, next - first);
    if (!socket.write(framed.bytes.subarray(framed.at[first]!, framed.at[next]!))) await once(socket, "drain");
    first = next;
    await paced(start, first - from, rate);
  }
  await new Promise<void>((resolve) => socket.end(resolve));
  return Math.max(0, to - from);
}

import type { Envelope } from "../types.js";

/**
 * The envelope's encoded input: its payload, or (an event not yet needed as bytes: a source's, or one
 * received from another node or the event log) a view of its range of `frame`, made here once and
 * kept. A range is made a view only when something needs its bytes: a forward to another node, the
 * event log, a dead letter. An event run where it is needs none: a generated codec decodes the range
 * in place (a `Buffer` view is about 100 bytes, a sixth of what an event allocated).
 */
export function envelopePayload(env: Envelope): Uint8Array | undefined {
  if (env.payload !== undefined || env.frame === undefined) return env.payload;
  return (env.payload = frameView(env.frame, env.frameStart, env.frameEnd));
}

/** Bytes [start, end) of `frame` as a view (for a dead letter), or undefined without a frame. */
export function frameView(frame: Buffer | undefined, start: number, end: number): Uint8Array | undefined {
  if (frame === undefined) return undefined;
  return start === 0 && end === frame.length ? frame : frame.subarray(start, end);
}

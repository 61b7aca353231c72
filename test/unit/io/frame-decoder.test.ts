import { describe, expect, it } from "vitest";
import { FrameError } from "../../../runtime/index.js";
import { FrameDecoder } from "../../../runtime/io/frame-decoder.js";
import { encodeFrame, encodeFrames } from "../../../runtime/io/framing.js";

const MAX = 1024;
const payloads = [
  Buffer.from("hello"),
  Buffer.alloc(0),
  Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]),
  Buffer.alloc(MAX, 7), // exactly the maximum
  Buffer.from("x"),
  Buffer.alloc(0),
  Buffer.alloc(300, 1),
];
const stream = encodeFrames(payloads);

function decodeAll(chunks: Buffer[], max = MAX): Buffer[] {
  const d = new FrameDecoder(max);
  const out: Buffer[] = [];
  for (const c of chunks) d.push(c, (p) => out.push(Buffer.from(p)));
  if (d.midFrame()) expect.fail("decoder left mid-frame");
  return out;
}

// Buffer.equals per frame: deep-equal on every split point would dominate the run time.
function same(out: Buffer[], want: Buffer[]): boolean {
  return out.length === want.length && out.every((b, i) => b.equals(want[i]!));
}

describe("FrameDecoder", () => {
  it("decodes a stream split into two chunks at every byte boundary", () => {
    for (let split = 0; split <= stream.length; split++) {
      const out = decodeAll([stream.subarray(0, split), stream.subarray(split)]);
      if (!same(out, payloads)) expect.fail(`split at byte ${split} decoded wrongly`);
    }
  });

  it("decodes a stream fed one byte at a time", () => {
    const chunks = Array.from(stream, (b) => Buffer.from([b]));
    expect(decodeAll(chunks)).toEqual(payloads);
  });

  it("decodes a stream split into three chunks at many boundary pairs", () => {
    for (let a = 0; a < stream.length; a += 37) {
      for (let b = a; b <= stream.length; b += 53) {
        if (!same(decodeAll([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]), payloads)) expect.fail(`split at ${a}/${b} decoded wrongly`);
      }
    }
  });

  it("decodes many frames in one chunk, zero-copy", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`event-${i}`));
    const chunk = encodeFrames(many);
    const d = new FrameDecoder(MAX);
    const out: Buffer[] = [];
    d.push(chunk, (p) => out.push(p));
    expect(out.map(String)).toEqual(many.map(String));
    expect(out[5]!.buffer).toBe(chunk.buffer); // a view of the chunk, not a copy
  });

  it("pushAt gives each frame as a range: of the chunk when it lies in one, of its own copy when it spans two", () => {
    for (let split = 0; split <= stream.length; split += 7) {
      const d = new FrameDecoder(MAX);
      const out: Buffer[] = [];
      const chunks = [stream.subarray(0, split), stream.subarray(split)];
      for (const c of chunks) {
        d.pushAt(c, (buf, start, end) => {
          // The buffer is the chunk itself, or (spanning chunks) a copy holding exactly the frame.
          if (buf !== c && (start !== 0 || end !== buf.length)) expect.fail(`split ${split}: a range of a buffer that is not the chunk`);
          out.push(Buffer.from(buf.subarray(start, end)));
        });
      }
      if (!same(out, payloads)) expect.fail(`split at byte ${split} decoded wrongly`);
    }
  });

  it("zero-length frames yield empty payloads", () => {
    expect(decodeAll([encodeFrames([Buffer.alloc(0), Buffer.alloc(0)])])).toEqual([Buffer.alloc(0), Buffer.alloc(0)]);
  });

  it("rejects an over-max length before allocating, even at 4 GiB - 1", () => {
    const d = new FrameDecoder(MAX);
    expect(() => d.push(encodeFrame(Buffer.alloc(MAX + 1)), () => undefined)).toThrow(FrameError);
    const huge = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => new FrameDecoder(MAX).push(huge, () => undefined)).toThrow(/4294967295 bytes, more than the maximum of 1024/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    // The header split across chunks is checked the same way.
    const split = new FrameDecoder(MAX);
    split.push(huge.subarray(0, 2), () => undefined);
    expect(() => split.push(huge.subarray(2), () => undefined)).toThrow(FrameError);
  });

  it("garbage bytes either decode as frames within the limit or fail with FrameError", () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 200; i++) {
      const garbage = Buffer.from(Array.from({ length: 64 }, rnd));
      const d = new FrameDecoder(MAX);
      try {
        d.push(garbage, (p) => expect(p.length).toBeLessThanOrEqual(MAX));
      } catch (err) {
        expect(err).toBeInstanceOf(FrameError);
      }
    }
  });

  it("reports buffered bytes of an unfinished frame", () => {
    const d = new FrameDecoder(MAX);
    d.push(encodeFrame(Buffer.alloc(100)).subarray(0, 50), () => undefined);
    expect(d.midFrame()).toBe(true);
    expect(d.bufferedBytes()).toBe(50);
  });
});

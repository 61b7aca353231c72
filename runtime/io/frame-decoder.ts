import { FrameError } from "../errors.js";

/** Bytes of the length header that precedes every frame. */
export const FRAME_HEADER_BYTES = 4;

/**
 * Splits a byte stream into Wallaroo frames: a 4-byte big-endian unsigned length,
 * then that many payload bytes.
 *
 * Frames that lie inside one chunk are passed as zero-copy `subarray`s of the chunk:
 * a callee that keeps a payload past its call must not mutate the chunk (sockets
 * hand out a fresh chunk per read, so keeping it is safe). Only a frame that spans
 * chunks is copied, once, into a buffer of exactly its size.
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private partial: Buffer | undefined;
  private partialFill = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Calls `onFrame` for each complete frame in `chunk`, in order; throws `FrameError` on an oversized length. */
  push(chunk: Buffer, onFrame: (payload: Buffer) => void): void {
    this.pushAt(chunk, (buf, start, end) => onFrame(start === 0 && end === buf.length ? buf : buf.subarray(start, end)));
  }

  /**
   * As `push`, each frame as bytes [start, end) of `buf` (the chunk, or a frame that spanned chunks,
   * copied once): no view is made per frame, for a caller that may not need one.
   */
  pushAt(chunk: Buffer, onFrame: (buf: Buffer, start: number, end: number) => void): void {
    let off = 0;
    const len = chunk.length;
    if (this.partial) off = this.fillPartial(chunk, off, onFrame);
    else if (this.headerFill > 0) off = this.fillHeader(chunk, off, onFrame);
    while (off < len) {
      if (len - off < FRAME_HEADER_BYTES) {
        chunk.copy(this.header, 0, off, len);
        this.headerFill = len - off;
        return;
      }
      const size = chunk.readUInt32BE(off);
      this.check(size);
      off += FRAME_HEADER_BYTES;
      if (len - off >= size) {
        onFrame(chunk, off, off + size);
        off += size;
        continue;
      }
      this.startPartial(size);
      off = this.fillPartial(chunk, off, onFrame);
    }
  }

  /** Bytes held for an incomplete header or frame. */
  bufferedBytes(): number {
    return this.partial ? FRAME_HEADER_BYTES + this.partialFill : this.headerFill;
  }

  /** True when a frame or header has started but not finished. */
  midFrame(): boolean {
    return this.partial !== undefined || this.headerFill > 0;
  }

  /** Forgets any partial frame. */
  reset(): void {
    this.partial = undefined;
    this.partialFill = 0;
    this.headerFill = 0;
  }

  private check(size: number): void {
    if (size > this.maxFrameBytes) {
      this.reset();
      throw new FrameError(`frame declares ${size} bytes, more than the maximum of ${this.maxFrameBytes}; closing the connection`);
    }
  }

  private startPartial(size: number): void {
    this.partial = Buffer.allocUnsafe(size);
    this.partialFill = 0;
  }

  private fillHeader(chunk: Buffer, off: number, onFrame: (buf: Buffer, start: number, end: number) => void): number {
    const need = FRAME_HEADER_BYTES - this.headerFill;
    const take = Math.min(need, chunk.length - off);
    chunk.copy(this.header, this.headerFill, off, off + take);
    this.headerFill += take;
    off += take;
    if (this.headerFill < FRAME_HEADER_BYTES) return off;
    this.headerFill = 0;
    const size = this.header.readUInt32BE(0);
    this.check(size);
    if (chunk.length - off >= size) {
      onFrame(chunk, off, off + size);
      return off + size;
    }
    this.startPartial(size);
    return this.fillPartial(chunk, off, onFrame);
  }

  private fillPartial(chunk: Buffer, off: number, onFrame: (buf: Buffer, start: number, end: number) => void): number {
    const p = this.partial!;
    const take = Math.min(p.length - this.partialFill, chunk.length - off);
    chunk.copy(p, this.partialFill, off, off + take);
    this.partialFill += take;
    if (this.partialFill === p.length) {
      this.partial = undefined;
      this.partialFill = 0;
      onFrame(p, 0, p.length);
    }
    return off + take;
  }
}

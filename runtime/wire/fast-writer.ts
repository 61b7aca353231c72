import protobuf from "protobufjs/minimal.js";

const { util } = protobuf;

// Scratch buffers of finished writers, taken by the next writers (a writer abandoned mid-encode by a
// throw keeps its own: the pool only ever holds buffers no writer writes to).
const pool: Buffer[] = [];
const POOL_MAX = 8;
const FIRST_BYTES = 1024;
// Strings up to this many UTF-16 units take at most 126 UTF-8 bytes: their length is one varint
// byte, written after the string (so the string is measured by writing it, not twice).
const ONE_BYTE_LENGTH_UNITS = 42;
const EMPTY = Buffer.alloc(0);
const SHORT_COPY = 128;

/** A 64-bit integer as the generated code passes it: a number (here), a decimal string or a Long-like object. */
export type Int64 = number | string | { low: number; high: number; unsigned?: boolean };
type Long64 = Parameters<typeof util.LongBits.from>[0];

/**
 * A protobufjs `Writer` for the generated static code (`staticProtobuf.Writer`) that writes straight
 * into one growing scratch buffer, instead of protobufjs's list of an operation object per field
 * (about a third of a node's allocated bytes went to those, their 64-bit splits and string writes).
 * `finish()` copies the bytes out (one allocation per message, as protobufjs), and the scratch is
 * reused by later writers. The bytes are protobufjs's, byte for byte (pinned by
 * test/unit/wire/fast-writer.test.ts); a nested message's length is written in front of it by moving
 * it once (`ldelim`), which costs a copy of the nested bytes, not an object per field.
 */
export class FastWriter {
  private buf: Buffer = EMPTY;
  private pos = 0;
  // Start offsets of the messages being written inside this one (`fork`), innermost last.
  private readonly forks: number[] = [];

  /** A new writer (the generated code's `$Writer.create()`). */
  static create(): FastWriter {
    return new FastWriter();
  }

  /** Bytes written so far. */
  get len(): number {
    return this.pos;
  }

  /** Writes an unsigned 32-bit varint. */
  uint32(value: number): this {
    let v = value >>> 0;
    const buf = this.room(5);
    let p = this.pos;
    while (v > 127) {
      buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
    return this;
  }

  /** Writes a signed 32-bit varint (a negative value takes ten bytes, as in protobuf). */
  int32(value: number): this {
    return value < 0 ? this.varint64(value) : this.uint32(value);
  }

  /** Writes a zig-zag encoded 32-bit varint. */
  sint32(value: number): this {
    return this.uint32(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** Writes a 64-bit varint. */
  uint64(value: Int64): this {
    return this.varint64(value);
  }

  /** Writes a signed 64-bit varint (as `uint64`). */
  int64(value: Int64): this {
    return this.varint64(value);
  }

  /** Writes a zig-zag encoded 64-bit varint. */
  sint64(value: Int64): this {
    const bits = util.LongBits.from(value as Long64).zzEncode();
    return this.bits64(bits.lo, bits.hi);
  }

  /** Writes a boolean as one byte. */
  bool(value: boolean): this {
    this.room(1)[this.pos++] = value ? 1 : 0;
    return this;
  }

  /** Writes an unsigned 32-bit integer as four bytes. */
  fixed32(value: number): this {
    this.room(4).writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  /** Writes a signed 32-bit integer as four bytes. */
  sfixed32(value: number): this {
    return this.fixed32(value);
  }

  /** Writes a 64-bit integer as eight bytes. */
  fixed64(value: Int64): this {
    const bits = util.LongBits.from(value as Long64);
    const buf = this.room(8);
    buf.writeUInt32LE(bits.lo >>> 0, this.pos);
    buf.writeUInt32LE(bits.hi >>> 0, this.pos + 4);
    this.pos += 8;
    return this;
  }

  /** Writes a signed 64-bit integer as eight bytes. */
  sfixed64(value: Int64): this {
    return this.fixed64(value);
  }

  /** Writes a 32-bit float. */
  float(value: number): this {
    this.room(4).writeFloatLE(value, this.pos);
    this.pos += 4;
    return this;
  }

  /** Writes a 64-bit float. */
  double(value: number): this {
    this.room(8).writeDoubleLE(value, this.pos);
    this.pos += 8;
    return this;
  }

  /** Writes length-delimited bytes (a string is base64, as in protobufjs). */
  bytes(value: Uint8Array | string): this {
    const bytes = typeof value === "string" ? Buffer.from(value, "base64") : value;
    const len = bytes.length >>> 0;
    this.uint32(len);
    if (len > 0) {
      this.room(len).set(bytes, this.pos);
      this.pos += len;
    }
    return this;
  }

  /** Writes a length-delimited UTF-8 string. */
  string(value: string): this {
    const units = value.length;
    if (units <= ONE_BYTE_LENGTH_UNITS) {
      const buf = this.room(1 + 3 * units);
      const at = this.pos + 1;
      let i = 0;
      for (; i < units; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      const len = i === units ? units : buf.write(value, at, "utf8");
      buf[this.pos] = len;
      this.pos = at + len;
      return this;
    }
    const len = Buffer.byteLength(value, "utf8");
    this.uint32(len);
    this.room(len).write(value, this.pos, len, "utf8");
    this.pos += len;
    return this;
  }

  /** Starts a nested message: `ldelim` ends it, writing its length in front of it. */
  fork(): this {
    this.forks.push(this.pos);
    return this;
  }

  /** Drops what was written since the last `fork` (or everything, if none). */
  reset(): this {
    this.pos = this.forks.pop() ?? 0;
    return this;
  }

  /** Ends the nested message begun by the last `fork` (or, with none, the whole message) by writing its length in front of it. */
  ldelim(): this {
    const start = this.forks.pop() ?? 0;
    const len = this.pos - start;
    const head = len < 0x80 ? 1 : len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
    const buf = this.room(head);
    buf.copyWithin(start + head, start, this.pos);
    let v = len;
    let p = start;
    while (v > 127) {
      buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[p] = v;
    this.pos += head;
    return this;
  }

  /** The bytes written (a new Buffer); the writer is empty again. */
  finish(): Buffer {
    const n = this.pos;
    const buf = this.buf;
    const out = Buffer.allocUnsafe(n);
    // Buffer's copy is a native call: dearer than a loop for the short messages most are.
    if (n <= SHORT_COPY) for (let i = 0; i < n; i++) out[i] = buf[i]!;
    else buf.copy(out, 0, 0, n);
    if (buf !== EMPTY && pool.length < POOL_MAX) pool.push(buf);
    this.buf = EMPTY;
    this.pos = 0;
    if (this.forks.length > 0) this.forks.length = 0;
    return out;
  }

  /** Drops everything written (as `finish` does, without the copy): for a writer reused after a failed encode. */
  clear(): void {
    this.pos = 0;
    if (this.forks.length > 0) this.forks.length = 0;
  }

  // The scratch buffer, with room for `n` more bytes.
  private room(n: number): Buffer {
    const need = this.pos + n;
    if (need <= this.buf.length) return this.buf;
    if (this.buf === EMPTY) {
      const pooled = pool.pop();
      if (pooled !== undefined && pooled.length >= need) return (this.buf = pooled);
    }
    const grown = Buffer.allocUnsafeSlow(Math.max(FIRST_BYTES, need, 2 * this.buf.length));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    return grown;
  }

  private varint64(value: Int64): this {
    if (typeof value === "number") {
      // protobufjs's LongBits.fromNumber, without the object: two's complement over 64 bits.
      if (value === 0) return this.bits64(0, 0);
      const negative = value < 0;
      const abs = negative ? -value : value;
      let lo = abs >>> 0;
      let hi = ((abs - lo) / 4294967296) >>> 0;
      if (negative) {
        hi = ~hi >>> 0;
        lo = ~lo >>> 0;
        if (++lo > 4294967295) {
          lo = 0;
          if (++hi > 4294967295) hi = 0;
        }
      }
      return this.bits64(lo, hi);
    }
    const bits = util.LongBits.from(value as Long64);
    return this.bits64(bits.lo >>> 0, bits.hi >>> 0);
  }

  // protobufjs's writeVarint64 over (lo, hi).
  private bits64(lo: number, hi: number): this {
    const buf = this.room(10);
    let p = this.pos;
    while (hi) {
      buf[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[p++] = (lo & 127) | 128;
      lo = lo >>> 7;
    }
    buf[p++] = lo;
    this.pos = p;
    return this;
  }
}

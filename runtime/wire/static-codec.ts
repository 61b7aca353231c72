import protobuf from "protobufjs/minimal.js";

// Support for the static code in ./generated/ (pbjs, from proto/): what it takes from protobufjs, and
// the typed codecs built on it. 64-bit integers decode as plain numbers (exact up to 2^53) for this
// code only: protobufjs's own settings (util.Long, configure()) stay as they are for everyone else.

/** A typed encoder/decoder pair over one protobuf message type. */
export interface MessageCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

import { FastWriter } from "./fast-writer.js";
import { utf8 } from "./utf8.js";

const { Reader, BufferReader, util } = protobuf;
const base = Reader.prototype;

// A varint of at most 7 bytes (below 2^49, so exact as a double) read without allocating; undefined
// (nothing consumed) when it is longer, e.g. a negative int64, which the protobufjs reader then reads.
function shortVarint(r: protobuf.Reader): number | undefined {
  const { buf, len } = r;
  let pos = r.pos;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 7 && pos < len; i++) {
    const b = buf[pos++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      r.pos = pos;
      return value;
    }
    scale *= 128;
  }
  return undefined;
}

// The protobufjs reader returns a Long, or a number if someone turned Long off process-wide.
function toNumber(v: unknown, unsigned: boolean): number {
  return typeof v === "number" ? v : util.LongBits.from(v as Parameters<typeof util.LongBits.from>[0]).toNumber(unsigned);
}

// The reader's 64-bit reads, returning numbers; the base methods are looked up at each call, so a later
// protobufjs configure() elsewhere changes nothing here.
const numberReads = {
  int64(this: protobuf.Reader): number {
    return shortVarint(this) ?? toNumber(base.int64.call(this), false);
  },
  uint64(this: protobuf.Reader): number {
    return shortVarint(this) ?? toNumber(base.uint64.call(this), true);
  },
  sint64(this: protobuf.Reader): number {
    return toNumber(base.sint64.call(this), false);
  },
  fixed64(this: protobuf.Reader): number {
    return toNumber(base.fixed64.call(this), true);
  },
  sfixed64(this: protobuf.Reader): number {
    return toNumber(base.sfixed64.call(this), false);
  },
};

/** A protobufjs Reader whose 64-bit integer fields read as numbers (a Buffer gets the Buffer flavour, as in protobufjs). */
class NumberReader extends Reader {
  static override create(buffer: Uint8Array): protobuf.Reader {
    return Buffer.isBuffer(buffer) ? new NumberBufferReader(buffer) : new NumberReader(buffer);
  }

  // The generated code wraps what is not `instanceof $Reader` in a new reader; a nested message is
  // decoded from the reader it is in, which may be the Buffer flavour: that one counts too.
  // (A marker on both prototypes: one property read, cheaper than walking prototype chains.)
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (value as { numberReader?: boolean } | null | undefined)?.numberReader === true;
  }
}
class NumberBufferReader extends BufferReader {
  // As protobufjs's Buffer reader reads a string (a length past the end reads to the end), with short
  // ASCII strings built in JS (utf8.ts: most ids and keys; half the cost of the native call).
  override string(): string {
    const len = this.uint32();
    const start = this.pos;
    this.pos = Math.min(start + len, this.len);
    return utf8(this.buf as Buffer, start, this.pos);
  }
}
Object.assign(NumberReader.prototype, numberReads);
Object.assign(NumberBufferReader.prototype, numberReads);
Object.defineProperty(NumberReader.prototype, "numberReader", { value: true });
Object.defineProperty(NumberBufferReader.prototype, "numberReader", { value: true });

/**
 * What the generated code uses as `$protobuf`: the number reader, the fast writer (same bytes), its util with
 * `Long` hidden (so 64-bit defaults are 0, not Long zero) and a registry of roots of its own.
 */
export const staticProtobuf = {
  Reader: NumberReader,
  Writer: FastWriter,
  util: Object.create(util, { Long: { value: undefined } }) as typeof util,
  roots: {} as Record<string, unknown>,
};

type Scalar = string | number | boolean | Uint8Array;
type IsMessage<V> = [V] extends [Scalar | readonly unknown[]] ? false : string extends keyof V ? false : true;
type DecodedValue<V> = V extends Scalar ? V : V extends readonly (infer E)[] ? DecodedValue<E>[] : string extends keyof V ? { [key: string]: DecodedValue<V[keyof V]> } : Decoded<V>;
type ValueFields<P> = { -readonly [K in keyof P as IsMessage<NonNullable<P[K]>> extends true ? never : K]-?: DecodedValue<NonNullable<P[K]>> };
type MessageFields<P> = { -readonly [K in keyof P as IsMessage<NonNullable<P[K]>> extends true ? K : never]?: Decoded<NonNullable<P[K]>> | null };

/**
 * A decoded message, from the properties interface pbts generates (`troupe.IEnvelope`, all optional):
 * scalar, bytes, repeated and map fields are always there (proto3 defaults: "", 0, empty), message
 * fields are optional (null when absent, as decoded); 64-bit integers are numbers.
 */
export type Decoded<P> = ValueFields<P> & MessageFields<P>;

/** A generated message class's static encode and decode (`troupe.Envelope`, ...). */
export interface StaticMessageType<P> {
  encode(message: P, writer?: protobuf.Writer): protobuf.Writer;
  decode(reader: protobuf.Reader | Uint8Array, length?: number): unknown;
}

/**
 * The codec of a generated message class. Decoding gives the class's instance: unset fields read as
 * their defaults from its prototype (a missing `key` is ""), as with protobufjs reflection.
 */
export function staticCodec<P>(type: StaticMessageType<P>): MessageCodec<Decoded<P>> {
  return {
    // One writer serves every encode too (a writer per output was an object and an array each time).
    // Encoding reads the value's properties, and a getter could encode another message: that one gets a
    // writer of its own.
    encode: (value) => {
      if (sharedWriterBusy) return type.encode(value as P).finish();
      sharedWriterBusy = true;
      try {
        return type.encode(value as P, sharedWriter as unknown as protobuf.Writer).finish();
      } finally {
        sharedWriterBusy = false;
        sharedWriter.clear(); // after a throw, what the failed encode wrote
      }
    },
    // A Buffer view (no copy) gets protobufjs's Buffer reader: native string decoding instead of its JS
    // UTF-8 loop (JetStream hands plain Uint8Arrays: 3% of a durable node's time went to that loop).
    // One reader serves every decode (decoding runs no other code, so none can start inside another):
    // a reader per message was a fifth of the cost of decoding a loyalty click.
    decode: withDecodeAt((bytes) => {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return decodeAt(buf, 0, buf.length);
    }, decodeAt),
  };

  function decodeAt(buf: Buffer, start: number, end: number): Decoded<P> {
    const r = sharedReader;
    r.buf = buf;
    r.pos = start;
    r.len = end;
    try {
      const value = type.decode(r) as Decoded<P>;
      // protobufjs reads a varint cut off by the end on into the bytes after it (past the end of a view
      // they read as 0, in a larger read they are the next frame's): a message that ends mid-field is
      // malformed, whichever way it is held.
      if (r.pos > end) throw new RangeError(`message ends inside a field (${r.pos - end} bytes short)`);
      return value;
    } finally {
      r.buf = EMPTY; // keep no reference to the bytes, a malformed message's included
    }
  }
}

/**
 * On a decode function `staticCodec` made: the same decode of bytes [start, end) of a Buffer, without a
 * view of them (a source's frames are decoded where they lie in the socket's read).
 */
export const DECODE_AT: unique symbol = Symbol("troupe.decodeAt");

/** A decode function that can also decode a range of a Buffer (see {@link DECODE_AT}). */
export type DecodeAt<T> = (buf: Buffer, start: number, end: number) => T;

function withDecodeAt<T>(decode: (bytes: Uint8Array) => T, at: DecodeAt<T>): (bytes: Uint8Array) => T {
  Object.defineProperty(decode, DECODE_AT, { value: at });
  return decode;
}

/** The range decode of `decode`, when `staticCodec` made it. */
export function decodeAtOf<T>(decode: (bytes: Uint8Array) => T): DecodeAt<T> | undefined {
  return (decode as { [DECODE_AT]?: DecodeAt<T> })[DECODE_AT];
}

const EMPTY = Buffer.alloc(0);
const sharedReader = new NumberBufferReader(EMPTY);
const sharedWriter = new FastWriter();
let sharedWriterBusy = false;

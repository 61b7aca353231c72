// Reading protobuf's wire format by hand (node-message-decode.ts, event-batch-decode.ts): varints up to
// 2^56 as numbers, length-delimited fields as ranges of one Buffer, strings through `utf8` (utf8.ts).
import { utf8 } from "./utf8.js";

/** A cursor over one protobuf message's bytes, for the hand-written decoders; malformed input throws. */
export class Cursor {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    public end: number,
  ) {}

  varint(): number {
    const buf = this.buf;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new RangeError("varint runs past the end of the message");
      const b = buf[this.pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    // Over 56 bits: not a number this runtime writes (a negative int64 would be 10 bytes).
    throw new RangeError("varint over 2^56");
  }

  // The end of a length-delimited field starting here.
  delimited(): number {
    const len = this.varint();
    const end = this.pos + len;
    if (end > this.end) throw new RangeError("length-delimited field runs past the end of the message");
    return end;
  }

  string(): string {
    const end = this.delimited();
    const s = utf8(this.buf, this.pos, end);
    this.pos = end;
    return s;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.pos = this.delimited();
    else if (wireType === 5) this.pos += 4;
    else throw new RangeError(`wire type ${wireType} not supported`);
    if (this.pos > this.end) throw new RangeError("field runs past the end of the message");
  }
}

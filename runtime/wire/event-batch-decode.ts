import type { Envelope } from "../types.js";
import { Cursor } from "./cursor.js";
import { asBuffer, EnvelopeRanges } from "./node-message-decode.js";

// Durable mode's stream messages (`troupe.EventBatch`) by hand, for its readers: every node reads every
// message of its app's stream and applies only the events of slots it owns. The generated code made a
// Buffer view per event (owned or not) and each owned event was decoded alone (its app and source
// strings read again each time); here the events stay byte ranges until asked for, and are read
// sharing those strings (the events of a batch are one producer's). Pinned against the generated code
// by test/unit/wire/event-batch-decode.test.ts.

/** A stored event batch as its readers use it: where each event goes, and each event on demand. */
export interface EventBatchBytes {
  /** Each event's stage, by index. */
  readonly stages: number[];
  /** Each event's slot, by index. */
  readonly slots: number[];
  /** Events in the batch. */
  readonly count: number;
  /** Acknowledged sources: the highest client frame number in the batch (0 if none). */
  readonly clientLastSeq: number;
  /** The producer's number of this batch. */
  readonly batchId: number;
  /** Decodes event `i` into a runtime envelope (its input not decoded yet; offset 0). */
  event(i: number): Envelope;
}

class Batch implements EventBatchBytes {
  stages: number[] = [];
  slots: number[] = [];
  clientLastSeq = 0;
  batchId = 0;
  // Start and end of each event's bytes (`filled` of them set: the array is made at its size first).
  readonly ranges: number[];
  filled = 0;
  private reader: EnvelopeRanges | undefined;

  constructor(
    private readonly buf: Buffer,
    events: number,
  ) {
    this.ranges = new Array<number>(2 * events);
  }

  get count(): number {
    return this.filled / 2;
  }

  addEvent(start: number, end: number): void {
    const i = this.filled;
    if (i + 1 < this.ranges.length) {
      this.ranges[i] = start;
      this.ranges[i + 1] = end;
    } else this.ranges.push(start, end);
    this.filled = i + 2;
  }

  event(i: number): Envelope {
    if (i < 0 || i >= this.count) throw new RangeError(`no event ${i} in a batch of ${this.count}`);
    this.reader ??= new EnvelopeRanges(this.buf);
    return this.reader.read(this.ranges[2 * i]!, this.ranges[2 * i + 1]!);
  }
}

// A repeated uint32 field: packed (what protobuf writes) or one value per tag (which readers must take too).
// The packed form, the first time: an array of its exact length (every node reads every batch of its
// app's stream, so arrays grown by push, a third of them copies, were a sixth of a durable node's
// allocations). Returns the array the values are in.
function readUint32s(c: Cursor, wireType: number, into: number[]): number[] {
  if (wireType === 0) {
    into.push(c.varint());
    return into;
  }
  if (wireType !== 2) throw new RangeError(`a repeated uint32 field with wire type ${wireType}`);
  const end = c.delimited();
  const outer = c.end;
  c.end = end;
  if (into.length === 0) {
    // One value per byte under 0x80 (the last byte of each varint); a varint cut short throws below.
    let n = 0;
    for (let i = c.pos; i < end; i++) if (c.buf[i]! < 0x80) n++;
    const out = new Array<number>(n);
    let k = 0;
    while (c.pos < end) {
      const v = c.varint();
      if (k < n) out[k] = v;
      k++;
    }
    c.end = outer;
    return out;
  }
  while (c.pos < end) into.push(c.varint());
  c.end = outer;
  return into;
}

// Events (field 1) in the batch: a walk over the fields' tags and lengths, so that the ranges array is
// made at its size once. Malformed bytes are left to the decode that follows.
function countEvents(buf: Buffer): number {
  const c = new Cursor(buf, buf.length);
  let n = 0;
  try {
    while (c.pos < c.end) {
      const tag = c.varint();
      if (tag >>> 3 === 1) n++;
      c.skip(tag & 7);
    }
  } catch {
    // the decode reports it
  }
  return n;
}

/** Reads a `troupe.EventBatch`; throws on malformed bytes (stages, slots and events differing in number is the caller's to check). */
export function decodeEventBatch(bytes: Uint8Array): EventBatchBytes {
  const buf = asBuffer(bytes);
  const c = new Cursor(buf, buf.length);
  const b = new Batch(buf, countEvents(buf));
  while (c.pos < c.end) {
    const tag = c.varint();
    switch (tag >>> 3) {
      case 1:
        if ((tag & 7) !== 2) throw new RangeError(`EventBatch field 1 with wire type ${tag & 7}`);
        {
          const end = c.delimited();
          b.addEvent(c.pos, end);
          c.pos = end;
        }
        break;
      case 2:
        if ((tag & 7) !== 0) c.skip(tag & 7);
        else b.clientLastSeq = c.varint();
        break;
      case 3:
        if ((tag & 7) !== 0) c.skip(tag & 7);
        else b.batchId = c.varint();
        break;
      case 4:
        b.stages = readUint32s(c, tag & 7, b.stages);
        break;
      case 5:
        b.slots = readUint32s(c, tag & 7, b.slots);
        break;
      default:
        c.skip(tag & 7);
    }
  }
  return b;
}

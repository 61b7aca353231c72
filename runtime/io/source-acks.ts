import { sourceAckCodec } from "../wire/messages.js";
import { encodeFrame } from "./framing.js";

/** The 4 bytes that open an acknowledged connection (a frame length no source accepts). */
export const ACKED_SOURCE_MARKER = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/**
 * Cumulative acknowledgements of one acknowledged source connection. Frames are numbered by the
 * client; a frame is acknowledged once it and every frame before it were accepted. A frame whose
 * acceptance is deferred (durable mode: until JetStream stored it) is held, then completed.
 */
export class SourceAcks {
  /** The number of the frame being handled (or last handled). */
  current: number;
  private readonly held: number[] = [];
  private head = 0;
  private readonly completed = new Set<number>();
  private sent: number;

  constructor(firstSeq: number) {
    this.current = firstSeq - 1;
    this.sent = firstSeq - 1;
  }

  /** Numbers the next frame. */
  next(): number {
    return ++this.current;
  }

  /** Defers the acknowledgement of the current frame until `complete`. */
  hold(): number {
    this.held.push(this.current);
    return this.current;
  }

  /** Marks a held frame accepted. */
  complete(seq: number): void {
    this.completed.add(seq);
    while (this.head < this.held.length && this.completed.delete(this.held[this.head]!)) this.head++;
    if (this.head > 1024 && this.head * 2 > this.held.length) {
      this.held.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Frames still held. */
  outstanding(): number {
    return this.held.length - this.head;
  }

  /** The highest frame number such that it and all before it are accepted. */
  acked(): number {
    return this.head < this.held.length ? this.held[this.head]! - 1 : this.current;
  }

  /** The acknowledgement frame to send, if the acknowledged number moved since the last one. */
  takeAckFrame(): Buffer | undefined {
    const a = this.acked();
    if (a <= this.sent) return undefined;
    this.sent = a;
    return encodeFrame(sourceAckCodec.encode({ seq: a }));
  }
}

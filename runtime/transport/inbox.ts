import type { WireNodeMessage } from "../wire/messages.js";

// One sender's stream as this node sees it.
interface Incoming {
  readonly incarnation: string;
  /** The next sequence number to hand on. */
  expected: number;
  /** Messages that came early, by sequence number, until the gap before them fills. */
  readonly pending: Map<number, WireNodeMessage>;
  ackDue: boolean;
}

/**
 * The receiving half of a reliable channel: per sender stream, hands messages on strictly in order,
 * holds early ones within a window, drops repeats, and notes which senders are owed an
 * acknowledgement (cumulative: the last sequence number handed on).
 */
export class Inbox {
  private readonly streams = new Map<string, Incoming>();

  constructor(
    private readonly window: number,
    private readonly stats: { duplicatesDropped: number },
  ) {}

  /**
   * Takes a sequenced message; calls `take` for it and every held one it lets through, in order.
   * `fresh` is called first when it opens a new stream from its sender (the sender restarted, or
   * forgot us and met us again). Returns "ack" when an acknowledgement is now due, and "reset" when
   * the message is of a stream this node meets mid-way and it took nothing (see `Ack.reset`).
   */
  accept(msg: WireNodeMessage, take: (m: WireNodeMessage) => void, fresh: (from: string) => void): "ack" | "reset" | undefined {
    let inc = this.streams.get(msg.from);
    if (!inc || inc.incarnation !== msg.incarnation) {
      // A stream starts at 1. One met further on lost its first message, or this node restarted and
      // cannot know what it had: taking it from here would acknowledge what it never had.
      if (msg.seq !== 1) return "reset";
      fresh(msg.from);
      inc = { incarnation: msg.incarnation, expected: 1, pending: new Map(), ackDue: false };
      this.streams.set(msg.from, inc);
    }
    if (msg.seq < inc.expected || inc.pending.has(msg.seq)) {
      // A repeat: its acknowledgement was lost or is late, so it is owed again.
      this.stats.duplicatesDropped++;
      inc.ackDue = true;
      return "ack";
    }
    if (msg.seq > inc.expected) {
      if (inc.pending.size < this.window) inc.pending.set(msg.seq, msg);
      return undefined;
    }
    take(msg);
    inc.expected++;
    for (let next = inc.pending.get(inc.expected); next; next = inc.pending.get(inc.expected)) {
      inc.pending.delete(inc.expected);
      take(next);
      inc.expected++;
    }
    inc.ackDue = true;
    return "ack";
  }

  /** Calls `ack` for each sender owed an acknowledgement: the last sequence number handed on, of its stream. */
  owed(ack: (from: string, seq: number, incarnation: string) => void): void {
    for (const [from, inc] of this.streams) {
      if (!inc.ackDue) continue;
      inc.ackDue = false;
      ack(from, inc.expected - 1, inc.incarnation);
    }
  }

  /** The acknowledgement owed to `from` (the last sequence number handed on, of its stream), or undefined when none is. */
  owedTo(from: string): { seq: number; incarnation: string; reset: false } | undefined {
    const inc = this.streams.get(from);
    return inc?.ackDue ? { seq: inc.expected - 1, incarnation: inc.incarnation, reset: false } : undefined;
  }

  /** The acknowledgement owed to `from` went out (riding on a message to it). */
  sentTo(from: string): void {
    const inc = this.streams.get(from);
    if (inc) inc.ackDue = false;
  }

  /** Forgets the stream from `from`. */
  drop(from: string): void {
    this.streams.delete(from);
  }
}

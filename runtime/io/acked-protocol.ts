import type { Socket } from "node:net";
import { DEFAULT_SOURCE_ACK_DELAY_MS } from "../defaults.js";
import { sourceHelloCodec } from "../wire/messages.js";
import { ACKED_SOURCE_MARKER, SourceAcks } from "./source-acks.js";

// The server side of a source's acknowledged protocol: which protocol a connection speaks (its first
// 4 bytes are the marker or a plain frame's length), its hello, and the acknowledgement frames sent back.
// The numbering of one connection's frames is source-acks.ts.

/** Protocol of a source connection: not known until its first 4 bytes, plain, awaiting the hello frame, acknowledged. */
export const PROTOCOL = { UNDECIDED: 0, PLAIN: 1, HELLO: 2, ACKED: 3 } as const;

/** What a connection's first bytes say: too few yet (keep `prefix`), or its protocol and the bytes that follow the marker, if any. */
export type Sniffed = { readonly protocol: undefined; readonly prefix: Buffer } | { readonly protocol: typeof PROTOCOL.PLAIN | typeof PROTOCOL.HELLO; readonly rest: Buffer };

/** Reads a connection's protocol from its first bytes: `prefix` (kept from earlier reads) and `chunk`. */
export function sniff(prefix: Buffer | undefined, chunk: Buffer): Sniffed {
  const got: Buffer = prefix ? Buffer.concat([prefix, chunk]) : chunk;
  if (got.length < ACKED_SOURCE_MARKER.length) return { protocol: undefined, prefix: Buffer.from(got) };
  if (got.subarray(0, ACKED_SOURCE_MARKER.length).equals(ACKED_SOURCE_MARKER)) return { protocol: PROTOCOL.HELLO, rest: got.subarray(ACKED_SOURCE_MARKER.length) };
  return { protocol: PROTOCOL.PLAIN, rest: got };
}

const CLIENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** A hello frame read: the client and its acknowledgements from its next frame on, or why it is not one. */
export function readHello(payload: Buffer): { readonly clientId: string; readonly acks: SourceAcks } | { readonly error: string } {
  let hello: { clientId: string; nextSeq: number };
  try {
    hello = sourceHelloCodec.decode(payload);
  } catch (err) {
    return { error: `the frame after the acknowledged-protocol marker is not a SourceHello: ${(err as Error).message}` };
  }
  if (!CLIENT_ID.test(hello.clientId) || hello.nextSeq < 1) {
    return { error: `SourceHello needs a client_id of 1-64 letters, digits, '_', '.', '-' and next_seq >= 1 (got "${hello.clientId}", ${hello.nextSeq})` };
  }
  return { clientId: hello.clientId, acks: new SourceAcks(hello.nextSeq) };
}

/** What an acknowledgement is written to: a connection's socket and its acknowledgements. */
export interface AckedConnection {
  readonly socket: Socket;
  readonly dropped: boolean;
  readonly acks: SourceAcks | undefined;
}

/**
 * Writes acknowledgement frames: each connection with something newly accepted is written to once,
 * DEFAULT_SOURCE_ACK_DELAY_MS after the first of them (one timer for all, not a write per frame).
 */
export class AckWriter<C extends AckedConnection> {
  private readonly due = new Set<C>();
  private scheduled = false;

  /** `written` is called for each acknowledgement frame written. */
  constructor(private readonly written: () => void) {}

  /** `conn` has frames accepted since its last acknowledgement. */
  schedule(conn: C): void {
    this.due.add(conn);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(this.flush, DEFAULT_SOURCE_ACK_DELAY_MS);
  }

  /** Writes `conn`'s acknowledgement now, if it has one to send (a graceful close). */
  writeNow(conn: C): void {
    const frame = conn.dropped ? undefined : conn.acks?.takeAckFrame();
    if (!frame) return;
    conn.socket.write(frame);
    this.written();
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    for (const c of this.due) this.writeNow(c);
    this.due.clear();
  };
}

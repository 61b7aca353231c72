// The benchmark driver's email sink: it counts each click's email by the click's number, read straight
// out of the frame, so that the "outside world" costs the 2-core machine as little CPU as it can.
// (`EmailSinkReceiver` decodes every email and keeps click ids as strings: in a profile of the driver,
// decoding was ~30% of its busy time, and the driver ~20% of all CPU in a 3-process run.)
import { createServer, type Server, type Socket } from "node:net";
import type { EmailSummary } from "../apps/loyalty/email-sink.js";
import { promotionEmailCodec } from "../apps/loyalty/messages.js";
import { DEFAULT_MAX_FRAME_BYTES } from "../runtime/defaults.js";
import { FrameDecoder } from "../runtime/io/frame-decoder.js";

// A PromotionEmail starts with field 1 (click_id, length-delimited): tag 0x0a, a length, then "click-<n>".
const CLICK_ID_TAG = 0x0a;
const PREFIX = Buffer.from("click-");

/** A TCP server that takes `PromotionEmail` frames from every node and counts them by click number. */
export class ClickEmailCounter {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  // 1 once click n's email arrived.
  private readonly seen: Uint8Array;
  private readonly expectedCount: number;
  private unique = 0;
  private received = 0;
  private duplicates = 0;
  private unexpected = 0;
  private malformed = 0;
  /** Called with the click number of every email. */
  onEmail: ((click: number) => void) | undefined;

  /** `expected[n]` is 1 when click n must be emailed. */
  constructor(private readonly expected: Uint8Array) {
    this.seen = new Uint8Array(expected.length);
    this.expectedCount = expected.reduce((a, b) => a + b, 0);
  }

  /** Listens on host:port (port 0: a free port) and resolves with the bound address. */
  async start(host = "127.0.0.1", port = 0): Promise<{ host: string; port: number }> {
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const a = this.server.address();
    return { host, port: typeof a === "object" && a ? a.port : port };
  }

  /** Distinct emails received so far. */
  uniqueCount(): number {
    return this.unique;
  }

  /** True once every expected click was emailed. */
  complete(): boolean {
    return this.unique - this.unexpected >= this.expectedCount;
  }

  /** Resolves true once complete (then lingers `quietMs` to count late repeats), or false after `timeoutMs`. */
  async waitForAll(timeoutMs: number, quietMs = 0): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (this.complete() && quietMs > 0) await new Promise((r) => setTimeout(r, quietMs));
    return this.complete();
  }

  /** Counts so far. */
  summary(): EmailSummary {
    let missing = 0;
    for (let n = 0; n < this.expected.length; n++) if (this.expected[n] && !this.seen[n]) missing++;
    return { received: this.received, unique: this.unique, duplicates: this.duplicates, unexpected: this.unexpected, missing, expected: this.expectedCount, malformed: this.malformed };
  }

  /** Stops listening and closes connections. */
  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => undefined);
    const decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES);
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.pushAt(chunk, this.onFrame);
      } catch {
        this.malformed++;
        socket.destroy();
      }
    });
  }

  private readonly onFrame = (buf: Buffer, start: number, end: number): void => {
    this.received++;
    const n = clickNumberAt(buf, start, end);
    if (n < 0 || n >= this.seen.length) {
      this.malformed++;
      return;
    }
    if (this.seen[n]) this.duplicates++;
    else {
      this.seen[n] = 1;
      this.unique++;
      if (!this.expected[n]) this.unexpected++;
    }
    this.onEmail?.(n);
  };
}

// "click-" at `at` of `buf`, compared byte by byte (Buffer.compare of a range is a native call per email).
function hasPrefix(buf: Buffer, at: number): boolean {
  for (let i = 0; i < PREFIX.length; i++) if (buf[at + i] !== PREFIX[i]) return false;
  return true;
}

/**
 * The click number of the email at bytes [start, end) of `buf` ("click-<n>" in field 1), or -1 when it
 * has none: read where the frame lies in a read, no view per email.
 */
export function clickNumberAt(buf: Buffer, start: number, end: number): number {
  const len = buf[start + 1]!;
  const from = start + 2;
  if (buf[start] === CLICK_ID_TAG && len < 0x80 && len > PREFIX.length && from + len <= end && hasPrefix(buf, from)) {
    let n = 0;
    for (let i = from + PREFIX.length; i < from + len; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }
  // Not the layout the nodes write (another encoder may order fields otherwise): decode it whole.
  try {
    const id = promotionEmailCodec.decode(buf.subarray(start, end)).clickId;
    return id.startsWith("click-") && /^\d+$/.test(id.slice(6)) ? Number(id.slice(6)) : -1;
  } catch {
    return -1;
  }
}

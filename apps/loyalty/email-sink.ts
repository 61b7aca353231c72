import { createServer, type Server } from "node:net";
import { FrameDecoder } from "../../runtime/io/frame-decoder.js";
import { DEFAULT_MAX_FRAME_BYTES } from "../../runtime/defaults.js";
import { promotionEmailCodec } from "./messages.js";

/** What the email sink saw, checked against what it expected. */
export interface EmailSummary {
  received: number;
  unique: number;
  duplicates: number;
  unexpected: number;
  missing: number;
  expected: number;
  malformed: number;
}

/** A TCP server that receives `PromotionEmail` frames from every node and checks them by click id. */
export class EmailSinkReceiver {
  private server: Server | undefined;
  private readonly sockets = new Set<import("node:net").Socket>();
  readonly seen = new Set<string>();
  received = 0;
  duplicates = 0;
  unexpected = 0;
  malformed = 0;
  connections = 0;
  private paused = false;
  /** Called for every email (optional). */
  onEmail: ((clickId: string) => void) | undefined;

  constructor(private readonly expected: ReadonlySet<string> | undefined) {}

  /** Listens on host:port (port 0: a free port) and resolves with the bound address. */
  async start(host = "127.0.0.1", port = 0): Promise<{ host: string; port: number }> {
    this.server = createServer((socket) => {
      this.connections++;
      this.sockets.add(socket);
      if (this.paused) socket.pause();
      socket.on("close", () => this.sockets.delete(socket));
      const decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES);
      socket.on("data", (chunk: Buffer) => {
        try {
          decoder.push(chunk, (payload) => this.onFrame(payload));
        } catch {
          this.malformed++;
          socket.destroy();
        }
      });
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, host, () => resolve());
    });
    const a = this.server.address();
    return { host, port: typeof a === "object" && a ? a.port : port };
  }

  private onFrame(payload: Uint8Array): void {
    this.received++;
    let clickId: string;
    try {
      clickId = promotionEmailCodec.decode(payload).clickId;
    } catch {
      this.malformed++;
      return;
    }
    if (this.seen.has(clickId)) this.duplicates++;
    else {
      this.seen.add(clickId);
      if (this.expected && !this.expected.has(clickId)) this.unexpected++;
    }
    this.onEmail?.(clickId);
  }

  /** Stops reading from every connection (a receiver that stalls); new connections are paused too. */
  pause(): void {
    this.paused = true;
    for (const sock of this.sockets) sock.pause();
  }

  /** Reads again. */
  resume(): void {
    this.paused = false;
    for (const sock of this.sockets) sock.resume();
  }

  /** True once every expected click id has arrived. */
  complete(): boolean {
    return this.expected !== undefined && this.seen.size - this.unexpected >= this.expected.size;
  }

  /** Resolves true once complete, or false after `timeoutMs` (polling). */
  async waitForAll(timeoutMs: number, quietMs = 0): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.complete()) {
        // Linger briefly so that repeats arriving just after are counted too.
        if (quietMs > 0) await new Promise((r) => setTimeout(r, quietMs));
        return true;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.complete();
  }

  /** Distinct emails received so far (cheap, unlike `summary`). */
  uniqueCount(): number {
    return this.seen.size;
  }

  /** Counts so far. */
  summary(): EmailSummary {
    const expected = this.expected?.size ?? 0;
    let missing = 0;
    if (this.expected) for (const id of this.expected) if (!this.seen.has(id)) missing++;
    return { received: this.received, unique: this.seen.size, duplicates: this.duplicates, unexpected: this.unexpected, missing, expected, malformed: this.malformed };
  }

  /** Stops listening and closes connections. */
  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

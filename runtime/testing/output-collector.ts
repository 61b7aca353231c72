import { createServer, type Server, type Socket } from "node:net";
import { DEFAULT_MAX_FRAME_BYTES } from "../defaults.js";
import { FrameDecoder } from "../io/frame-decoder.js";

/** One output as a sink receiver saw it: the frame, when it arrived (`performance.now()` of this process), and over which connection. */
export interface CollectedOutput {
  readonly payload: Uint8Array;
  readonly atMs: number;
  readonly connection: number;
}

/**
 * A sink receiver for tests and `troupe verify`: a TCP server that takes length-prefixed frames from
 * any number of node connections and keeps every one, in arrival order. It can stall (stop reading
 * from every connection, like a receiver that stops keeping up) and resume.
 */
export class OutputCollector {
  readonly outputs: CollectedOutput[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private connections = 0;
  private stalled = false;
  /** Frames that broke the framing rules (their connection was closed). */
  malformed = 0;

  /** Listens on a free port (or `port`) of `host`. */
  async start(host = "127.0.0.1", port = 0): Promise<{ host: string; port: number }> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const a = server.address();
    return { host, port: typeof a === "object" && a ? a.port : port };
  }

  /** Stops reading from every connection (bytes back up into the senders). */
  stall(): void {
    this.stalled = true;
    for (const s of this.sockets) s.pause();
  }

  /** Reads again. */
  resume(): void {
    this.stalled = false;
    for (const s of this.sockets) s.resume();
  }

  /** Closes every connection and stops listening. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const connection = ++this.connections;
    this.sockets.add(socket);
    if (this.stalled) socket.pause();
    const decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES);
    socket.on("data", (chunk: Buffer) => {
      try {
        decoder.push(chunk, (p) => this.outputs.push({ payload: Uint8Array.from(p), atMs: performance.now(), connection }));
      } catch {
        this.malformed++;
        socket.destroy();
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => this.sockets.delete(socket));
  }
}

import { createServer, type Socket } from "node:net";
import { FrameDecoder } from "../../runtime/io/frame-decoder.js";
import { waitUntil } from "./wait.js";

/** A TCP server that collects every frame any sink sends it. */
export interface SinkCollector {
  readonly host: string;
  readonly port: number;
  readonly frames: Buffer[];
  connections: number;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a collector on 127.0.0.1 at a free port (or `port`). */
export async function startSinkCollector(port = 0): Promise<SinkCollector> {
  const sockets = new Set<Socket>();
  const c: SinkCollector = {
    host: "127.0.0.1",
    port: 0,
    frames: [],
    connections: 0,
    waitFor: (count, timeoutMs = 10_000) => waitUntil(() => c.frames.length >= count, timeoutMs, `${count} frames at the sink collector (have ${c.frames.length})`),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = createServer((socket) => {
    c.connections++;
    sockets.add(socket);
    const decoder = new FrameDecoder(1 << 24);
    socket.on("data", (chunk: Buffer) => decoder.push(chunk, (p) => c.frames.push(Buffer.from(p))));
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const a = server.address();
  (c as { port: number }).port = typeof a === "object" && a ? a.port : port;
  return c;
}

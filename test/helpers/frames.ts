import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { encodeFrame, encodeFrames } from "../../runtime/io/framing.js";

/** An open connection that sends frames (or raw bytes) to a source. */
export interface FrameSender {
  send(payload: Uint8Array): void;
  sendMany(payloads: readonly Uint8Array[]): void;
  sendRaw(bytes: Uint8Array): void;
  end(): Promise<void>;
  destroy(): void;
  readonly socket: Socket;
}

/** Connects to a source at host:port. */
export async function openFrameSender(host: string, port: number): Promise<FrameSender> {
  const socket = connect(port, host);
  socket.on("error", () => undefined);
  await once(socket, "connect");
  return {
    socket,
    send: (p) => void socket.write(encodeFrame(p)),
    sendMany: (ps) => void socket.write(encodeFrames(ps)),
    sendRaw: (b) => void socket.write(b),
    end: () => new Promise<void>((resolve) => socket.end(resolve)),
    destroy: () => socket.destroy(),
  };
}

/** Connects, sends every payload as a frame, and closes. */
export async function sendFrames(host: string, port: number, payloads: readonly Uint8Array[]): Promise<void> {
  const s = await openFrameSender(host, port);
  s.sendMany(payloads);
  await s.end();
}

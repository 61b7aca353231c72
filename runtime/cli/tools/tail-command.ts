import type { Command } from "commander";
import { createServer, type Socket } from "node:net";
import { DEFAULT_MAX_FRAME_BYTES } from "../../defaults.js";
import { FrameDecoder } from "../../io/frame-decoder.js";
import { OUTPUT_FORMATS, outputFormatter, type OutputFormat } from "../../io/output-format.js";
import type { Address } from "../../types.js";
import { flag, parseAddress, parseChoice, parseIntFlag } from "../options.js";
import { loadProtoType } from "./proto-type.js";

interface TailFlags {
  listen: Address;
  format: OutputFormat;
  proto?: string;
  type?: string;
  count?: number;
}

/** `troupe tail`: stands where a sink connects, and prints every frame it receives, decoded. */
export function registerTailCommand(program: Command): void {
  program
    .command("tail")
    .description("receive a sink's frames (point --sink NAME=HOST:PORT here) and print one per line")
    .addOption(flag("--listen <host:port>", "where to listen", parseAddress).makeOptionMandatory())
    .addOption(flag("--format <format>", OUTPUT_FORMATS.join(" | "), parseChoice(OUTPUT_FORMATS)).default("text"))
    .option("--proto <file.proto>", "decode each frame as --type from this file (printed as JSON)")
    .option("--type <package.Message>", "the message type in --proto")
    .addOption(flag("--count <n>", "exit after this many frames", (v, w) => parseIntFlag(v, w, 1)))
    .action(async (f: TailFlags) => {
      const proto = f.proto ? loadProtoType(f.proto, f.type) : undefined;
      const format = outputFormatter(proto ? "json" : f.format, proto?.decode);
      let seen = 0;
      const sockets = new Set<Socket>();
      const server = createServer((socket) => {
        sockets.add(socket);
        const frames = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES);
        socket.on("data", (chunk) => {
          try {
            frames.push(chunk, (payload) => {
              if (f.count !== undefined && seen >= f.count) return;
              seen++;
              // Backpressure: a slow terminal pauses the sender instead of growing this process.
              if (!process.stdout.write(format(payload) + "\n")) {
                socket.pause();
                process.stdout.once("drain", () => socket.resume());
              }
              if (f.count !== undefined && seen >= f.count) done();
            });
          } catch (err) {
            process.stderr.write(`troupe tail: ${(err as Error).message}; closing that connection\n`);
            socket.destroy();
          }
        });
        socket.on("error", () => undefined);
        socket.on("close", () => sockets.delete(socket));
      });
      const done = (): void => {
        for (const s of sockets) s.destroy();
        server.close();
      };
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(f.listen.port, f.listen.host, resolve));
      process.stderr.write(`troupe tail: listening on ${f.listen.host}:${f.listen.port}\n`);
      await new Promise<void>((resolve) => server.once("close", resolve));
    });
}

import type { Command } from "commander";
import { createReadStream, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { DEFAULT_SEND_CONNECT_TIMEOUT_MS } from "../../defaults.js";
import { ConfigError } from "../../errors.js";
import { encodeFrame } from "../../io/framing.js";
import type { Address } from "../../types.js";
import { flag, parseAddress, parseIntFlag } from "../options.js";
import { loadProtoType } from "./proto-type.js";

interface SendFlags {
  to: Address;
  json?: string;
  lines?: string;
  raw?: string;
  proto?: string;
  type?: string;
  connectTimeoutMs: number;
}

/** `troupe send`: frames records from a file or stdin and sends them to a source, as a client would. */
export function registerSendCommand(program: Command): void {
  program
    .command("send")
    .description("send records to a source as frames: JSON lines (as UTF-8, or encoded with --proto/--type), plain lines, or one raw file")
    .addOption(flag("--to <host:port>", "the source to send to", parseAddress).makeOptionMandatory())
    .option("--json <file|->", "one JSON record per line (- for stdin)")
    .option("--lines <file|->", "each line is one frame, sent as written")
    .option("--raw <file|->", "the whole input is one frame")
    .option("--proto <file.proto>", "with --json: encode each record as this message type (the app's decoder's wire format)")
    .option("--type <package.Message>", "the message type in --proto")
    .addOption(flag("--connect-timeout-ms <ms>", "keep trying to connect this long (a cluster still starting)", (v, w) => parseIntFlag(v, w, 0)).default(DEFAULT_SEND_CONNECT_TIMEOUT_MS))
    .action(async (f: SendFlags) => {
      const inputs = [f.json, f.lines, f.raw].filter((x) => x !== undefined);
      if (inputs.length !== 1) throw new ConfigError("give exactly one of --json FILE, --lines FILE, --raw FILE (- reads stdin)");
      if (f.proto && f.json === undefined) throw new ConfigError("--proto encodes JSON records: use it with --json");
      const proto = f.proto ? loadProtoType(f.proto, f.type) : undefined;
      const socket = await connectWithin(f.to, f.connectTimeoutMs);
      let sent = 0;
      const send = (payload: Uint8Array): Promise<void> | undefined => {
        sent++;
        // Respect the socket's buffer: a large file never sits in memory whole.
        return socket.write(encodeFrame(payload)) ? undefined : new Promise((r) => socket.once("drain", r));
      };
      try {
        if (f.raw !== undefined) await send(f.raw === "-" ? await readStdin() : readFileSync(f.raw));
        else {
          const file = (f.json ?? f.lines)!;
          let n = 0;
          for await (const line of createInterface({ input: file === "-" ? process.stdin : createReadStream(file), crlfDelay: Infinity })) {
            n++;
            if (line.trim() === "") continue;
            await send(f.lines !== undefined ? Buffer.from(line, "utf8") : jsonFrame(line, `${file}:${n}`, proto?.encode));
          }
        }
      } finally {
        await new Promise<void>((resolve) => socket.end(resolve));
      }
      process.stdout.write(`sent ${sent} frame(s) to ${f.to.host}:${f.to.port}\n`);
    });
}

function jsonFrame(line: string, where: string, encode?: (record: unknown) => Uint8Array): Uint8Array {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (err) {
    throw new ConfigError(`${where}: not a JSON record (${(err as Error).message}); nothing after it was sent`);
  }
  try {
    return encode ? encode(record) : Buffer.from(JSON.stringify(record), "utf8");
  } catch (err) {
    throw new ConfigError(`${where}: ${(err as Error).message}; nothing after it was sent`, { cause: err });
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Connects, retrying every 250 ms until `timeoutMs` has passed. */
async function connectWithin(to: Address, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = connect({ host: to.host, port: to.port, noDelay: true });
        s.once("connect", () => resolve(s)).once("error", reject);
      });
    } catch (err) {
      if (Date.now() >= deadline) throw new ConfigError(`--to ${to.host}:${to.port}: ${(err as Error).message} (tried for ${timeoutMs} ms); is the node's source listening there?`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

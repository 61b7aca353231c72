import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";
import { waitUntil } from "./wait.js";

/** A real nats-server process with JetStream on, a temp store dir and a free port. */
export interface NatsServer {
  readonly url: string;
  /** Everything the server wrote (its log: connections, permission and authentication errors). */
  readonly logs: string[];
  readonly port: number;
  readonly storeDir: string;
  /** Stops the server (SIGTERM) and starts it again on the same port and store. */
  restart(downMs?: number): Promise<void>;
  /** Kills the server (SIGKILL: no clean shutdown) and starts it again on the same port and store after `downMs`. */
  crash(downMs?: number): Promise<void>;
  /** Stops it for good and removes the store. */
  stop(): Promise<void>;
}

/** The version line of the nats-server on PATH, or throws saying what to install. */
export function natsServerVersion(): string {
  const r = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
  if (r.error) {
    throw new Error("nats-server is not on PATH. Install it: `apt-get install -y nats-server` (Debian) or put a nats-server binary on PATH. `bash .ci/run` installs it.");
  }
  return r.stdout.trim();
}

/** Options of a test nats-server. */
export interface NatsServerOptions {
  /** The server's `max_payload` in bytes (set through a config file; the server's default is 1 MiB). */
  readonly maxPayload?: number;
  /** A config file to start with (e.g. deploy/nats/nats-server.conf); the port, address and store flags still apply. */
  readonly configFile?: string;
  /** Environment of the server process (variables the config file reads). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts a nats-server and waits until it accepts connections. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  natsServerVersion();
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), "troupe-nats-"));
  const args = ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir];
  let configDir: string | undefined;
  if (options.configFile !== undefined && options.maxPayload !== undefined) throw new Error("startNatsServer: give configFile or maxPayload, not both");
  if (options.configFile !== undefined) args.unshift("-c", options.configFile);
  if (options.maxPayload !== undefined) {
    // max_payload has no command-line flag; the flags above still override the file's other settings.
    configDir = mkdtempSync(join(tmpdir(), "troupe-nats-conf-"));
    const file = join(configDir, "nats-server.conf");
    writeFileSync(file, `max_payload: ${options.maxPayload}\n`);
    args.unshift("-c", file);
  }
  let proc: ChildProcess | undefined;
  const logs: string[] = [];
  const launch = async () => {
    proc = spawn("nats-server", args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...options.env } });
    proc.stderr!.setEncoding("utf8").on("data", (d: string) => logs.push(...d.split("\n").filter(Boolean)));
    const p = proc;
    await waitUntil(
      () => {
        if (p.exitCode !== null) throw new Error(`nats-server exited with ${p.exitCode}: ${logs.slice(-5).join("\n")}`);
        return accepts(port);
      },
      10_000,
      `nats-server on port ${port}`,
    );
  };
  const halt = async (signal: NodeJS.Signals = "SIGTERM") => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    logs,
    port,
    storeDir,
    restart: async (downMs = 0) => {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    crash: async (downMs = 0) => {
      await halt("SIGKILL");
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(storeDir, { recursive: true, force: true });
      if (configDir) rmSync(configDir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

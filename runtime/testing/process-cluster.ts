import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_NODE_V8_FLAGS } from "../defaults.js";
import type { ClusterInfo } from "../node/cluster-info.js";
import { freePort } from "./ports.js";
import { waitUntil } from "./wait.js";

/** One `troupe node` child process. */
export interface NodeProcess {
  readonly id: string;
  readonly http: string;
  readonly sources: Record<string, number>;
  readonly proc: ChildProcess;
  /** Everything it wrote to stderr (pino JSON lines). */
  readonly logs: string[];
  exitCode: number | null;
  /** GET /cluster. */
  info(): Promise<ClusterInfo>;
  /** Clears the node's latency, pause, event-loop and GC distributions (`POST /stats/reset`). */
  resetStats(): Promise<void>;
}

/** Options for starting node processes against one NATS server. */
export interface ProcessClusterOptions {
  readonly nats: string;
  readonly apps?: readonly string[];
  readonly sinks?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  /** Flags for the Node.js runtime of each node process (e.g. `--cpu-prof`), after the V8 flags every node process gets (TROUPE_V8_FLAGS, else DEFAULT_NODE_V8_FLAGS). */
  readonly nodeFlags?: readonly string[];
  /** Receives what each node process writes to stdout (V8's trace flags write there; the logs go to stderr); without it, stdout is discarded. */
  readonly onStdout?: (nodeId: string, text: string) => void;
}

// bin/troupe.js of this package, whether this module runs from source or from dist/.
const BIN = findBin();

function findBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const candidate = resolve(dir, "bin", "troupe.js");
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("cannot find bin/troupe.js above " + fileURLToPath(import.meta.url));
}

/** How a node is started: its id, the sources it listens on, extra arguments and sinks, and whether to wait until it is ready. */
export interface NodeStart {
  readonly id?: string;
  readonly sources?: readonly string[];
  readonly args?: readonly string[];
  readonly waitReady?: boolean;
  readonly sinks?: Record<string, string>;
  readonly nats?: string;
}

// Starts of a node whose port was taken before it bound it, before giving up.
const PORT_ATTEMPTS = 3;

class PortTakenError extends Error {}

/** Real node processes (`node bin/troupe.js node --nats ...`) for integration tests. */
export class ProcessCluster {
  readonly nodes = new Map<string, NodeProcess>();
  /** Every node ever started, live or not (their logs stay readable after they exit). */
  readonly history: NodeProcess[] = [];
  private n = 0;

  constructor(private readonly options: ProcessClusterOptions) {}

  /** Starts a node process and waits until it serves /readyz. */
  async addNode(opts: NodeStart = {}): Promise<NodeProcess> {
    const id = opts.id ?? `node-${++this.n}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.start(id, opts);
      } catch (err) {
        // A port found free was taken before the node bound it (another process, or an outgoing
        // connection's ephemeral port from the same range): start it again on other ports.
        if (!(err instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw err;
      }
    }
  }

  private async start(id: string, opts: NodeStart): Promise<NodeProcess> {
    const httpPort = await freePort();
    const sources: Record<string, number> = {};
    for (const s of opts.sources ?? []) sources[s] = await freePort();
    const args = [
      // As the image runs a node: TROUPE_V8_FLAGS, else the default flags.
      ...(process.env.TROUPE_V8_FLAGS ?? DEFAULT_NODE_V8_FLAGS).split(/\s+/).filter(Boolean),
      ...(this.options.nodeFlags ?? []),
      BIN,
      "node",
      "--node-id",
      id,
      "--nats",
      opts.nats ?? this.options.nats,
      "--http",
      `127.0.0.1:${httpPort}`,
      ...(this.options.apps ?? ["loyalty"]).flatMap((a) => ["--app", a]),
      ...Object.entries(sources).flatMap(([name, port]) => ["--source", `${name}=127.0.0.1:${port}`]),
      ...Object.entries({ ...this.options.sinks, ...opts.sinks }).flatMap(([name, addr]) => ["--sink", `${name}=${addr}`]),
      ...(this.options.args ?? []),
      ...(opts.args ?? []),
    ];
    const proc = spawn(process.execPath, args, { env: { ...process.env, TROUPE_LOG_LEVEL: process.env.TROUPE_TEST_LOG_LEVEL ?? "info", ...this.options.env }, stdio: ["ignore", "pipe", "pipe"] });
    const logs: string[] = [];
    proc.stderr!.setEncoding("utf8").on("data", (d: string) => logs.push(...d.split("\n").filter(Boolean)));
    const onStdout = this.options.onStdout;
    if (onStdout) proc.stdout!.setEncoding("utf8").on("data", (d: string) => onStdout(id, d));
    else proc.stdout!.resume();
    const http = `http://127.0.0.1:${httpPort}`;
    const node: NodeProcess = {
      id,
      http,
      sources,
      proc,
      logs,
      exitCode: null,
      info: async () => (await (await fetch(`${http}/cluster`)).json()) as ClusterInfo,
      resetStats: async () => {
        const res = await fetch(`${http}/stats/reset`, { method: "POST" });
        if (!res.ok) throw new Error(`POST ${http}/stats/reset: ${res.status}`);
      },
    };
    proc.on("exit", (code, signal) => (node.exitCode = code ?? (signal ? 128 : -1)));
    this.nodes.set(id, node);
    this.history.push(node);
    if (opts.waitReady !== false) {
      await waitUntil(
        async () => {
          if (node.exitCode !== null) {
            const message = `node ${id} exited with ${node.exitCode}:\n${logs.slice(-20).join("\n")}`;
            if (!logs.some((l) => /address in use/.test(l))) throw new Error(message);
            this.nodes.delete(id);
            this.history.splice(this.history.indexOf(node), 1);
            throw new PortTakenError(message);
          }
          return (await fetch(`${http}/readyz`).catch(() => undefined))?.ok === true;
        },
        30_000,
        `node ${id} to be ready`,
      );
    }
    return node;
  }

  /** SIGKILLs a node (a crash). */
  kill(id: string): void {
    this.nodes.get(id)?.proc.kill("SIGKILL");
    this.nodes.delete(id);
  }

  /** SIGSTOPs a node (a pause: it keeps its sockets but runs nothing). */
  pause(id: string): void {
    this.nodes.get(id)?.proc.kill("SIGSTOP");
  }

  /** SIGCONTs a paused node. */
  resume(id: string): void {
    this.nodes.get(id)?.proc.kill("SIGCONT");
  }

  /** SIGTERMs a node (graceful drain) and resolves with its exit code. */
  async terminate(id: string, timeoutMs = 45_000): Promise<number> {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    node.proc.kill("SIGTERM");
    await waitUntil(() => node.exitCode !== null, timeoutMs, `node ${id} to exit after SIGTERM`).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}; its last log lines:\n${node.logs.slice(-15).join("\n")}`);
    });
    this.nodes.delete(id);
    return node.exitCode!;
  }

  /** Waits until every live node sees the same epoch, exactly the live nodes as members, and no handoff. */
  async waitForStable(timeoutMs = 30_000): Promise<ClusterInfo[]> {
    let infos: ClusterInfo[] = [];
    await waitUntil(
      async () => {
        try {
          infos = await Promise.all([...this.nodes.values()].map((n) => n.info()));
        } catch {
          return false;
        }
        const ids = [...this.nodes.keys()].sort().join(",");
        const epoch = infos[0]?.epoch;
        return infos.every((i) => i.epoch === epoch && i.members.map((m) => m.id).sort().join(",") === ids && i.slotsInHandoff === 0 && i.ready);
      },
      timeoutMs,
      "the cluster to be stable",
    );
    return infos;
  }

  /** Warning and error log lines of every node ever started (for failure reports). */
  problems(limit = 60): string[] {
    const lines = this.history.flatMap((n) => n.logs.filter((l) => /"level":[456]0/.test(l)));
    return lines.slice(-limit);
  }

  /** Kills every node process. */
  async stop(): Promise<void> {
    for (const n of this.nodes.values()) {
      n.proc.kill("SIGCONT");
      n.proc.kill("SIGKILL");
    }
    await waitUntil(() => [...this.nodes.values()].every((n) => n.exitCode !== null), 10_000, "node processes to exit").catch(() => undefined);
    this.nodes.clear();
    // TROUPE_TEST_LOGS=dir keeps every node's log lines (one file per node) for a post-mortem.
    const dir = process.env.TROUPE_TEST_LOGS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const stamp = Date.now();
      for (const n of this.history) writeFileSync(`${dir}/${stamp}-${n.id}.log`, n.logs.join("\n") + "\n");
    }
  }
}

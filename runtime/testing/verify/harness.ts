import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { connectNats } from "../../nats/nats-cluster.js";
import { eventStream, replyInboxPrefix } from "../../nats/subjects.js";
import type { ClusterInfo } from "../../node/cluster-info.js";
import type { StateMode } from "../../types.js";
import type { Address } from "../../types.js";
import { FaultProxy } from "../fault-proxy.js";
import { startNatsServer, type NatsServer } from "../nats-server.js";
import { OutputCollector } from "../output-collector.js";
import { ProcessCluster, type NodeProcess } from "../process-cluster.js";
import { waitUntil } from "../wait.js";

/** What a verify cluster runs. */
export interface VerifyClusterOptions {
  /** App name or module path, as `troupe node --app` takes it. */
  readonly app: string;
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  readonly state: StateMode;
  readonly nodes: number;
  /** Cluster name (separates runs sharing a NATS server). */
  readonly cluster: string;
  /** Node process log level (default info: scenarios watch for handoffs in the logs). */
  readonly logLevel?: string;
}

// Faults are detected fast: a run takes seconds, not minutes.
export const VERIFY_HEARTBEAT_MS = 200;
export const VERIFY_FAILURE_TIMEOUT_MS = 1_000;

/**
 * A real local cluster for `troupe verify`: a nats-server, N `troupe node` processes each behind
 * its own fault proxy to NATS, and one output collector per sink. Every node listens on every
 * source, so clients can go to any node that is alive.
 */
export class VerifyCluster {
  readonly collectors = new Map<string, OutputCollector>();
  readonly proxies = new Map<string, FaultProxy>();
  private processes!: ProcessCluster;
  private sinkTargets: Record<string, string> = {};
  private counter = 0;
  // Ownership samples: per epoch, which node claimed each slot (per partition).
  private readonly claims = new Map<string, string>();
  /** (epoch, partition, slot) claimed by two nodes, as seen in /cluster. */
  readonly overlaps = new Set<string>();
  private sampling: NodeJS.Timeout | undefined;
  private client: NatsConnection | undefined;

  private constructor(
    readonly options: VerifyClusterOptions,
    readonly nats: NatsServer,
  ) {}

  /** Starts NATS, the collectors and `options.nodes` nodes, and waits until they are one stable cluster. */
  static async start(options: VerifyClusterOptions): Promise<VerifyCluster> {
    const c = new VerifyCluster(options, await startNatsServer());
    try {
      for (const sink of options.sinks) {
        const collector = new OutputCollector();
        const addr = await collector.start();
        c.collectors.set(sink, collector);
        c.sinkTargets[sink] = `${addr.host}:${addr.port}`;
      }
      c.processes = new ProcessCluster({
        nats: c.nats.url,
        apps: [options.app],
        sinks: c.sinkTargets,
        env: { TROUPE_LOG_LEVEL: options.logLevel ?? process.env.TROUPE_VERIFY_LOG_LEVEL ?? "info" },
        args: [
          "--state",
          options.state,
          "--cluster",
          options.cluster,
          "--heartbeat-ms",
          String(VERIFY_HEARTBEAT_MS),
          "--failure-timeout-ms",
          String(VERIFY_FAILURE_TIMEOUT_MS),
          "--snapshot-interval-ms",
          "200",
        ],
      });
      for (let i = 0; i < options.nodes; i++) await c.addNode();
      await c.waitStable();
      c.sampling = setInterval(() => void c.sampleOwnership(), 100);
      return c;
    } catch (err) {
      await c.stop();
      throw err;
    }
  }

  /** Starts a node (behind a new proxy to NATS) and waits until it serves. */
  async addNode(id = `node-${++this.counter}`, waitReady = true): Promise<NodeProcess> {
    const old = this.proxies.get(id);
    if (old) await old.close();
    const proxy = await FaultProxy.start({ target: { host: "127.0.0.1", port: this.nats.port } });
    this.proxies.set(id, proxy);
    return this.processes.addNode({ id, sources: this.options.sources, nats: proxy.url, waitReady });
  }

  /** The node processes alive now. */
  live(): NodeProcess[] {
    return [...this.processes.nodes.values()];
  }

  /** Every node process ever started (for their logs). */
  history(): readonly NodeProcess[] {
    return this.processes.history;
  }

  /** Where a source listens on every live node. */
  sourceAddresses(source: string): Address[] {
    return this.live().map((n) => ({ host: "127.0.0.1", port: n.sources[source]! }));
  }

  /**
   * Resolves with the first node (of `nodes`, or every live node) that writes a log line matching
   * `pattern` from now on: an event, not a poll, so a fault can land inside a window of milliseconds.
   */
  nextLog(pattern: RegExp, timeoutMs: number, nodes: readonly NodeProcess[] = this.live()): Promise<NodeProcess> {
    return new Promise<NodeProcess>((resolve, reject) => {
      const offs: Array<() => void> = [];
      const done = (err: Error | undefined, node?: NodeProcess) => {
        clearTimeout(timer);
        for (const off of offs) off();
        if (err) reject(err);
        else resolve(node!);
      };
      const timer = setTimeout(() => done(new Error(`no node logged ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      for (const n of nodes) {
        const on = (chunk: string | Buffer) => {
          if (pattern.test(String(chunk))) done(undefined, n);
        };
        n.proc.stderr?.on("data", on);
        offs.push(() => n.proc.stderr?.off("data", on));
      }
    });
  }

  /** SIGKILL. */
  kill(id: string): void {
    this.processes.kill(id);
  }

  /** SIGSTOP / SIGCONT. */
  pause(id: string): void {
    this.processes.pause(id);
  }

  resume(id: string): void {
    this.processes.resume(id);
  }

  /** SIGTERM (graceful drain); resolves with the exit code. */
  terminate(id: string): Promise<number> {
    return this.processes.terminate(id, 60_000);
  }

  /** /cluster of every live node that answers. */
  async infos(): Promise<ClusterInfo[]> {
    const all = await Promise.all(this.live().map((n) => n.info().catch(() => undefined)));
    return all.filter((i): i is ClusterInfo => i !== undefined);
  }

  /** The node owning the most slots now (a fault on it matters most). */
  async busiest(): Promise<string> {
    const infos = await this.infos();
    infos.sort((a, b) => b.slotsOwned - a.slotsOwned);
    return infos[0]!.node;
  }

  /** Waits until every live node sees the same epoch, exactly the live nodes as members, and no handoff. */
  async waitStable(timeoutMs = 60_000): Promise<void> {
    await this.processes.waitForStable(timeoutMs);
  }

  /**
   * Waits until nothing moves: every live node idle (nothing in flight, pending, parked, stalled or in handoff),
   * its counters unchanged, and no output arrived, for `quietMs`.
   */
  async waitQuiet(quietMs = 1_000, timeoutMs = 60_000): Promise<void> {
    let last = "";
    let since = performance.now();
    await waitUntil(
      async () => {
        const infos = await this.infos();
        // Durable mode (a verify cluster runs one app): an owner that has not read its app's stream to the end has events still to run,
        // though nothing may change for a while (a reader starting again after a restart, under load).
        const streamEnd = this.options.state === "durable" ? await this.streamEnd() : 0;
        const behind = (i: ClusterInfo) => i.eventLog !== undefined && (i.eventLog.slotsReading ?? 0) > 0 && ((i.eventLog.readersStarting ?? 0) > 0 || (i.eventLog.readPosition ?? 0) < streamEnd);
        const busy = infos.some((i) => (i.transport.inFlight ?? 0) > 0 || (i.eventLog?.pending ?? 0) > 0 || i.parked > 0 || (i.stalled ?? 0) > 0 || i.slotsInHandoff > 0 || behind(i));
        const outputs = [...this.collectors.values()].reduce((a, c) => a + c.outputs.length, 0);
        const now = JSON.stringify([outputs, infos.map((i) => [i.node, i.epoch, i.eventsIn, i.eventsOut, i.apps.map((a) => a.steps)])]);
        if (busy || now !== last) {
          last = now;
          since = performance.now();
          return false;
        }
        return performance.now() - since >= quietMs;
      },
      timeoutMs,
      "the cluster to go quiet (all events applied, nothing in flight)",
    );
  }

  // The last sequence of the run's event streams (durable mode): where a caught-up reader stands.
  private async streamEnd(): Promise<number> {
    this.client ??= await connectNats({ url: this.nats.url }, "troupe-verify", replyInboxPrefix(this.options.cluster, "cli"));
    const jsm = await jetstreamManager(this.client);
    let last = 0;
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(eventStream(this.options.cluster, ""))) last = Math.max(last, info.state.last_seq);
    }
    return last;
  }

  /** Stops sampling, every node, the proxies, the collectors and NATS. */
  async stop(): Promise<void> {
    if (this.sampling) clearInterval(this.sampling);
    await this.client?.close().catch(() => undefined);
    await this.processes?.stop();
    for (const p of this.proxies.values()) await p.close().catch(() => undefined);
    for (const c of this.collectors.values()) await c.close().catch(() => undefined);
    await this.nats.stop();
  }

  private async sampleOwnership(): Promise<void> {
    for (const i of await this.infos()) {
      // A node claims its owned slots in the epoch it is at; two nodes claiming one slot in one epoch break single ownership.
      for (const app of i.apps) {
        for (const p of app.partitions) {
          for (const slot of p.ownedSlots) {
            const id = `${app.name}/${p.name} epoch ${i.epoch} slot ${slot}`;
            const other = this.claims.get(id);
            if (other === undefined) this.claims.set(id, i.node);
            else if (other !== i.node) this.overlaps.add(`${id}: ${other} and ${i.node}`);
          }
        }
      }
    }
  }
}

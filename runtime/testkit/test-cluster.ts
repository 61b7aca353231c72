import { connect as tcpConnect, type Socket } from "node:net";
import type { Application } from "../builder/application.js";
import { EmbeddedCluster } from "../embedded-cluster.js";
import { ConfigError } from "../errors.js";
import { encodeFrame } from "../io/framing.js";
import { silentLogger, type Logger } from "../logger.js";
import { connectNatsCluster } from "../nats/nats-cluster.js";
import type { AppliedEvent } from "../node/node-options.js";
import { CollectingSink } from "./collecting-sink.js";
import { waitUntil } from "../testing/wait.js";

/** Options of a test cluster. */
export interface TestClusterOptions {
  /** The app under test (its sinks are collected; its sources listen on free local ports). */
  readonly app: Application;
  /** Nodes to start with (default 3). */
  readonly nodes?: number;
  /** A NATS server URL: the nodes join through it (the same test against real NATS); omit for in-process. */
  readonly nats?: string;
  /** Default wait for `send`, `waitForOutputs` and `waitForStable` (default 10 s). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * A cluster for testing an app: real nodes in this process (in-process transport, or NATS with
 * `nats`), sources on local TCP ports fed by `send`, every sink collected in memory.
 */
export class TestCluster implements AsyncDisposable {
  private readonly sinks = new Map<string, CollectingSink>();
  private readonly sockets = new Map<string, { socket: Socket; node: string }>();
  private readonly sent = new Map<string, number>();
  private readonly applied = new Map<string, number>();
  private readonly firstPartition = new Map<string, string | undefined>();
  private readonly timeoutMs: number;

  private constructor(
    readonly app: Application,
    readonly cluster: EmbeddedCluster,
    timeoutMs: number,
  ) {
    this.timeoutMs = timeoutMs;
  }

  /** Starts `nodes` nodes (node-1, node-2, ...) and waits until the cluster is stable. */
  static async start(o: TestClusterOptions): Promise<TestCluster> {
    const logger = o.logger ?? silentLogger();
    const clusterName = `test${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const sinks = new Map([...o.app.sinks.keys()].map((name) => [name, new CollectingSink(name)]));
    const sources = Object.fromEntries([...o.app.sources.keys()].map((name) => [name, { host: "127.0.0.1", port: 0 }]));
    // The nodes start before the TestCluster exists; their applied events reach it once it does.
    const box: { self?: TestCluster } = {};
    const cluster = await EmbeddedCluster.start({
      apps: [o.app],
      nodes: o.nodes ?? 3,
      logger,
      nodeOptions: () => ({ sources, sinks: Object.fromEntries(sinks), onApplied: (e) => box.self?.onApplied(e) }),
      connect: o.nats ? (nodeId) => connectNatsCluster({ url: o.nats!, nodeId, logger, cluster: clusterName, heartbeatMs: 200, failureTimeoutMs: 1_500 }) : undefined,
    });
    const self = new TestCluster(o.app, cluster, o.timeoutMs ?? 10_000);
    box.self = self;
    for (const [name, s] of sinks) self.sinks.set(name, s);
    for (const [name, { pipeline }] of o.app.sources) {
      const first = pipeline.stages.map((id) => o.app.stages[id]!).find((s) => s.kind === "state");
      self.firstPartition.set(name, first?.kind === "state" ? first.partition.name : undefined);
    }
    return self;
  }

  /** The running nodes' ids. */
  get nodeIds(): string[] {
    return [...this.cluster.nodes.keys()];
  }

  /** Adds a node; it joins and takes its share of slots. */
  async addNode(id?: string): Promise<string> {
    const node = await this.cluster.addNode(id);
    return node.id;
  }

  /** Stops a node abruptly (no handoff), as a crash would. */
  async killNode(id: string): Promise<void> {
    this.dropSocketsTo(id);
    await this.cluster.killNode(id);
  }

  /** Drains a node: it hands its slots off, then leaves. */
  async drainNode(id: string): Promise<void> {
    this.dropSocketsTo(id);
    await this.cluster.drainNode(id);
  }

  /** Resolves once every node applied the latest placement and no slot is in handoff. */
  waitForStable(timeoutMs = this.timeoutMs): Promise<void> {
    return this.cluster.waitForStable(timeoutMs);
  }

  /**
   * Sends frames to a source (strings as UTF-8) over one TCP connection per source, to `via` or the
   * first node; resolves once each reached its pipeline's first state step (or was written, without one).
   */
  async send(source: string, payloads: readonly (Uint8Array | string)[], via?: string): Promise<void> {
    if (!this.app.sources.has(source)) throw new ConfigError(`app "${this.app.name}" has no source "${source}"; its sources: ${[...this.app.sources.keys()].join(", ")}`);
    const socket = await this.socketTo(source, via);
    for (const p of payloads) socket.write(encodeFrame(typeof p === "string" ? Buffer.from(p, "utf8") : p));
    const total = (this.sent.get(source) ?? 0) + payloads.length;
    this.sent.set(source, total);
    if (this.firstPartition.get(source) === undefined) return;
    await waitUntil(() => (this.applied.get(source) ?? 0) >= total, this.timeoutMs, `${total} frames of source ${source} to reach their first state step`);
  }

  /** The frames a sink received so far, decoded with `decode` (default: the raw bytes). */
  outputs<T = Uint8Array>(sink: string, decode?: (payload: Uint8Array) => T): T[] {
    const frames = this.sink(sink).frames;
    return decode ? frames.map(decode) : (frames as unknown as T[]);
  }

  /** Waits until a sink has received at least `count` frames; returns them decoded as `outputs` does. */
  async waitForOutputs<T = Uint8Array>(sink: string, count: number, decode?: (payload: Uint8Array) => T): Promise<T[]> {
    const s = this.sink(sink);
    await waitUntil(() => s.frames.length >= count, this.timeoutMs, `${count} outputs on sink ${sink}`);
    return this.outputs(sink, decode);
  }

  /** Closes the connections and stops every node. */
  async stop(): Promise<void> {
    for (const { socket } of this.sockets.values()) socket.destroy();
    this.sockets.clear();
    await this.cluster.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private onApplied(e: AppliedEvent): void {
    // The envelope's source is `node/source/connection`: count it once, at the pipeline's first state step.
    const name = e.source.split("/")[1];
    if (name !== undefined && this.firstPartition.get(name) === e.partition) this.applied.set(name, (this.applied.get(name) ?? 0) + 1);
  }

  private sink(name: string): CollectingSink {
    const s = this.sinks.get(name);
    if (!s) throw new ConfigError(`app "${this.app.name}" has no sink "${name}"; its sinks: ${[...this.sinks.keys()].join(", ") || "(none)"}`);
    return s;
  }

  private async socketTo(source: string, via?: string): Promise<Socket> {
    const open = this.sockets.get(source);
    if (open && (via === undefined || open.node === via) && !open.socket.destroyed) return open.socket;
    open?.socket.end();
    const nodeId = via ?? this.nodeIds[0];
    const node = nodeId === undefined ? undefined : this.cluster.nodes.get(nodeId);
    const address = node?.sourceAddressesBound.get(source);
    if (!node || !address) throw new ConfigError(`no running node ${via ?? ""} listens on source "${source}"; nodes: ${this.nodeIds.join(", ") || "(none)"}`);
    const socket = tcpConnect({ host: address.host, port: address.port, noDelay: true });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.on("error", () => socket.destroy());
    this.sockets.set(source, { socket, node: node.id });
    return socket;
  }

  private dropSocketsTo(nodeId: string): void {
    for (const [source, s] of this.sockets) {
      if (s.node !== nodeId) continue;
      s.socket.destroy();
      this.sockets.delete(source);
    }
  }
}

import { hostname, networkInterfaces } from "node:os";
import type { Application, StateStageDef } from "../builder/application.js";
import type { ControlMessage, Envelope } from "../types.js";
import { assertTransition, type MembershipView, type NodeState } from "../cluster/membership.js";
import { Router } from "../cluster/router.js";
import {
  DEFAULT_BATCH_MAX_DELAY_MS,
  DEFAULT_BATCH_MAX_ENVELOPES,
  DEFAULT_HANDOFF_TIMEOUT_MS,
  DEFAULT_HIGH_WATER_BYTES,
  DEFAULT_HIGH_WATER_ENVELOPES,
  DEFAULT_MAX_ACTORS,
  DEFAULT_MAX_EVICTING,
  DEFAULT_MAX_HOPS,
  DEFAULT_MAX_PARKED_ENVELOPES,
  DEFAULT_SNAPSHOT_INTERVAL_MS,
} from "../defaults.js";
import { ConfigError, EventTooLargeError, LifecycleError } from "../errors.js";
import { Backpressure } from "../io/backpressure.js";
import type { SinkWriter } from "../io/sink-writer.js";
import { StdoutSink } from "../io/stdout-sink.js";
import { TcpSink } from "../io/tcp-sink.js";
import { TcpSource, type SourceConnection } from "../io/tcp-source.js";
import { createLogger, LogRateLimiter, type Logger } from "../logger.js";
import { DeadLetters, type ReplayTarget } from "../observability/dead-letters.js";
import { HttpServer } from "../observability/http-server.js";
import { LatencyHistogram } from "../observability/latency-histogram.js";
import { NodeMetrics } from "../observability/metrics.js";
import { MemoryStateStore, type StateStore } from "../state/state-store.js";
import type { EventLog, LogProducer } from "../state/event-log.js";
import { DurableSlots } from "./durable-slots.js";
import type { WireContext } from "../transport/transport.js";
import { AppRuntime } from "./app-runtime.js";
import { HandoffCoordinator } from "./handoff.js";
import type { StateMode } from "../types.js";
import type { NodeOptions } from "./node-options.js";
import type { Address } from "../types.js";
import { SLOT_CODE, type SlotTable } from "./slot-table.js";
import { checkNodeId } from "../cluster/node-id.js";
import { clusterInfo, type ClusterInfo } from "./cluster-info.js";

const nowMs = (): number => performance.timeOrigin + performance.now();
const DRAIN_GRACE_MS = 300;

/**
 * One cluster node: the composition root. `Node.create()` wires the parts;
 * `start()` joins and serves, `drain()` hands every slot off and leaves, `stop()` stops.
 */
export class Node {
  readonly id: string;
  readonly log: Logger;
  readonly apps = new Map<string, AppRuntime>();
  readonly store: StateStore;
  readonly mode: StateMode;
  readonly deadLetters: DeadLetters;
  readonly latency = new LatencyHistogram();
  /** How long each slot was paused by a handoff (ms). */
  readonly pauses = new LatencyHistogram();
  readonly backpressure = new Backpressure();
  readonly router: Router;
  readonly handoff: HandoffCoordinator;
  readonly metrics: NodeMetrics;
  private state: NodeState = "created";
  private readonly sinks = new Map<string, SinkWriter>();
  private readonly sources: TcpSource[] = [];
  private readonly sourceAddresses = new Map<string, Address>();
  private http: HttpServer | undefined;
  private readonly parked: Envelope[] = [];
  private unsubscribe: (() => void) | undefined;
  private offEvicted: (() => void) | undefined;
  private rejoining = false;
  private joining = false;
  private readonly earlyViews: MembershipView[] = [];
  // A sink is over its high-water mark, or too many evicted actors wait for their state writes: no
  // events from other nodes (or the stream) until it drains.
  private sinkPressure = false;
  // Evicted actors whose writes are still on their way, above which intake and sources pause.
  private readonly maxEvicting: number;
  private accepting = true;
  /** Times this node fenced itself after being removed from the view. */
  evictions = 0;
  // The ownership lease (monotonic ms): steps, sink writes and state writes only before it.
  private leaseUntil = Infinity;
  private leaseTimer: NodeJS.Timeout | undefined;
  // Lease ran out: nothing runs or is written until it is renewed and membership is confirmed.
  private suspended = false;
  private confirming = false;
  private offLease: (() => void) | undefined;
  // Events and outputs that came while suspended: run and written on resume, or (events) re-routed after a fence.
  private readonly suspendedEvents: Envelope[] = [];
  private readonly suspendedOutputs: Array<{ sink: string; payload: Uint8Array; acceptedMs: number }> = [];
  /** Lease counters: suspensions (lease ran out), resumes (renewed, still a member), fences (removed: rejoined as a new member), outputs dropped by a fence. */
  readonly leaseStats = { suspensions: 0, resumes: 0, fenced: 0, outputsDropped: 0 };
  private readonly maxHops = DEFAULT_MAX_HOPS;
  private readonly connections = new WeakMap<SourceConnection, { id: string; seq: number }>();
  private pressureTimer: NodeJS.Timeout | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private snapshotting = false;
  /** Actor states written by write-behind so far. */
  snapshotWrites = 0;
  /** Envelopes forwarded to another owner. */
  forwards = 0;
  /** Dead letters taken back in. */
  reinjected = 0;
  /** Times a full sink stopped this node taking events from other nodes. */
  sinkPauses = 0;
  /** Durable mode: stream events a handoff or fence took back from actors, left for the slot's next reader. */
  replayLeft = 0;
  /** Durable mode: the event log and the reading of owned slots. */
  readonly eventLog: EventLog | undefined;
  readonly durable: DurableSlots | undefined;
  /** Random per process start (part of plain connections' event ids in durable mode). */
  readonly incarnation = Math.random().toString(36).slice(2, 10);
  // The source connection whose frame is being ingested now (acknowledged protocol), and its source.
  private ingesting: SourceConnection | undefined;
  // Durable mode: the event-log producer of each source connection, and this node's own per app.
  private readonly producers = new WeakMap<SourceConnection, LogProducer>();
  private readonly ownProducers = new Map<string, LogProducer>();
  private ingestingSource: TcpSource | undefined;
  private readonly storeLogLimiter = new LogRateLimiter(2);

  private constructor(private readonly options: NodeOptions) {
    this.id = checkNodeId(options.nodeId);
    this.log = (options.logger ?? createLogger(options.logLevel ?? "info")).child({ node: this.id });
    this.store = options.store ?? new MemoryStateStore();
    this.store.attach?.(options.apps);
    this.mode = options.mode ?? "memory";
    if (this.mode === "durable" && !options.eventLog) throw new ConfigError("durable state mode needs an event log (JetStream): run the node with --nats");
    this.eventLog = this.mode === "durable" ? options.eventLog : undefined;
    this.deadLetters = new DeadLetters(this.log.child({ component: "dead-letters" }), options.onDeadLetter);
    this.router = new Router(options.transport, {
      maxBatch: options.batchMaxEnvelopes ?? DEFAULT_BATCH_MAX_ENVELOPES,
      maxDelayMs: options.batchMaxDelayMs ?? DEFAULT_BATCH_MAX_DELAY_MS,
    });
    const services = {
      nodeId: this.id,
      store: this.store,
      maxActors: options.maxActors ?? DEFAULT_MAX_ACTORS,
      deadLetters: this.deadLetters,
      epoch: () => this.handoff.epoch,
      route: (env: Envelope, st: SlotTable) => this.route(env, st),
      writeSink: (sink: string, payload: Uint8Array, acceptedMs: number) => this.writeSink(sink, payload, acceptedMs),
      beforeWrite: this.mode === "durable" ? () => this.flushOutputs() : undefined,
      mayRun: () => this.mayAct(),
      storeFailed: (app: string, key: string, err: unknown) => {
        const s = this.storeLogLimiter.allow();
        if (s >= 0) this.log.warn({ app, key: key.length > 80 ? `${key.slice(0, 60)}...` : key, err: (err as Error).message, suppressed: s }, "state store read or write failed; retrying");
      },
      applied: options.onApplied
        ? (app: string, partition: string, env: Envelope) =>
            options.onApplied!({ node: this.id, app, partition, slot: env.slot, epoch: this.handoff.epoch, key: env.key, source: env.source, seq: env.seq })
        : undefined,
    };
    const names = new Set<string>();
    for (const app of options.apps) {
      if (this.apps.has(app.name)) throw new ConfigError(`app "${app.name}" is registered twice on node ${this.id}`);
      for (const s of app.sources.keys()) {
        if (names.has(s)) throw new ConfigError(`source "${s}" is declared by two apps; source names must be unique on a node`);
        names.add(s);
      }
      this.apps.set(app.name, new AppRuntime(app, services));
    }
    this.handoff = new HandoffCoordinator({
      nodeId: this.id,
      log: this.log.child({ component: "handoff" }),
      apps: this.apps,
      transport: options.transport,
      router: this.router,
      mode: this.mode,
      timeoutMs: options.handoffTimeoutMs ?? DEFAULT_HANDOFF_TIMEOUT_MS,
      deliver: (env) => this.deliver(env),
      paused: (ms) => {
        this.pauses.record(ms);
        this.metrics.handoffPause.observe(ms / 1000);
      },
      viewApplied: (view) => this.viewApplied(view),
      flushOutputs: () => this.flushOutputs(1_000),
      mayAct: () => this.mayAct(),
      settle: this.eventLog ? (app, partition, slot, held, idle) => this.durable!.handoff(app, partition, slot, held, idle) : undefined,
    });
    this.durable = this.eventLog
      ? new DurableSlots({
          nodeId: this.id,
          log: this.log.child({ component: "durable" }),
          apps: this.apps,
          eventLog: this.eventLog,
          epoch: () => this.handoff.epoch,
          trims: () => this.handoff.view.members.map((m) => m.id).sort()[0] === this.id,
          flushOutputs: () => this.flushOutputs(),
          mayAct: () => this.mayAct(),
          mayDeliver: () => this.mayDeliver(),
        })
      : undefined;
    this.metrics = new NodeMetrics(this);
    const hwm = options.highWaterEnvelopes ?? DEFAULT_HIGH_WATER_ENVELOPES;
    this.backpressure.addProbe(() => options.transport.inFlight() + this.router.queued() + (this.eventLog?.pending() ?? 0) > hwm);
    const hwmBytes = options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;
    this.backpressure.addProbe(() => (options.transport.inFlightBytes?.() ?? 0) + (this.eventLog?.pendingBytes() ?? 0) > hwmBytes);
    // A suspended node reads nothing more from its sources until it acts again.
    this.backpressure.addProbe(() => this.suspended || this.rejoining);
    this.backpressure.addProbe(() => this.parked.length > DEFAULT_MAX_PARKED_ENVELOPES);
    // Passivation writes slower than activations: evicted actors would pile up beyond the actor bound.
    this.maxEvicting = Math.min(DEFAULT_MAX_EVICTING, options.maxActors ?? DEFAULT_MAX_ACTORS);
    this.backpressure.addProbe(() => this.evictingCount() > this.maxEvicting);
  }

  /** Creates a node (nothing runs until `start`). */
  static create(options: NodeOptions): Node {
    return new Node(options);
  }

  /** Lifecycle state. */
  get lifecycle(): NodeState {
    return this.state;
  }

  /** True once joined, serving and holding no slot in a pending handoff. */
  get ready(): boolean {
    return this.state === "running" && this.handoff.epoch > 0 && this.handoff.inTransition() === 0;
  }

  /** Where each source listens (after start). */
  get sourceAddressesBound(): ReadonlyMap<string, Address> {
    return this.sourceAddresses;
  }

  /** Where the HTTP server listens (after start), if any. */
  get httpAddress(): Address | undefined {
    return this.http?.address;
  }

  /** Starts every stage in order: sinks, transport, membership, sources, HTTP. */
  async start(): Promise<void> {
    assertTransition(this.state, "starting");
    this.state = "starting";
    this.log.info({ apps: [...this.apps.keys()], mode: this.mode, transport: this.options.transport.kind }, "node starting");
    try {
      this.openSinks();
      for (const s of this.sinks.values()) await s.start();
      await this.options.transport.start(this.id, { onBatch: (from, envs) => this.onBatch(from, envs), onControl: (from, msg) => this.onControl(from, msg) }, this.wireContext());
      await this.eventLog?.open([...this.apps.keys()], this.wireContext());
      // Views that come while this node joins wait for the join's own view: it says what the cluster
      // was before the join, which a joiner needs to know whom it takes each slot from.
      this.joining = true;
      this.unsubscribe = this.options.membership.subscribe((view) => {
        if (this.joining) this.earlyViews.push(view);
        else this.handoff.applyView(view);
      });
      this.offEvicted = this.options.membership.onEvicted?.(() => this.evicted());
      if (this.options.membership.leaseUntil) {
        this.leaseUntil = 0;
        const offRenewed = this.options.membership.onLeaseRenewed?.((until) => this.leaseRenewed(until));
        const offLost = this.options.membership.onLeaseLost?.(() => {
          if (performance.now() > this.leaseUntil) this.suspend();
        });
        this.offLease = () => {
          offRenewed?.();
          offLost?.();
        };
      }
      const view = await this.options.membership.join(this.id, { http: this.advertisedHttp() });
      this.leaseRenewed(this.options.membership.leaseUntil?.() ?? Infinity);
      this.joined(view);
      this.durable?.start();
      await this.openSources();
      if (this.options.http) {
        this.http = new HttpServer(this, this.log.child({ component: "http" }));
        await this.http.start(this.options.http);
      }
    } catch (err) {
      this.log.error({ err }, "node failed to start; stopping what started");
      this.state = "stopping";
      await this.teardown();
      this.state = "stopped";
      throw err;
    }
    this.state = "running";
    if (this.mode !== "memory") {
      const every = this.options.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS;
      this.snapshotTimer = setInterval(() => void this.snapshot(), every);
      this.snapshotTimer.unref();
    }
    this.log.info({ epoch: this.handoff.epoch, sources: Object.fromEntries(this.sourceAddresses) }, "node started");
  }

  /** Graceful leave: stop accepting, hand every slot off, flush sinks, leave the cluster, stop. */
  async drain(timeoutMs = 30_000): Promise<void> {
    assertTransition(this.state, "draining");
    this.state = "draining";
    const t0 = performance.now();
    this.log.info("draining");
    // Read nothing more; let what was read be accepted (durable mode: stored) and acknowledged, then
    // end the connections: a client resends only what was not accepted.
    for (const s of this.sources) s.stopReading();
    const acceptBy = Date.now() + 5_000;
    while (this.sources.some((s) => s.outstanding() > 0) && Date.now() < acceptBy) await new Promise((r) => setTimeout(r, 5));
    await Promise.all(this.sources.map((s) => s.closeGracefully()));
    this.router.flush();
    const others = () => this.handoff.view.members.some((m) => m.id !== this.id && m.status === "up");
    if (!others() && this.durable) {
      // Last node out: states and checkpoints while its slots are still its own (once it is marked
      // leaving they are losing, and write-behind leaves them to a handoff that has nobody to go to).
      while (this.snapshotting) await new Promise((r) => setTimeout(r, 5));
      await this.snapshot();
    }
    await this.options.membership.markLeaving(this.id);
    const deadline = Date.now() + timeoutMs;
    let nextReport = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const owned = this.ownedSlots();
      const status = this.handoff.view.members.find((m) => m.id === this.id)?.status;
      if (status === "leaving" && owned === 0 && this.handoff.inTransition() === 0) break;
      if (!others()) break; // last node: nobody to hand to
      if (Date.now() > nextReport) {
        nextReport += 5_000;
        this.log.warn({ epoch: this.handoff.epoch, status, owned, inTransition: this.handoff.inTransition() }, "drain still waiting for its slots to be handed off");
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    this.log.info({ ms: Math.round(performance.now() - t0), owned: this.ownedSlots() }, "slots handed off; flushing and leaving");
    if (!others() && this.durable) {
      // Again for the slots it still owns (a restarted cluster replays only what came after).
      while (this.snapshotting) await new Promise((r) => setTimeout(r, 5));
      await this.snapshot();
    } else if (!others()) for (const app of this.apps.values()) for (const h of app.hosts) await h.flushDirty().catch((err: unknown) => this.log.error({ err }, "final state flush failed"));
    this.router.flush();
    const t1 = performance.now();
    const delivered = await this.options.transport.flush(Math.max(0, deadline - Date.now()));
    const t2 = performance.now();
    let written = true;
    for (const s of this.sinks.values()) written = (await s.flush(Math.max(100, deadline - Date.now()))) && written;
    this.log.info({ delivered, transportMs: Math.round(t2 - t1), written, sinksMs: Math.round(performance.now() - t2) }, "drain flushed");
    await this.options.membership.leave(this.id);
    // Stay reachable a moment after leaving: stragglers from senders that have not seen the leave yet
    // are forwarded (and acknowledged) instead of being re-routed by them as unacknowledged.
    await new Promise((r) => setTimeout(r, DRAIN_GRACE_MS));
    this.router.flush();
    await this.options.transport.flush(1000);
    this.log.info({ ms: Math.round(performance.now() - t0) }, "drained");
    await this.stop();
  }

  /** Stops every stage in reverse order. Actor state not yet handed off or stored is lost (use drain). */
  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "stopping") return;
    assertTransition(this.state === "created" ? "created" : this.state, this.state === "created" ? "stopped" : "stopping");
    this.state = "stopping";
    await this.teardown();
    this.state = "stopped";
    this.log.info("node stopped");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** A JSON-able picture of this node and its view of the cluster (`/cluster`). */
  clusterInfo(): ClusterInfo {
    return clusterInfo(this);
  }

  /** Slots this node owns now, across apps and partitions. */
  ownedSlots(): number {
    let n = 0;
    for (const app of this.apps.values()) for (const st of app.tables) n += st.counts().owned;
    return n;
  }

  /** Active actors across apps and partitions. */
  activeActors(): number {
    let n = 0;
    for (const app of this.apps.values()) for (const h of app.hosts) n += h.size;
    return n;
  }

  /** The sink writers (by sink name). */
  sinkWriters(): ReadonlyMap<string, SinkWriter> {
    return this.sinks;
  }

  /** The TCP sources (after start). */
  tcpSources(): readonly TcpSource[] {
    return this.sources;
  }

  /** The transport's counters, if it keeps any. */
  transportStats(): Readonly<Record<string, number>> | undefined {
    return this.options.transport.stats;
  }

  /** Envelopes sent and not yet acknowledged. */
  transportInFlight(): number {
    return this.options.transport.inFlight();
  }

  /** Bytes sent to other nodes and not yet acknowledged. */
  transportInFlightBytes(): number {
    return this.options.transport.inFlightBytes?.() ?? 0;
  }

  /** Bytes held to reassemble fragmented messages from other nodes. */
  transportReassemblyBytes(): number {
    return this.options.transport.reassemblyBytes?.() ?? 0;
  }

  /** Evicted actors not yet passive, across apps and partitions. */
  evictingCount(): number {
    let n = 0;
    for (const app of this.apps.values()) for (const h of app.hosts) n += h.evictingCount;
    return n;
  }

  /** Events held while the lease was out. */
  suspendedCount(): number {
    return this.suspendedEvents.length;
  }

  /** Envelopes parked until this node's view catches up or a slot has an owner. */
  parkedCount(): number {
    return this.parked.length;
  }

  /** Takes a dead letter back in (`troupe dlq replay`); throws when its app is not on this node or it fails again at once. */
  reinject(app: string, target: ReplayTarget, payload: Uint8Array): void {
    const a = this.apps.get(app);
    if (!a) throw new ConfigError(`app "${app}" does not run on node ${this.id}`);
    if (this.state !== "running") throw new LifecycleError(`node ${this.id} is ${this.state}, not running`);
    const before = this.deadLetters.total();
    a.reinject(target, payload, ++this.reinjected);
    if (this.deadLetters.total() > before) throw new Error("it failed again (a new dead letter was recorded)");
  }

  /** Write-behind: stores the state of every dirty actor (snapshot and durable modes). */
  async snapshot(): Promise<number> {
    if (this.snapshotting || this.handoff.epoch === 0 || !this.mayAct()) return 0;
    this.snapshotting = true;
    let n = 0;
    let failedSlots = 0;
    const checkpoints: Array<{ app: string; partition: number; slot: number; mark: number }> = [];
    try {
      for (const app of this.apps.values()) {
        for (let i = 0; i < app.hosts.length; i++) {
          const host = app.hosts[i]!;
          const st = app.tables[i]!;
          // Only slots this node still owns: a losing slot's state is written by its handoff.
          // A slot whose writes fail is counted and left dirty for the next round; the others go on.
          if (this.durable) {
            for (let slot = 0; slot < st.slots; slot++) {
              if (st.code(slot) !== SLOT_CODE.OWNED) continue;
              // Idle as the flush begins: every event delivered so far is in the states it writes.
              const idle = host.isSlotIdle(slot);
              const mark = this.durable.mark(app.name, i, slot);
              try {
                n += await host.flushDirty(slot);
                if (idle) checkpoints.push({ app: app.name, partition: i, slot, mark });
              } catch {
                failedSlots++;
              }
            }
          } else {
            for (const slot of host.dirtySlots()) {
              if (st.code(slot) !== SLOT_CODE.OWNED) continue;
              try {
                n += await host.flushDirty(slot);
              } catch {
                failedSlots++;
              }
            }
          }
        }
      }
      if (failedSlots > 0) this.log.warn({ failedSlots }, "write-behind could not store some slots' states; they stay dirty and are written next round");
      // A checkpoint also stands for the outputs of the events below it: they reach the sinks first.
      if (this.durable && checkpoints.length && (await this.flushOutputs())) {
        await Promise.all(checkpoints.map((c) => (this.apps.get(c.app)!.tables[c.partition]!.code(c.slot) === SLOT_CODE.OWNED ? this.durable!.checkpoint(c.app, c.partition, c.slot, c.mark) : undefined)));
      }
      await this.durable?.trim();
    } catch (err) {
      this.deadLetters.record("store_error", "*", "write-behind", err);
    } finally {
      this.snapshotting = false;
    }
    this.snapshotWrites += n;
    return n;
  }

  private async teardown(): Promise<void> {
    if (this.pressureTimer) clearInterval(this.pressureTimer);
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    this.offLease?.();
    await this.http?.close().catch(() => undefined);
    await Promise.all(this.sources.map((s) => s.close().catch(() => undefined)));
    this.unsubscribe?.();
    this.offEvicted?.();
    this.durable?.close();
    this.handoff.close();
    this.router.close();
    await this.options.membership.close().catch((err: unknown) => this.log.warn({ err }, "membership close failed"));
    await this.eventLog?.close().catch((err: unknown) => this.log.warn({ err }, "event log close failed"));
    await this.options.transport.close().catch((err: unknown) => this.log.warn({ err }, "transport close failed"));
    await Promise.all([...this.sinks.values()].map((s) => s.close().catch(() => undefined)));
    for (const app of this.apps.values()) for (const h of app.hosts) h.clear();
    await this.store.close().catch(() => undefined);
  }

  private openSinks(): void {
    const targets = this.options.sinks ?? {};
    for (const app of this.apps.values()) {
      for (const name of app.app.sinks.keys()) {
        if (this.sinks.has(name)) continue;
        const t = targets[name];
        if (!t) {
          throw new ConfigError(`app "${app.name}" writes to sink "${name}" but no target was given: pass --sink ${name}=HOST:PORT (or ${name}=stdout)`);
        }
        const log = this.log.child({ component: "sink", sink: name });
        let writer: SinkWriter;
        if ("write" in t) writer = t;
        else if ("kind" in t) writer = new StdoutSink({ name, format: (p: Uint8Array) => Buffer.from(p).toString("base64") });
        else writer = new TcpSink({ name, host: t.host, port: t.port, logger: log, backpressure: this.backpressure });
        this.backpressure.addProbe(() => writer.isHigh());
        this.sinks.set(name, writer);
      }
    }
  }

  private async openSources(): Promise<void> {
    for (const [name, addr] of Object.entries(this.options.sources ?? {})) {
      if (!addr) continue;
      const app = [...this.apps.values()].find((a) => a.app.sources.has(name));
      if (!app) {
        const known = [...this.apps.values()].flatMap((a) => [...a.app.sources.keys()]);
        throw new ConfigError(`no app declares source "${name}"; known sources: ${known.join(", ") || "none"}`);
      }
      const source = new TcpSource({
        name,
        host: addr.host,
        port: addr.port,
        maxFrameBytes: this.options.maxFrameBytes,
        maxConnections: this.options.maxConnections,
        maxConnectionsPerAddress: this.options.maxConnectionsPerAddress,
        firstFrameTimeoutMs: this.options.sourceFirstFrameTimeoutMs,
        logger: this.log,
        backpressure: this.backpressure,
        onFrame: (payload, conn) => {
          let c = this.connections.get(conn);
          if (!c) this.connections.set(conn, (c = { id: this.connectionId(name, conn), seq: 0 }));
          // Durable mode: every connection, plain or acknowledged, appends through its own producer.
          this.ingesting = conn;
          this.ingestingSource = source;
          try {
            app.ingest(name, payload, c.id, conn.acks ? conn.acks.current : ++c.seq, nowMs());
          } finally {
            this.ingesting = undefined;
          }
        },
        onBadInput: (reason, conn, detail) => this.deadLetters.record(reason, app.name, `${name} ${conn.remote}`, detail),
        onClose: (conn) => this.producers.get(conn)?.close(),
      });
      const bound = await source.start();
      this.sources.push(source);
      this.sourceAddresses.set(name, bound);
    }
    // Sources pause when outbound work is over the high-water mark; this wakes them when it falls.
    this.pressureTimer = setInterval(() => {
      let high = this.evictingCount() > this.maxEvicting;
      for (const sink of this.sinks.values()) if (sink.isHigh()) high = true;
      if (high !== this.sinkPressure) {
        this.sinkPressure = high;
        if (high) this.sinkPauses++;
        this.applyIntake();
      }
      if (!this.backpressure.isHigh()) this.backpressure.notifyLow();
    }, 5);
    this.pressureTimer.unref();
  }

  // Event ids in durable mode: a client's own id and frame numbers when it has them (its resends are
  // then stored once), else this process's incarnation with the connection.
  private connectionId(source: string, conn: SourceConnection): string {
    if (conn.clientId) return `c.${conn.clientId}`;
    return this.eventLog ? `${this.id}/${source}/${conn.id}~${this.incarnation}` : `${this.id}/${source}/${conn.id}`;
  }

  private append(env: Envelope): void {
    const conn = this.ingesting;
    const source = this.ingestingSource;
    let producer: LogProducer | undefined;
    if (conn) {
      producer = this.producers.get(conn);
      if (!producer) this.producers.set(conn, (producer = this.eventLog!.producer(env.app, conn.clientId ? `${conn.source}.c-${conn.clientId}` : `${this.id}-${this.incarnation}-${conn.source}-${conn.id}`, conn.clientId !== undefined)));
    } else {
      producer = this.ownProducers.get(env.app);
      if (!producer) this.ownProducers.set(env.app, (producer = this.eventLog!.producer(env.app, `${this.id}-${this.incarnation}`, false)));
    }
    // Acknowledged connections only: their frame is acknowledged once stored (0 on a plain one).
    const held = conn && source ? source.hold(conn) : 0;
    producer.append(env, held, (err) => {
      if (err instanceof EventTooLargeError) {
        // It can never be stored: a dead letter, and handled like a stored frame, so an acknowledged
        // client goes on (rejecting would close its connection and it would resend the frame forever).
        this.deadLetters.record("too_large", env.app, conn ? `${conn.source} ${conn.remote}` : `stage ${env.stage}`, err, env.payload);
        if (held && conn && source) source.complete(conn, held);
      } else if (err) {
        this.deadLetters.record("append_failed", env.app, `stage ${env.stage}`, err, env.payload);
        // The client resends what was not acknowledged (a plain connection has nothing to resend).
        if (held && conn && source) source.reject(conn, err.message);
      } else if (held && conn && source) source.complete(conn, held);
    });
  }

  private route(env: Envelope, st: SlotTable): void {
    if (this.eventLog) {
      this.append(env);
      return;
    }
    const owner = st.owners[env.slot];
    if (owner === this.id) this.deliverTo(env, st);
    else if (owner) this.router.send(owner, env);
    else this.parked.push(env);
  }

  private deliver(env: Envelope): void {
    // From the event stream but held by a handoff or a fence: the slot's owner replays it from the
    // stream in order (delivering it here could run it ahead of earlier events of its key).
    if (env.offset !== 0) {
      this.replayLeft++;
      this.durable?.skipped(env);
      return;
    }
    const app = this.apps.get(env.app);
    const stage = app?.app.stages[env.stage];
    if (!app || !stage || stage.kind !== "state") {
      this.deadLetters.record("undeliverable", env.app, `stage ${env.stage}`, "no such app or state stage on this node; is every node running the same app version?", env.payload);
      return;
    }
    if (env.epoch > this.handoff.epoch) {
      this.parked.push(env);
      return;
    }
    this.deliverTo(env, app.tables[(stage as StateStageDef).partition.index]!);
  }

  private deliverTo(env: Envelope, st: SlotTable): void {
    const code = st.code(env.slot);
    if (code === SLOT_CODE.OWNED) {
      // The lease is checked before every event: a node that was paused finds it expired here,
      // before it touches anything (a timer could fire only after the I/O that brought the event).
      if (this.suspended || this.rejoining || performance.now() > this.leaseUntil) {
        this.suspendedEvents.push(env);
        this.suspend();
        return;
      }
      const app = this.apps.get(env.app)!;
      app.deliverOwned(env, (app.app.stages[env.stage] as StateStageDef).partition.index);
    } else if (code === SLOT_CODE.GAINING || code === SLOT_CODE.LOSING) {
      st.hold(env.slot, env);
    } else {
      const owner = st.owners[env.slot];
      if (!owner || owner === this.id) {
        // No owner, or ours in the view while its state is not here: wait for the next view or handoff.
        this.parked.push(env);
        return;
      }
      if (env.hops >= this.maxHops) {
        this.deadLetters.record("hop_limit", env.app, `slot ${env.slot}`, `forwarded ${env.hops} times without reaching its owner (last: ${this.id} at epoch ${this.handoff.epoch} says ${owner}; envelope epoch ${env.epoch})`, env.payload);
        return;
      }
      env.hops++;
      env.epoch = this.handoff.epoch;
      this.forwards++;
      this.router.send(owner, env);
    }
  }

  private onBatch(_from: string, envs: Envelope[]): void {
    for (let i = 0; i < envs.length; i++) this.deliver(envs[i]!);
  }

  private onControl(from: string, msg: ControlMessage): void {
    switch (msg.type) {
      case "epoch-ack":
        this.handoff.onAck(from, msg.epoch);
        break;
      case "handoff-done":
        this.handoff.onHandoffDone(msg);
        this.durable?.reconcile();
        this.redeliverParked();
        break;
      case "drain":
        if (msg.nodeId === this.id && this.state === "running") {
          this.log.info({ from }, "drain requested");
          this.drain().catch((err: unknown) => this.log.error({ err }, "drain failed"));
        }
        break;
    }
  }

  // The view a join returned, then every view that came meanwhile (older ones are ignored).
  private joined(view: MembershipView): void {
    this.joining = false;
    this.handoff.applyView(view);
    for (const v of this.earlyViews.splice(0)) this.handoff.applyView(v);
  }

  // Takes messages from other nodes in only while it may act and its sinks have room: otherwise they
  // stay unacknowledged with their senders (whose sources pause at their high-water marks).
  private applyIntake(): void {
    const want = !this.suspended && !this.rejoining && !this.sinkPressure;
    if (want === this.accepting) return;
    this.accepting = want;
    this.options.transport.setAccepting?.(want);
  }

  /** True while events may be delivered to actors here (durable reader): acting, and the sinks have room. */
  mayDeliver(): boolean {
    return !this.sinkPressure && this.mayAct();
  }

  /** Milliseconds left on the ownership lease (Infinity without leases; negative once it ran out). */
  leaseLeftMs(): number {
    return this.leaseUntil - performance.now();
  }

  /** True while this node may act as an owner: its lease is fresh and it is not suspended or rejoining. */
  mayAct(): boolean {
    return !this.suspended && !this.rejoining && performance.now() <= this.leaseUntil;
  }

  // The lease was renewed (a heartbeat was acknowledged).
  private leaseRenewed(until: number): void {
    this.leaseUntil = until;
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
    if (this.rejoining) return; // the rejoin resumes the node
    if (this.suspended) {
      this.confirmAndResume();
      return;
    }
    if (until !== Infinity && this.state === "running") {
      // Wakes the node when the lease runs out with no event to notice it (it pauses its reader and inbox).
      this.leaseTimer = setTimeout(() => {
        this.log.debug({ leftMs: Math.round(this.leaseUntil - performance.now()), suspended: this.suspended, state: this.state }, "lease timer");
        if (performance.now() > this.leaseUntil) this.suspend();
      }, Math.max(0, until - performance.now()) + 1);
      this.leaseTimer.unref();
    }
  }

  // The lease ran out: stop acting at once (no steps, no sink or state writes), stop taking events in,
  // and wait for a renewal; then confirm membership from the store before acting again.
  private suspend(): void {
    if (this.suspended || this.rejoining || (this.state !== "running" && this.state !== "draining")) return;
    this.suspended = true;
    this.leaseStats.suspensions++;
    this.applyIntake();
    this.log.warn({ expiredMsAgo: Math.round(performance.now() - this.leaseUntil) }, "lease ran out (heartbeat not renewed in time): no steps and no writes until it is renewed and this node is confirmed a member");
    // Renewed while the news was on its way (the heartbeat answered after the event that noticed).
    if (performance.now() <= this.leaseUntil) this.confirmAndResume();
  }

  private confirmAndResume(): void {
    if (this.confirming || !this.options.membership.confirmMember) return;
    this.confirming = true;
    this.options.membership
      .confirmMember()
      .then((member) => {
        this.confirming = false;
        if (!this.suspended || this.rejoining) return;
        if (!member) this.evicted();
        else if (performance.now() <= this.leaseUntil) this.resumeAfterLease();
      })
      .catch((err: unknown) => {
        this.confirming = false;
        this.log.warn({ err: (err as Error).message }, "could not confirm membership after a lease renewal; waiting for the next");
      });
  }

  // Still a member, lease renewed: take events in again and run what waited, oldest first.
  private resumeAfterLease(): void {
    this.suspended = false;
    this.leaseStats.resumes++;
    this.log.info({ events: this.suspendedEvents.length, outputs: this.suspendedOutputs.length }, "lease renewed and membership confirmed: acting again");
    this.applyIntake();
    for (const app of this.apps.values()) for (const h of app.hosts) h.kick();
    for (const o of this.suspendedOutputs.splice(0)) this.writeSink(o.sink, o.payload, o.acceptedMs);
    for (const env of this.suspendedEvents.splice(0)) this.deliver(env);
    this.durable?.reconcile();
    this.leaseRenewed(this.leaseUntil);
    this.backpressure.notifyLow();
  }

  // Removed from the view (or found not to be a member after a lease ran out): stop acting as an
  // owner at once, keep nothing it could write back, and join again as a new member.
  private evicted(): void {
    if ((this.state !== "running" && this.state !== "draining") || this.rejoining) return;
    this.rejoining = true;
    this.suspended = false;
    this.evictions++;
    this.leaseStats.fenced++;
    this.applyIntake();
    this.joining = true;
    const held = this.handoff.fence();
    // Events it took in (and acknowledged) but did not run go to their owners after the rejoin; its
    // unacknowledged ones its senders re-route themselves. Outputs it held are dropped: the fence
    // also drops the state their events changed.
    this.parked.push(...held, ...this.suspendedEvents.splice(0));
    const dropped = this.suspendedOutputs.splice(0).length;
    this.leaseStats.outputsDropped += dropped;
    this.log.warn({ held: held.length, outputsDropped: dropped }, "not a member any more: fenced (no steps, no writes, state dropped); rejoining as a new member");
    const http = this.advertisedHttp();
    const retry = (): void => {
      this.options.membership
        .join(this.id, { http })
        .then((view) => {
          this.rejoining = false;
          this.applyIntake();
          this.leaseRenewed(this.options.membership.leaseUntil?.() ?? Infinity);
          this.joined(view);
          this.backpressure.notifyLow();
        })
        .catch((err: unknown) => {
          this.log.warn({ err }, "rejoin failed; retrying");
          setTimeout(retry, 500);
        });
    };
    retry();
  }

  private viewApplied(view: MembershipView): void {
    this.durable?.reconcile();
    // Events a departed node never acknowledged go to the slots' new owners (it may have applied some: at-least-once).
    for (const id of this.departed(view)) for (const env of this.options.transport.forget?.(id) ?? []) this.parked.push(env);
    this.redeliverParked();
  }

  private redeliverParked(): void {
    if (this.parked.length === 0) return;
    const parked = this.parked.splice(0);
    for (const env of parked) {
      if (env.epoch > this.handoff.epoch) this.parked.push(env);
      else this.deliver(env);
    }
  }

  private advertisedHttp(): string | undefined {
    if (this.options.advertiseHttp) return this.options.advertiseHttp;
    const h = this.options.http;
    if (!h) return undefined;
    if (h.host !== "0.0.0.0" && h.host !== "::") return `${h.host}:${h.port}`;
    // Bound to every interface: advertise an address others can dial (a container's IP), not 0.0.0.0.
    const ip = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    return `${ip ?? hostname()}:${h.port}`;
  }

  private knownMembers = new Set<string>();
  private departed(view: MembershipView): string[] {
    const now = new Set(view.members.map((m) => m.id));
    const gone = [...this.knownMembers].filter((id) => !now.has(id));
    this.knownMembers = now;
    return gone;
  }

  // Writes every sink's buffered outputs to its connection; false when one could not (disconnected).
  private async flushOutputs(timeoutMs = 2_000): Promise<boolean> {
    const done = await Promise.all([...this.sinks.values()].map((s) => s.flush(timeoutMs)));
    return done.every(Boolean);
  }

  private writeSink(sink: string, payload: Uint8Array, acceptedMs: number): void {
    if (this.suspended || this.rejoining || performance.now() > this.leaseUntil) {
      // An async step that finished after the lease ran out: written if the lease is renewed, else dropped.
      this.suspendedOutputs.push({ sink, payload, acceptedMs });
      this.suspend();
      return;
    }
    this.sinks.get(sink)!.write(payload);
    this.latency.record(nowMs() - acceptedMs);
  }

  private wireContext(): WireContext {
    return {
      payloadOf: (env) => {
        if (env.payload) return env.payload;
        const stage = this.apps.get(env.app)!.app.stages[env.stage] as StateStageDef;
        if (stage.input === "frame") throw new Error(`envelope for ${env.app} stage ${stage.name} lost its frame`);
        return (env.payload = stage.input.encode(env.value));
      },
      encodeState: (app, partition, state) => this.partitionOf(app, partition).state.codec.encode(state),
      decodeState: (app, partition, bytes) => this.partitionOf(app, partition).state.codec.decode(bytes),
    };
  }

  private partitionOf(app: string, partition: string): Application["partitions"][number] {
    const a = this.apps.get(app);
    const p = a?.app.partitions.find((x) => x.name === partition);
    if (!p) throw new ConfigError(`app "${app}" has no state partition "${partition}" on node ${this.id}`);
    return p;
  }
}

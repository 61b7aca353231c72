// Over 300 lines: the composition root. It builds the node's parts and wires their narrow host
// interfaces (most of its lines), starts them in order and stops them in reverse; each part is its own file.
import type { MembershipView, NodeState } from "../cluster/membership.js";
import { assertTransition } from "../cluster/membership.js";
import type { ActorHost } from "../actors/actor-host.js";
import { checkNodeId } from "../cluster/node-id.js";
import { Router } from "../cluster/router.js";
import {
  DEFAULT_BATCH_MAX_DELAY_MS,
  DEFAULT_BATCH_MAX_ENVELOPES,
  DEFAULT_HANDOFF_TIMEOUT_MS,
  DEFAULT_HIGH_WATER_BYTES,
  DEFAULT_HIGH_WATER_ENVELOPES,
  DEFAULT_MAX_ACTORS,
  DEFAULT_MAX_EVICTING,
  DEFAULT_MAX_PARKED_ENVELOPES,
  DEFAULT_SNAPSHOT_INTERVAL_MS,
} from "../defaults.js";
import { ConfigError, LifecycleError, TroupeError } from "../errors.js";
import { Backpressure } from "../io/backpressure.js";
import type { SinkWriter } from "../io/sink-writer.js";
import type { TcpSource } from "../io/tcp-source.js";
import { createLogger, LogRateLimiter, type Logger } from "../logger.js";
import { DeadLetters, type ReplayTarget } from "../observability/dead-letters.js";
import { HttpServer } from "../observability/http-server.js";
import { Dashboard } from "../observability/dashboard/dashboard.js";
import { ProcessHealth } from "../observability/process-health.js";
import { LatencyHistogram } from "../observability/latency-histogram.js";
import { MemoryStateStore, type StateStore } from "../state/state-store.js";
import type { EventLog } from "../state/event-log.js";
import type { ControlMessage, Envelope, StateMode, Address } from "../types.js";
import type { AppRuntime } from "./app-runtime.js";
import { advertisedHttp } from "./advertise.js";
import { appRuntimes } from "./app-set.js";
import { clusterInfo, type ClusterInfo } from "./cluster-info.js";
import { Dispatcher } from "./dispatcher.js";
import { drain } from "./drain.js";
import { DurableSlots } from "./durable-slots.js";
import { HandoffCoordinator } from "../rebalance/handoff-coordinator.js";
import { WarmJoins } from "./warm-joins.js";
import { Ingress } from "./ingress.js";
import type { Origin } from "./origin.js";
import { Intake } from "./intake.js";
import { MembershipSeat, type HeldOutput } from "./membership-seat.js";
import type { NodeOptions } from "./node-options.js";
import { NodeMetrics } from "./node-metrics.js";
import type { NodeStatus } from "./node-status.js";
import { SinkSet } from "./sink-set.js";
import { StateLookup } from "./state-lookup.js";
import type { SlotTable } from "../rebalance/slot-table.js";
import { wireContext } from "./wire-context.js";
import { WriteBehind } from "./write-behind.js";
import { wallClockMs } from "../util/wall-clock.js";

const nowMs = wallClockMs;

/**
 * One cluster node: the composition root. `Node.create()` wires the parts (ingress, dispatcher,
 * handoff, membership seat, intake gate, write-behind, sinks); `start()` starts them in order and
 * joins, `drain()` hands every slot off and leaves, `stop()` stops them in reverse order.
 */
export class Node implements NodeStatus {
  readonly id: string;
  readonly log: Logger;
  readonly apps = new Map<string, AppRuntime>();
  readonly store: StateStore;
  readonly mode: StateMode;
  readonly deadLetters: DeadLetters;
  readonly latency = new LatencyHistogram();
  /** How long each slot was paused by a handoff (ms). */
  readonly pauses = new LatencyHistogram();
  /** This process's event-loop delay and GC pauses. */
  readonly health = new ProcessHealth();
  readonly backpressure = new Backpressure();
  readonly router: Router;
  readonly handoff: HandoffCoordinator;
  /** Warm joins: pre-copies to joining members, and this node's own (warm-joins.ts). */
  readonly warm: WarmJoins;
  readonly metrics: NodeMetrics;
  /** Durable mode: the event log and the reading of owned slots. */
  readonly eventLog: EventLog | undefined;
  readonly durable: DurableSlots | undefined;
  /** Random per process start (part of plain connections' event ids in durable mode). */
  readonly incarnation = Math.random().toString(36).slice(2, 10);
  /** The parts, one job each. */
  readonly seat: MembershipSeat;
  readonly dispatcher: Dispatcher;
  readonly ingress: Ingress;
  readonly intake: Intake;
  readonly writeBehind: WriteBehind;
  /** Answers `GET /state/...` and, with NATS, other nodes' lookups (`nats/state-query.ts`). */
  readonly stateLookup: StateLookup;
  /** `/dashboard`: rate history, hot keys, the live feed. */
  readonly dashboard: Dashboard;
  private sinks: SinkSet | undefined;
  private state: NodeState = "created";
  private http: HttpServer | undefined;
  /** Dead letters taken back in. */
  reinjected = 0;
  // Settles once the node has stopped, however it came to (stop(), drain(), a remote `troupe drain`).
  private markStopped!: () => void;
  private readonly whenStopped = new Promise<void>((resolve) => (this.markStopped = resolve));
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
    const maxActors = options.maxActors ?? DEFAULT_MAX_ACTORS;
    this.router = new Router(options.transport, { maxBatch: options.batchMaxEnvelopes ?? DEFAULT_BATCH_MAX_ENVELOPES, maxDelayMs: options.batchMaxDelayMs ?? DEFAULT_BATCH_MAX_DELAY_MS });
    this.seat = new MembershipSeat({
      nodeId: this.id,
      log: this.log,
      membership: options.membership,
      active: () => this.state === "running" || this.state === "draining",
      applyView: (view) => this.handoff.applyView(view),
      fence: () => {
        this.warm.fenced();
        return this.handoff.fence();
      },
      park: (envs) => this.dispatcher.park(envs),
      resume: (events, outputs) => this.resume(events, outputs),
      intakeChanged: () => this.intake.changed(),
      advertisedHttp: () => advertisedHttp(options.advertiseHttp, options.http),
      warmJoin: options.warmJoin === true,
    });
    this.addApps(maxActors);
    this.durable = this.eventLog
      ? new DurableSlots({
          nodeId: this.id,
          log: this.log.child({ component: "durable" }),
          apps: this.apps,
          eventLog: this.eventLog,
          epoch: () => this.handoff.epoch,
          trims: () => this.handoff.view.members.map((m) => m.id).sort()[0] === this.id,
          flushOutputs: () => this.flushOutputs(),
          mayAct: () => this.seat.mayAct(),
          mayDeliver: () => this.intake.mayDeliver(),
        })
      : undefined;
    this.dispatcher = new Dispatcher({
      nodeId: this.id,
      apps: this.apps,
      router: this.router,
      transport: options.transport,
      deadLetters: this.deadLetters,
      seat: this.seat,
      handoff: () => this.handoff,
      durable: this.durable,
    });
    this.warm = new WarmJoins({
      nodeId: this.id,
      log: this.log.child({ component: "warm-join" }),
      apps: this.apps,
      transport: options.transport,
      membership: options.membership,
      mode: this.mode,
      timeoutMs: options.preCopyTimeoutMs,
      mayAct: () => this.seat.mayAct(),
    });
    this.handoff = new HandoffCoordinator({
      nodeId: this.id,
      log: this.log.child({ component: "handoff" }),
      apps: this.apps,
      transport: options.transport,
      router: this.router,
      mode: this.mode,
      timeoutMs: options.handoffTimeoutMs ?? DEFAULT_HANDOFF_TIMEOUT_MS,
      deliver: (env) => this.dispatcher.deliver(env),
      paused: (ms) => {
        this.pauses.record(ms);
        this.metrics.handoffPause.observe(ms / 1000);
      },
      viewApplied: (view: MembershipView) => {
        this.dispatcher.viewApplied(view);
        this.warm.viewApplied(view);
      },
      preCopy: this.warm.preCopy,
      staging: this.warm.staging,
      flushOutputs: () => this.flushOutputs(1_000),
      mayAct: () => this.seat.mayAct(),
      slotsChanged: this.durable ? () => this.durable!.poke() : undefined,
      settle: this.durable ? (app, partition, slot, held, idle, travelling) => this.durable!.handoff(app, partition, slot, held, idle, travelling) : undefined,
      handedOver: this.durable ? (app, partition, slot, offset) => this.durable!.handedOver(app, partition, slot, offset) : undefined,
    });
    this.ingress = new Ingress({ nodeId: this.id, incarnation: this.incarnation, log: this.log, apps: this.apps, options, backpressure: this.backpressure, deadLetters: this.deadLetters, eventLog: this.eventLog });
    this.writeBehind = new WriteBehind({ log: this.log, apps: this.apps, deadLetters: this.deadLetters, durable: this.durable, epoch: () => this.handoff.epoch, mayAct: () => this.seat.mayAct(), flushOutputs: () => this.flushOutputs() });
    // Passivation writes slower than activations would pile evicted actors up beyond the actor bound.
    this.intake = new Intake({ transport: options.transport, seat: this.seat, backpressure: this.backpressure, sinksHigh: () => this.sinks?.anyHigh() ?? false, evicting: () => this.evictingCount(), accepting: () => this.durable?.poke() }, Math.min(DEFAULT_MAX_EVICTING, maxActors));
    this.addProbes();
    this.metrics = new NodeMetrics(this);
    this.stateLookup = new StateLookup(this);
    this.dashboard = new Dashboard(this, this.stateLookup, this.log.child({ component: "dashboard" }), options.httpToken);
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
    return this.state === "running" && this.handoff.epoch > 0 && this.handoff.inTransition() === 0 && !this.warm.joining;
  }

  /** Where each source listens (after start). */
  get sourceAddressesBound(): ReadonlyMap<string, Address> {
    return this.ingress.addresses;
  }

  /** Where the HTTP server listens (after start), if any. */
  get httpAddress(): Address | undefined {
    return this.http?.address;
  }

  /** Starts every stage in order: sinks, transport, event log, membership (join), readers, sources, HTTP, write-behind. */
  async start(): Promise<void> {
    assertTransition(this.state, "starting");
    this.state = "starting";
    this.log.info({ apps: [...this.apps.keys()], mode: this.mode, transport: this.options.transport.kind }, "node starting");
    try {
      this.health.start();
      this.dashboard.start();
      this.sinks = new SinkSet(this.apps, this.options.sinks ?? {}, this.log, this.backpressure);
      await this.sinks.start();
      const wire = wireContext(this.id, this.apps);
      await this.options.transport.start(this.id, { onBatch: (_from, envs) => this.dispatcher.onBatch(envs), onControl: (from, msg) => this.onControl(from, msg) }, wire);
      await this.eventLog?.open([...this.apps.keys()], wire);
      await this.seat.join();
      this.durable?.start();
      await this.ingress.open();
      this.intake.start();
      if (this.options.http) {
        this.http = new HttpServer(this, this.log.child({ component: "http" }), this.options.httpToken, this.dashboard.routes);
        await this.http.start(this.options.http);
      }
    } catch (err) {
      // A Troupe error (bad configuration, say) is the caller's to report, once, as message and code: its
      // stack helps only at debug. Anything else is a fault worth its stack here.
      if (err instanceof TroupeError) this.log.debug({ err }, "node failed to start; stopping what started");
      else this.log.error({ err }, "node failed to start; stopping what started");
      this.state = "stopping";
      await this.teardown();
      this.state = "stopped";
      this.markStopped();
      throw err;
    }
    this.state = "running";
    if (this.mode !== "memory") this.writeBehind.start(this.options.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS);
    this.log.info({ epoch: this.handoff.epoch, sources: Object.fromEntries(this.ingress.addresses) }, "node started");
    // A node without sources still owns slots and runs steps for events other nodes route to it; say so,
    // since a forgotten --source looks the same as an idle cluster.
    if (this.ingress.addresses.size === 0 && [...this.apps.values()].some((a) => a.app.sources.size > 0)) {
      this.log.warn({ appSources: [...this.apps.values()].flatMap((a) => [...a.app.sources.keys()]) }, "node has no sources: it takes no input of its own (pass --source NAME=HOST:PORT to accept events here)");
    }
  }

  /** Graceful leave: stop accepting, hand every slot off, flush sinks, leave the cluster, stop. */
  async drain(timeoutMs = 30_000): Promise<void> {
    assertTransition(this.state, "draining");
    this.state = "draining";
    const o = this.options;
    await drain({ nodeId: this.id, log: this.log, apps: this.apps, membership: o.membership, transport: o.transport, router: this.router, handoff: this.handoff, ingress: this.ingress, sinks: this.sinks!, writeBehind: this.writeBehind, durable: this.durable !== undefined, ownedSlots: () => this.ownedSlots() }, timeoutMs);
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
    this.markStopped();
  }

  /** Resolves once the node has stopped (after `stop()`, a drain, or a drain requested remotely). */
  stopped(): Promise<void> {
    return this.whenStopped;
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
    return this.sumOverHosts((h) => h.size);
  }

  /** Actors waiting for the node to act again (its lease ran out), across apps and partitions. */
  stalledActors(): number {
    return this.sumOverHosts((h) => h.stalledCount);
  }

  /** Evicted actors not yet passive, across apps and partitions. */
  evictingCount(): number {
    return this.sumOverHosts((h) => h.evictingCount);
  }

  // A count summed over every actor host (each app's partitions): read at scrape time, not per event.
  private sumOverHosts(count: (h: ActorHost) => number): number {
    let n = 0;
    for (const app of this.apps.values()) for (const h of app.hosts) n += count(h);
    return n;
  }

  /** The sink writers (by sink name; empty before start). */
  sinkWriters(): ReadonlyMap<string, SinkWriter> {
    return this.sinks?.writers ?? new Map();
  }

  /** The TCP sources (after start). */
  tcpSources(): readonly TcpSource[] {
    return this.ingress.sources;
  }

  /** The transport, for its counters and gauges. */
  get transport(): NodeOptions["transport"] {
    return this.options.transport;
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

  /** Write-behind now: stores the state of every dirty actor (snapshot and durable modes); resolves with how many. */
  snapshot(): Promise<number> {
    return this.writeBehind.round();
  }

  /** Clears the distributions `/cluster` shows (latency, handoff pauses, event-loop delay, GC, acknowledgement round trips); counters stay. */
  resetStats(): void {
    this.latency.reset();
    this.pauses.reset();
    this.health.reset();
    this.options.transport.ackRtt?.reset();
  }

  private async teardown(): Promise<void> {
    this.health.stop();
    this.dashboard.close();
    this.intake.stop();
    this.writeBehind.stop();
    this.seat.close();
    await this.http?.close().catch(() => undefined);
    await this.ingress.close();
    this.durable?.close();
    this.warm.close();
    this.handoff.close();
    this.router.close();
    await this.options.membership.close().catch((err: unknown) => this.log.warn({ err }, "membership close failed"));
    await this.eventLog?.close().catch((err: unknown) => this.log.warn({ err }, "event log close failed"));
    await this.options.transport.close().catch((err: unknown) => this.log.warn({ err }, "transport close failed"));
    await this.sinks?.close();
    for (const app of this.apps.values()) for (const h of app.hosts) h.clear();
    await this.store.close().catch(() => undefined);
  }

  private addApps(maxActors: number): void {
    const services = {
      nodeId: this.id,
      store: this.store,
      maxActors,
      deadLetters: this.deadLetters,
      epoch: () => this.handoff.epoch,
      route: (env: Envelope, st: SlotTable, origin: Origin | undefined) => (this.eventLog ? this.ingress.append(env, origin) : this.dispatcher.route(env, st)),
      writeSink: (sink: string, payload: Uint8Array, acceptedMs: number) => this.writeSink(sink, payload, acceptedMs),
      beforeWrite: this.mode === "durable" ? () => this.flushOutputs() : undefined,
      mayRun: () => this.seat.mayAct(),
      actorIdle: () => this.handoff.wake(),
      actorEvicted: () => this.intake.poke(),
      hotKeys: this.options.hotKeys !== false,
      storeFailed: (app: string, key: string, err: unknown) => {
        const s = this.storeLogLimiter.allow();
        if (s >= 0) this.log.warn({ app, key: key.length > 80 ? `${key.slice(0, 60)}...` : key, err: (err as Error).message, suppressed: s }, "state store read or write failed; retrying");
      },
      applied: this.options.onApplied
        ? (app: string, partition: string, env: Envelope) =>
            this.options.onApplied!({ node: this.id, app, partition, slot: env.slot, epoch: this.handoff.epoch, key: env.key, source: env.source, seq: env.seq })
        : undefined,
    };
    for (const [name, app] of appRuntimes(this.options.apps, services, this.id)) this.apps.set(name, app);
  }

  // Sources pause while any of these is over its mark (every queue has a bound).
  private addProbes(): void {
    const o = this.options;
    const hwm = o.highWaterEnvelopes ?? DEFAULT_HIGH_WATER_ENVELOPES;
    const hwmBytes = o.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;
    this.backpressure.addProbe(() => o.transport.inFlight() + this.router.queued() + (this.eventLog?.pending() ?? 0) > hwm);
    this.backpressure.addProbe(() => (o.transport.inFlightBytes?.() ?? 0) + (this.eventLog?.pendingBytes() ?? 0) > hwmBytes);
    // A suspended or rejoining node reads nothing more from its sources until it acts again.
    this.backpressure.addProbe(() => !this.seat.takesIn());
    this.backpressure.addProbe(() => this.dispatcher.parkedCount() > DEFAULT_MAX_PARKED_ENVELOPES);
  }

  private onControl(from: string, msg: ControlMessage): void {
    switch (msg.type) {
      case "epoch-ack":
        this.handoff.onAck(from, msg.epoch);
        break;
      case "handoff-done":
        this.handoff.onHandoffDone(msg);
        // Coalesced: a rebalance brings many handoffs at once, and each reconcile may restart a reader.
        this.durable?.poke();
        this.dispatcher.redeliverParked();
        break;
      case "drain":
        if (msg.nodeId === this.id && this.state === "running") {
          this.log.info({ from }, "drain requested");
          this.drain().catch((err: unknown) => this.log.error({ err }, "drain failed"));
        }
        break;
      default:
        this.warm.onControl(from, msg); // pre-copy messages (warm-joins.ts)
    }
  }

  // The lease was renewed while this node was still a member: what waited runs, oldest first.
  private resume(events: readonly Envelope[], outputs: readonly HeldOutput[]): void {
    // The held outputs first: their events ran before anything that waited, and a key's outputs keep its order.
    for (const o of outputs) this.writeSink(o.sink, o.payload, o.acceptedMs);
    for (const app of this.apps.values()) for (const h of app.hosts) h.kick();
    for (const env of events) this.dispatcher.deliver(env);
    this.durable?.reconcile();
    // A handoff (or a pre-copy) that waited for the lease can go now.
    this.handoff.wake();
    this.warm.preCopy.pump();
  }

  private writeSink(sink: string, payload: Uint8Array, acceptedMs: number): void {
    if (!this.seat.mayAct()) {
      // An async step that finished after the lease ran out: written if the lease is renewed, else dropped.
      this.seat.holdOutput({ sink, payload, acceptedMs });
      return;
    }
    // Only a write fills a sink: the intake gate looks (and keeps looking until it drains) once one is
    // over its mark, not after every output (which kept its 5 ms look running: ~200 looks a second per node).
    if (this.sinks!.write(sink, payload)) this.intake.poke();
    this.latency.record(nowMs() - acceptedMs);
  }

  // Writes every sink's buffered outputs to its connection; false when one could not (disconnected).
  private flushOutputs(timeoutMs = 2_000): Promise<boolean> {
    return this.sinks ? this.sinks.flush(timeoutMs) : Promise.resolve(true);
  }
}

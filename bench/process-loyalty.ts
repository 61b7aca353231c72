// The loyalty workload through node processes on one NATS server, and a live 1 -> 2 rebalance.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { appendFileSync } from "node:fs";
import type { WorkloadSpec } from "../apps/loyalty/workload.js";
import type { ClusterInfo } from "../runtime/node/cluster-info.js";
import { ProcessCluster, type NodeProcess } from "../runtime/testing/process-cluster.js";
import type { ClickToEmail, DriverMessage, DriverStart, DriverWindow } from "./loyalty-driver.js";

/** One measured run through node processes. */
export interface ProcessRun {
  eventsPerSecond: number;
  seconds: number;
  /** Source read to sink write, the worst node's quantiles (ms). */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Click written to email received, as the driver (an outside client) saw it. */
  clickToEmail: ClickToEmail;
  /**
   * The nodes' own view: worst event-loop delay p99 and max, longest GC pause, ack round-trip p99 (ms), mean batch
   * size, and the CPU time of all nodes together per measured click (µs): steadier than throughput on a shared machine.
   */
  nodes: { eventLoopP99Ms: number; eventLoopMaxMs: number; gcMaxMs: number; gcPauseMs: number; ackRttP99Ms: number; meanBatch: number; cpuPerEventUs: number };
  /** The driver's CPU time per measured click (µs): what the outside world took of the same cores. */
  driverCpuPerClickUs: number;
  emails: number;
  expected: number;
}

/** A driver child process and a way to await its messages. */
export async function startDriver(spec: WorkloadSpec): Promise<{ child: ChildProcess; next: () => Promise<DriverMessage>; sink: { host: string; port: number } }> {
  const child = fork(fileURLToPath(new URL("./loyalty-driver.js", import.meta.url)), { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: (process.env.TROUPE_BENCH_DRIVER_FLAGS ?? "").split(/\s+/).filter(Boolean) });
  const queue: DriverMessage[] = [];
  let wake: (() => void) | undefined;
  child.on("message", (m: DriverMessage) => {
    queue.push(m);
    wake?.();
  });
  const next = async () => {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    return queue.shift()!;
  };
  child.send({ type: "init", spec });
  const sink = (await next()) as Extract<DriverMessage, { type: "sink" }>;
  return { child, next, sink: { host: sink.host, port: sink.port } };
}

// A CPU profile is written when a process exits by itself: with profiles on, the nodes are drained, not killed.
async function drainIfProfiling(cluster: ProcessCluster): Promise<void> {
  if (process.env.TROUPE_BENCH_PROFILE) await Promise.all([...cluster.nodes.keys()].map((id) => cluster.terminate(id).catch(() => undefined)));
}

// TROUPE_BENCH_PROFILE=dir: each node process writes a CPU profile there when it exits.
// TROUPE_BENCH_NODE_FLAGS="--flag ...": extra Node.js flags for every node process (e.g. GC settings to compare).
// TROUPE_BENCH_NODE_STDOUT=file: the node processes' stdout, where V8's trace flags write (e.g. --trace-gc), appended to file.
function profileFlags(): string[] {
  const dir = process.env.TROUPE_BENCH_PROFILE;
  const extra = (process.env.TROUPE_BENCH_NODE_FLAGS ?? "").split(/\s+/).filter(Boolean);
  return [...extra, ...(!dir ? [] : ["--cpu-prof", `--cpu-prof-dir=${dir}`, ...(process.env.TROUPE_BENCH_PROFILE_INTERVAL_US ? [`--cpu-prof-interval=${process.env.TROUPE_BENCH_PROFILE_INTERVAL_US}`] : [])])];
}

function stdoutTo(): ((nodeId: string, text: string) => void) | undefined {
  const file = process.env.TROUPE_BENCH_NODE_STDOUT;
  if (!file) return undefined;
  return (nodeId, text) => appendFileSync(file, text.replace(/^(?=.)/gm, `${nodeId} `));
}

/** Sum of a step's applied count over node infos. */
export function appliedOf(infos: readonly ClusterInfo[], step: string): number {
  return infos.reduce((a, i) => a + i.apps.reduce((b, app) => b + (app.steps[step] ?? 0), 0), 0);
}

async function infos(nodes: Iterable<NodeProcess>): Promise<ClusterInfo[]> {
  return Promise.all([...nodes].map((n) => n.info()));
}

// `next`, failing as soon as one of `nodes` exits (the cluster's stop at the end kills them: after the run, it is ignored).
function untilOneDies(nodes: readonly NodeProcess[], next: () => Promise<DriverMessage>): () => Promise<DriverMessage> {
  const died = new Promise<never>((_, reject) => {
    for (const n of nodes) n.proc.once("exit", (code, signal) => reject(new Error(`node ${n.id} exited (${code ?? signal}) during the benchmark; its last log lines:\n${n.logs.slice(-20).join("\n")}`)));
  });
  died.catch(() => undefined);
  return () => Promise.race([next(), died]);
}

/**
 * Runs the clicks of `spec` through `nodes` node processes at `rate` (0: as fast as it goes). The first
 * `warmupClicks` are not measured (default: a second's worth, at most a quarter of them).
 */
export async function runProcessLoyalty(natsUrl: string, nodes: number, spec: WorkloadSpec, rate: number, state: "memory" | "snapshot" | "durable" = "memory", connections = 3, warmupClicks?: number): Promise<ProcessRun> {
  const warmup = warmupClicks ?? Math.round(Math.min(spec.clicks / 4, rate > 0 ? rate : 50_000));
  const driver = await startDriver(spec);
  const cluster = new ProcessCluster({ nats: natsUrl, apps: ["loyalty"], sinks: { emails: `${driver.sink.host}:${driver.sink.port}` }, env: { TROUPE_LOG_LEVEL: "warn" }, args: ["--cluster", `bench${Date.now() % 100000}`, "--state", state], nodeFlags: profileFlags(), onStdout: stdoutTo() });
  try {
    for (let i = 0; i < nodes; i++) await cluster.addNode({ sources: i === 0 ? ["loyal", "clicks"] : ["clicks"] });
    await cluster.waitForStable();
    const ns = [...cluster.nodes.values()];
    // A node that dies mid-run ends the run with its last log lines (the driver would wait for its emails for good).
    const next = untilOneDies(ns, driver.next);
    const start: DriverStart = {
      type: "start",
      spec,
      loyal: { host: "127.0.0.1", port: ns[0]!.sources.loyal! },
      clicks: ns.map((n) => ({ host: "127.0.0.1", port: n.sources.clicks! })),
      rate,
      connections,
      warmup,
    };
    driver.child.send(start);
    const loyal = (await next()) as Extract<DriverMessage, { type: "loyal-sent" }>;
    while (appliedOf(await infos(ns), "saveLoyalCustomer") < loyal.count) await new Promise((r) => setTimeout(r, 20));
    // About a second of clicks first, unmeasured: the nodes' code is compiled and their buffers grown
    // before the figures start (a cold start's tail is a different question from steady state's).
    driver.child.send({ type: "clicks" });
    await next(); // warm
    await Promise.all(ns.map((n) => n.resetStats()));
    // No polling while the clicks flow (it would load the nodes it measures): the driver times the run,
    // from its first measured click written to its last email received.
    driver.child.send({ type: "go" });
    const done = (await next()) as Extract<DriverMessage, { type: "done" }>;
    const last = await infos(ns);
    if (process.env.TROUPE_BENCH_DEBUG) for (const i of last) console.log(JSON.stringify({ node: i.node, latency: i.latency, process: i.process, batches: i.batches, ...i.transport }));
    const worst = (f: (i: ClusterInfo) => number) => Math.max(...last.map(f));
    const seconds = (done.lastEmailMs - done.firstClickMs) / 1000;
    return {
      eventsPerSecond: (spec.clicks - warmup) / seconds,
      seconds,
      p50Ms: worst((i) => i.latency.p50Ms),
      p99Ms: worst((i) => i.latency.p99Ms),
      p999Ms: worst((i) => i.latency.p999Ms),
      maxMs: worst((i) => i.latency.maxMs),
      clickToEmail: done.clickToEmail,
      nodes: {
        eventLoopP99Ms: worst((i) => i.process.eventLoopDelay.p99Ms),
        eventLoopMaxMs: worst((i) => i.process.eventLoopDelay.maxMs),
        gcMaxMs: worst((i) => i.process.gc.maxMs),
        gcPauseMs: worst((i) => i.process.gc.pauseMs),
        ackRttP99Ms: worst((i) => i.batches.ackRtt?.p99Ms ?? 0),
        meanBatch: last.reduce((a, i) => a + i.batches.meanEnvelopes, 0) / last.length,
        cpuPerEventUs: (last.reduce((a, i) => a + i.process.cpu.userMs + i.process.cpu.systemMs, 0) * 1000) / (spec.clicks - warmup),
      },
      driverCpuPerClickUs: (done.cpuMs * 1000) / (spec.clicks - warmup),
      emails: done.emails,
      expected: done.expected,
    };
  } finally {
    await drainIfProfiling(cluster);
    await cluster.stop();
    driver.child.send({ type: "exit" });
  }
}

/** What a live rebalance under load measured. */
export interface RebalanceRun {
  actors: number;
  /** The switch: from the epoch that moved slots to the last handoff (the longer node's). */
  rebalanceMs: number;
  /** The warm join before it: the 2nd node joining (owning nothing) while its future slots were pre-copied. */
  precopyMs: number;
  /** Bytes of actor state the 1st node sent (pre-copy and handoffs). */
  stateBytes: number;
  pauseP50Ms: number;
  pauseP99Ms: number;
  pauseMaxMs: number;
  eventsPerSecondDuringMove: number;
  emails: number;
  expected: number;
}

// TROUPE_BENCH_DEBUG=1 (info) or =debug: the nodes' lifecycle lines, or their handoff-by-handoff lines too.
function benchLogLevel(): string {
  const v = process.env.TROUPE_BENCH_DEBUG;
  if (!v) return "warn";
  return v === "debug" || v === "trace" ? v : "info";
}

/** `actors` active actors on one node; clicks flow at `rate`; a second node joins; what did the move cost? */
export async function runRebalance(natsUrl: string, actors: number, rate: number, state: "memory" | "snapshot" | "durable" = "memory"): Promise<RebalanceRun> {
  const spec: WorkloadSpec = { customers: actors, loyalFraction: 1, clicks: rate * 8, seed: 3 };
  const driver = await startDriver(spec);
  const cluster = new ProcessCluster({ nats: natsUrl, apps: ["loyalty"], sinks: { emails: `${driver.sink.host}:${driver.sink.port}` }, env: { TROUPE_LOG_LEVEL: benchLogLevel() }, args: ["--cluster", `rebal${Date.now() % 100000}`, "--state", state], nodeFlags: profileFlags() });
  try {
    const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
    driver.child.send({ type: "start", spec, loyal: { host: "127.0.0.1", port: n1.sources.loyal! }, clicks: { host: "127.0.0.1", port: n1.sources.clicks! }, rate, connections: 1 } satisfies DriverStart);
    const loyal = (await driver.next()) as Extract<DriverMessage, { type: "loyal-sent" }>;
    while (appliedOf([await n1.info()], "saveLoyalCustomer") < loyal.count) await new Promise((r) => setTimeout(r, 20));
    // Snapshot and durable: let write-behind store the loyal records first (a steady state, not a backlog of 100k writes).
    if (state !== "memory") while ((await n1.info()).stateStore.writes < loyal.count) await new Promise((r) => setTimeout(r, 50));
    const active = (await n1.info()).activeActors;
    driver.child.send({ type: "clicks" });
    await new Promise((r) => setTimeout(r, 2000)); // steady load before the move
    const before = appliedOf([await n1.info()], "checkLoyalClick");
    const t0 = performance.now();
    const n2 = await cluster.addNode({ waitReady: false });
    let i1: ClusterInfo;
    let i2: ClusterInfo;
    for (;;) {
      [i1, i2] = await Promise.all([n1.info(), n2.info().catch(() => undefined as unknown as ClusterInfo)]);
      if (i2 && i1.epoch === i2.epoch && i1.members.length === 2 && i1.slotsInHandoff === 0 && i2.slotsInHandoff === 0 && i2.handoff.count > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const t1 = performance.now();
    if (process.env.TROUPE_BENCH_DEBUG) for (const n of [n1, n2]) for (const l of n.logs) if (/epoch changed|rebalance complete|joined|node started|handoff|flushed/.test(l)) console.log(l.slice(0, 260));
    const during = appliedOf([i1, i2], "checkLoyalClick") - before;
    const done = (await driver.next()) as Extract<DriverMessage, { type: "done" }>;
    return {
      actors: active,
      rebalanceMs: Math.max(i1.handoff.lastRebalanceMs, i2.handoff.lastRebalanceMs),
      precopyMs: i2.handoff.warmJoin.lastJoinMs,
      stateBytes: i1.handoff.stateBytesSent,
      pauseP50Ms: i2.handoff.p50Ms,
      pauseP99Ms: i2.handoff.p99Ms,
      pauseMaxMs: i2.handoff.maxMs,
      eventsPerSecondDuringMove: during / ((t1 - t0) / 1000),
      emails: done.emails,
      expected: done.expected,
    };
  } finally {
    await drainIfProfiling(cluster);
    await cluster.stop();
    driver.child.send({ type: "exit" });
  }
}

/** What an outside client saw while a node joined a loaded cluster. */
export interface JoinRun {
  /** Every measured click, written to its email received (ms). */
  clickToEmail: ClickToEmail;
  /** The clicks written between the 4th node's start and the cluster agreeing on the new epoch with no slot in handoff. */
  duringMove: ClickToEmail;
  moveMs: number;
  emails: number;
  expected: number;
  duplicates: number;
  missing: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 3 node processes take clicks at `rate` over `customers` (all loyal); about 2 s in, a 4th node joins: what does a click cost meanwhile? */
export async function runJoinUnderLoad(natsUrl: string, o: { customers: number; rate: number; state: "memory" | "snapshot" | "durable"; seconds?: number; joinAfterMs?: number }): Promise<JoinRun> {
  // A second of clicks warms the 3 nodes up, unmeasured; the 4th node is cold by nature, that is what is measured.
  const warmup = o.rate;
  const spec: WorkloadSpec = { customers: o.customers, loyalFraction: 1, clicks: warmup + o.rate * (o.seconds ?? 8), seed: 7 };
  const driver = await startDriver(spec);
  const cluster = new ProcessCluster({ nats: natsUrl, apps: ["loyalty"], sinks: { emails: `${driver.sink.host}:${driver.sink.port}` }, env: { TROUPE_LOG_LEVEL: benchLogLevel() }, args: ["--cluster", `join${Date.now() % 100000}`, "--state", o.state] });
  try {
    for (let i = 0; i < 3; i++) await cluster.addNode({ sources: i === 0 ? ["loyal", "clicks"] : ["clicks"] });
    await cluster.waitForStable();
    const ns = [...cluster.nodes.values()];
    const clicks = ns.map((n) => ({ host: "127.0.0.1", port: n.sources.clicks! }));
    driver.child.send({ type: "start", spec, loyal: { host: "127.0.0.1", port: ns[0]!.sources.loyal! }, clicks, rate: o.rate, connections: 3, warmup } satisfies DriverStart);
    const loyal = (await driver.next()) as Extract<DriverMessage, { type: "loyal-sent" }>;
    await loyalSettled(ns, loyal.count, o.state);
    driver.child.send({ type: "clicks" });
    await driver.next(); // warm
    driver.child.send({ type: "go" });
    await sleep(o.joinAfterMs ?? 2000); // steady load before the join
    const fromMs = performance.timeOrigin + performance.now();
    await cluster.addNode({ waitReady: false });
    await joined([...cluster.nodes.values()]);
    const toMs = performance.timeOrigin + performance.now();
    if (process.env.TROUPE_BENCH_DEBUG) for (const n of cluster.nodes.values()) for (const l of n.logs) if (/epoch changed|rebalance complete|joined|node started|handoff|flushed/.test(l)) console.log(l.slice(0, 260));
    const done = (await driver.next()) as Extract<DriverMessage, { type: "done" }>;
    // Asked only after `done`: before it, the driver takes any message as its next step.
    driver.child.send({ type: "window", fromMs, toMs } satisfies DriverWindow);
    const during = (await driver.next()) as Extract<DriverMessage, { type: "window" }>;
    return { clickToEmail: done.clickToEmail, duringMove: during.clickToEmail, moveMs: toMs - fromMs, emails: done.emails, expected: done.expected, duplicates: done.duplicates, missing: done.missing };
  } finally {
    await cluster.stop();
    driver.child.send({ type: "exit" });
  }
}

// The loyal records applied and, in snapshot and durable mode, stored by write-behind too (a steady state, not a backlog of writes).
async function loyalSettled(ns: readonly NodeProcess[], count: number, state: string): Promise<void> {
  while (appliedOf(await infos(ns), "saveLoyalCustomer") < count) await sleep(50);
  if (state === "memory") return;
  while ((await infos(ns)).reduce((a, i) => a + i.stateStore.writes, 0) < count) await sleep(50);
}

// A node at `epoch` with `members` members, no slot in handoff, and owning every slot the epoch gives it.
function settledAt(i: ClusterInfo, epoch: number, members: number): boolean {
  return i.epoch === epoch && i.members.length === members && i.slotsInHandoff === 0 && i.slotsOwned === i.members.find((m) => m.id === i.node)?.slots;
}

// Until every node agrees on the epoch with all of them as members, no slot in handoff, and the newest has received slots.
// Every 50 ms: polling /cluster loads the nodes being measured.
async function joined(ns: readonly NodeProcess[], timeoutMs = 60_000): Promise<void> {
  const newest = ns[ns.length - 1]!;
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const is = await infos(ns).catch(() => undefined); // the newest serves /cluster only once it has started
    if (is && is.every((i) => settledAt(i, is[0]!.epoch, ns.length)) && is[is.length - 1]!.handoff.count > 0) return;
    if (newest.exitCode !== null) throw new Error(`node ${newest.id} exited with ${newest.exitCode}:\n${newest.logs.slice(-20).join("\n")}`);
    await sleep(50);
  }
  throw new Error(`the ${ns.length}th node did not join within ${timeoutMs} ms`);
}

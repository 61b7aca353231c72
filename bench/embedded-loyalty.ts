// Loyalty workload through an embedded 3-node cluster (in-process transport) in this process;
// the load generator and the email sink run in a child process (the outside world).
import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import loyalty from "../apps/loyalty/app.js";
import type { WorkloadSpec } from "../apps/loyalty/workload.js";
import { EmbeddedCluster } from "../runtime/index.js";
import type { DriverMessage, DriverStart } from "./loyalty-driver.js";

/** One measured run. */
export interface LoyaltyRun {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  emails: number;
  expected: number;
  /** Share of the click phase this process's event loop was busy (1 = saturated). */
  busy: number;
  /** CPU time this process spent per click (µs, user + system): steadier than throughput on a shared machine. */
  cpuPerEventUs: number;
}

/** Runs the clicks of `spec` through a fresh embedded cluster at `rate` (0: as fast as it goes); `hotKeys: false` runs the nodes without their hot-keys sketch. */
export async function runEmbeddedLoyalty(spec: WorkloadSpec, rate: number, connections = 4, nodes = 3, hotKeys = true): Promise<LoyaltyRun> {
  // The driver gets Node's defaults (or TROUPE_BENCH_DRIVER_FLAGS), not this process's node flags: as in the nats section.
  const driver = fork(fileURLToPath(new URL("./loyalty-driver.js", import.meta.url)), { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: (process.env.TROUPE_BENCH_DRIVER_FLAGS ?? "").split(/\s+/).filter(Boolean) });
  try {
    const next = messages(driver);
    driver.send({ type: "init", spec });
    const sink = (await next()) as Extract<DriverMessage, { type: "sink" }>;
    const cluster = await EmbeddedCluster.start({
      apps: [loyalty],
      nodes,
      nodeOptions: (id) => ({
        hotKeys,
        sinks: { emails: { host: sink.host, port: sink.port } },
        sources: id === "node-1" ? { loyal: { host: "127.0.0.1", port: 0 }, clicks: { host: "127.0.0.1", port: 0 } } : undefined,
      }),
    });
    try {
      const n1 = cluster.nodes.get("node-1")!;
      const all = [...cluster.nodes.values()];
      const start: DriverStart = { type: "start", spec, loyal: n1.sourceAddressesBound.get("loyal")!, clicks: n1.sourceAddressesBound.get("clicks")!, rate, connections };
      driver.send(start);
      const loyal = (await next()) as Extract<DriverMessage, { type: "loyal-sent" }>;
      const stage = (name: string) => loyalty.stages.findIndex((s) => s.name === name);
      const applied = (step: string) => all.reduce((a, n) => a + (n.apps.get("loyalty")!.counters.stageEvents[stage(step)] ?? 0), 0);
      while (applied("saveLoyalCustomer") < loyal.count) await new Promise((r) => setTimeout(r, 5));
      for (const n of all) n.latency.reset();
      const elu0 = performance.eventLoopUtilization();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      driver.send({ type: "clicks" });
      while (applied("checkLoyalClick") < spec.clicks) await new Promise((r) => setTimeout(r, 1));
      const t1 = performance.now();
      const busy = performance.eventLoopUtilization(elu0).utilization;
      const cpu = process.cpuUsage(cpu0);
      const done = (await next()) as Extract<DriverMessage, { type: "done" }>;
      const seconds = (t1 - t0) / 1000;
      const merged = all.map((n) => n.latency);
      return {
        events: spec.clicks,
        seconds,
        eventsPerSecond: spec.clicks / seconds,
        p50Ms: Math.max(...merged.map((h) => h.quantile(0.5))),
        p99Ms: Math.max(...merged.map((h) => h.quantile(0.99))),
        emails: done.emails,
        expected: done.expected,
        busy,
        cpuPerEventUs: (cpu.user + cpu.system) / spec.clicks,
      };
    } finally {
      await cluster.stop();
    }
  } finally {
    driver.send({ type: "exit" });
  }
}

function messages(child: ChildProcess): () => Promise<DriverMessage> {
  const queue: DriverMessage[] = [];
  let wake: (() => void) | undefined;
  child.on("message", (m: DriverMessage) => {
    queue.push(m);
    wake?.();
  });
  return async () => {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    return queue.shift()!;
  };
}

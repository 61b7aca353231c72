import type { Command } from "commander";
import { EmailSinkReceiver } from "../../apps/loyalty/email-sink.js";
import { runLoadGenerator } from "../../apps/loyalty/load-generator.js";
import { DEFAULT_WORKLOAD, expectedEmails, type WorkloadSpec } from "../../apps/loyalty/workload.js";
import loyaltyApp from "../../apps/loyalty/app.js";
import { EmbeddedCluster } from "../embedded-cluster.js";
import { silentLogger } from "../logger.js";
import { connectNatsCluster } from "../nats/nats-cluster.js";
import { parseIntFlag, parseNumberFlag } from "./options.js";
import { progressLine } from "./progress.js";

/** `troupe demo`: the reference job on one machine: an embedded cluster, a load generator and an email sink. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("run the loyalty reference job on an embedded cluster with a load generator and an email sink")
    .option("--nodes <n>", "nodes in the embedded cluster", "3")
    .option("--customers <n>", "customers", String(DEFAULT_WORKLOAD.customers))
    .option("--loyal-fraction <f>", "fraction of customers that are loyal", String(DEFAULT_WORKLOAD.loyalFraction))
    .option("--clicks <n>", "clicks", String(DEFAULT_WORKLOAD.clicks))
    .option("--seed <n>", "workload seed", String(DEFAULT_WORKLOAD.seed))
    .option("--rate <n>", "events per second (0: unlimited)", "0")
    .option("--timeout <s>", "seconds to wait for every email", "120")
    .option("--nats <url>", "run the nodes' transport and membership on this NATS server (JetStream) instead of in-process")
    .action(async (f: Record<string, string>) => {
      const spec: WorkloadSpec = {
        customers: parseIntFlag(f.customers!, "--customers"),
        loyalFraction: parseNumberFlag(f.loyalFraction!, "--loyal-fraction", 0, 1),
        clicks: parseIntFlag(f.clicks!, "--clicks", 0),
        seed: parseIntFlag(f.seed!, "--seed", 0),
      };
      const nodes = parseIntFlag(f.nodes!, "--nodes", 1, 64);
      const rate = parseIntFlag(f.rate!, "--rate", 0);
      const timeoutMs = parseIntFlag(f.timeout!, "--timeout") * 1000;
      const expected = expectedEmails(spec);
      const sink = new EmailSinkReceiver(expected);
      const sinkAddr = await sink.start();
      const err = process.stderr;
      const nats = f.nats;
      err.write(`troupe demo: ${nodes} nodes ${nats ? `over NATS at ${nats}` : "embedded (in-process transport)"}, ${spec.customers} customers (${Math.round(spec.loyalFraction * 100)}% loyal), ${spec.clicks} clicks\n`);
      // A cluster name of its own, so a demo never mixes with a cluster already on that NATS server.
      const clusterName = `demo-${process.pid}`;
      const cluster = await EmbeddedCluster.start({
        apps: [loyaltyApp],
        nodes,
        connect: nats ? (nodeId) => connectNatsCluster({ url: nats, nodeId, logger: silentLogger(), cluster: clusterName }) : undefined,
        nodeOptions: (id) => ({
          sinks: { emails: sinkAddr },
          sources: {
            ...(id === "node-1" ? { loyal: { host: "127.0.0.1", port: 0 } } : {}),
            ...(id === `node-${Math.min(2, nodes)}` ? { clicks: { host: "127.0.0.1", port: 0 } } : {}),
          },
        }),
      });
      const all = [...cluster.nodes.values()];
      const loyalAddr = all.map((n) => n.sourceAddressesBound.get("loyal")).find(Boolean)!;
      const clicksAddr = all.map((n) => n.sourceAddressesBound.get("clicks")).find(Boolean)!;
      const applied = (step: string) => all.reduce((sum, n) => sum + stepCount(n.apps.get("loyalty")!, step), 0);
      const t0 = performance.now();
      const gen = await runLoadGenerator({
        loyal: loyalAddr,
        clicks: clicksAddr,
        spec,
        rate,
        waitLoyalApplied: async (sent) => {
          while (applied("saveLoyalCustomer") < sent) await new Promise((r) => setTimeout(r, 5));
        },
        progress: (p) => progressLine(`${p.phase.padEnd(6)} ${p.sent}/${p.total}  emails ${sink.seen.size}/${expected.size}`, p.sent / Math.max(1, p.total)),
      });
      const done = await sink.waitForAll(timeoutMs, 200);
      const ms = performance.now() - t0;
      progressLine("", 1, true);
      const s = sink.summary();
      const rows: Array<[string, string]> = [
        ["transport", nats ? `NATS ${nats} (cluster "${clusterName}")` : "in-process"],
        ["events in: Loyal Customer Stream", String(gen.loyalSent)],
        ["events in: Click Stream", String(gen.clicksSent)],
        ["emails out (received, unique)", `${s.received}, ${s.unique}`],
        ["emails expected", String(s.expected)],
        ["missing / duplicate / unexpected", `${s.missing} / ${s.duplicates} / ${s.unexpected}`],
        ...all.map((n): [string, string] => [`actors on ${n.id}`, `${n.activeActors()} (slots ${n.ownedSlots()})`]),
        ["duration", `${(ms / 1000).toFixed(2)} s`],
        ["events/s", String(Math.round((gen.loyalSent + gen.clicksSent) / (ms / 1000)))],
        ["latency p50 / p99 (source read to sink write)", `${quantile(all, 0.5).toFixed(2)} ms / ${quantile(all, 0.99).toFixed(2)} ms`],
      ];
      const w = Math.max(...rows.map(([k]) => k.length));
      process.stdout.write("\nTroupe demo summary\n" + rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n") + "\n");
      await cluster.stop();
      await sink.close();
      const ok = done && s.unique === s.expected && s.missing === 0 && s.duplicates === 0 && s.unexpected === 0;
      process.stdout.write(ok ? "OK: every expected email arrived exactly once\n" : "FAILED: emails out do not match emails expected\n");
      process.exitCode = ok ? 0 : 1;
    });
}

function stepCount(app: import("../node/app-runtime.js").AppRuntime, step: string): number {
  let n = 0;
  app.app.stages.forEach((s, i) => {
    if (s.name === step) n += app.counters.stageEvents[i] ?? 0;
  });
  return n;
}

function quantile(nodes: import("../node/node.js").Node[], q: number): number {
  // Merge by taking the worst node's quantile: a conservative, honest figure across nodes.
  return Math.max(...nodes.map((n) => n.latency.quantile(q)));
}

import type { Command } from "commander";
import { flag, parseClusterName, parseIntFlag } from "../../runtime/cli/options.js";
import { addNatsOptions, natsTarget, type NatsFlags } from "../../runtime/cli/nats-connection-options.js";
import { redactUrls } from "../../runtime/nats/connection-settings.js";
import { progressLine } from "../../runtime/cli/progress.js";
import { EmbeddedCluster } from "../../runtime/embedded-cluster.js";
import { silentLogger } from "../../runtime/logger.js";
import { connectNatsCluster } from "../../runtime/nats/nats-cluster.js";
import type { AppRuntime } from "../../runtime/node/app-runtime.js";
import type { Node } from "../../runtime/node/node.js";
import loyaltyApp from "./app.js";
import { EmailSinkReceiver } from "./email-sink.js";
import { runLoadGenerator } from "./load-generator.js";
import { expectedEmails } from "./workload.js";
import { workloadFlags, workloadOf, type WorkloadFlags } from "./workload-flags.js";

interface DemoFlags extends WorkloadFlags, NatsFlags {
  readonly nodes: number;
  readonly cluster?: string;
  readonly rate: number;
  readonly timeout: number;
}

/** `troupe demo`: the reference job on one machine: an embedded cluster, a load generator and an email sink. */
export function registerDemoCommand(program: Command): void {
  const demo = program
    .command("demo")
    .description("run the loyalty reference job on an embedded cluster with a load generator and an email sink")
    .addOption(flag("--nodes <n>", "nodes in the embedded cluster", (v, what) => parseIntFlag(v, what, 1, 64)).default(3));
  // No environment variables here: a TROUPE_CLICKS meant for a deployed load generator must not change the demo.
  workloadFlags(demo, false)
    .addOption(flag("--rate <n>", "events per second (0: unlimited)", (v, what) => parseIntFlag(v, what, 0)).default(0))
    .addOption(flag("--timeout <s>", "seconds to wait for every email", (v, what) => parseIntFlag(v, what)).default(120))
    // No env and no default: a demo on a shared NATS takes a name of its own unless told one (a server with
    // Troupe's roles allows the cluster names its config was generated for: troupe nats-config --cluster).
    .addOption(flag("--cluster <name>", "with --nats: the cluster name (default demo-<pid>)", parseClusterName));
  addNatsOptions(demo, flag("--nats <url>", "run the nodes' transport and membership on this NATS server (JetStream) instead of in-process", (value) => value.trim()))
    .action((f: DemoFlags) => runDemo(f));
}

async function runDemo(f: DemoFlags): Promise<void> {
  const spec = workloadOf(f);
  const { nodes, rate } = f;
  const expected = expectedEmails(spec);
  const sink = new EmailSinkReceiver(expected);
  const sinkAddr = await sink.start();
  const target = natsTarget(f);
  const nats = target?.url;
  process.stderr.write(`troupe demo: ${nodes} nodes ${nats ? `over NATS at ${redactUrls(nats)}` : "embedded (in-process transport)"}, ${spec.customers} customers (${Math.round(spec.loyalFraction * 100)}% loyal), ${spec.clicks} clicks\n`);
  // A cluster name of its own, so a demo never mixes with a cluster already on that NATS server.
  const clusterName = f.cluster ?? `demo-${process.pid}`;
  const cluster = await EmbeddedCluster.start({
    apps: [loyaltyApp],
    nodes,
    connect: target ? (nodeId) => connectNatsCluster({ ...target, nodeId, logger: silentLogger(), cluster: clusterName }) : undefined,
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
  const done = await sink.waitForAll(f.timeout * 1000, 200);
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
}

function stepCount(app: AppRuntime, step: string): number {
  let n = 0;
  app.app.stages.forEach((s, i) => {
    if (s.name === step) n += app.counters.stageEvents[i] ?? 0;
  });
  return n;
}

function quantile(nodes: readonly Node[], q: number): number {
  // Merge by taking the worst node's quantile: a conservative, honest figure across nodes.
  return Math.max(...nodes.map((n) => n.latency.quantile(q)));
}

import type { Command } from "commander";
import { connect } from "node:net";
import { ConfigError } from "../errors.js";
import { runLoadGenerator } from "../../apps/loyalty/load-generator.js";
import { readClusterView } from "../nats/nats-cluster.js";
import { parseAddress, parseIntFlag } from "./options.js";
import { progressLine } from "./progress.js";
import { workloadFlags, workloadOf } from "./workload-flags.js";

/** `troupe loadgen`: sends the loyalty workload to a cluster's `loyal` and `clicks` sources. */
export function registerLoadgenCommand(program: Command): void {
  workloadFlags(
    program
      .command("loadgen")
      .description("send the loyalty workload: loyal records first, then clicks")
      .requiredOption("--loyal-to <host:port>", "address of the loyal source (env TROUPE_LOYAL_TO)", process.env.TROUPE_LOYAL_TO)
      .requiredOption("--clicks-to <host:port>", "address of the clicks source (env TROUPE_CLICKS_TO)", process.env.TROUPE_CLICKS_TO)
      .option("--rate <n>", "events per second, 0 = unlimited (env TROUPE_RATE)", process.env.TROUPE_RATE ?? "0")
      .option("--cluster-http <urls>", "comma-separated node HTTP addresses; wait until they applied every loyal record before clicks")
      .option("--nats <url>", "find the nodes through NATS and wait until they applied every loyal record (env TROUPE_NATS_URL)", process.env.TROUPE_NATS_URL)
      .option("--acked [client-id]", "use the acknowledged source protocol with this client id (resend after a disconnect; finish when all is acknowledged); on by default (client id loadgen), --acked false for plain connections; env TROUPE_ACKED", process.env.TROUPE_ACKED)
      .option("--settle-ms <ms>", "without --cluster-http: pause between loyal records and clicks", "2000")
      .option("--min-nodes <n>", "with --nats: wait until this many nodes are members and ready (env TROUPE_MIN_NODES)", process.env.TROUPE_MIN_NODES ?? "1"),
  ).action(async (f: Record<string, string>) => {
    const spec = workloadOf(f);
    const fixed = f.clusterHttp ? f.clusterHttp.split(",").map((s) => s.trim()) : [];
    const nodes = async (): Promise<string[]> => (f.nats ? (await readClusterView(f.nats)).members.flatMap((m) => (m.http ? [m.http] : [])) : fixed);
    const settle = parseIntFlag(f.settleMs!, "--settle-ms", 0);
    const loyalTo = parseAddress(f.loyalTo!, "--loyal-to");
    const clicksTo = parseAddress(f.clicksTo!, "--clicks-to");
    if (f.nats) {
      const want = parseIntFlag(f.minNodes!, "--min-nodes");
      const deadline = Date.now() + 120_000;
      for (;;) {
        const urls = await nodes().catch(() => []);
        const ready = await Promise.all(urls.map((u) => fetch(`http://${u}/readyz`).then((r) => r.ok, () => false)));
        if (ready.filter(Boolean).length >= want) break;
        if (Date.now() > deadline) throw new ConfigError(`fewer than ${want} ready nodes after 120 s (found ${ready.filter(Boolean).length})`);
        await new Promise((res) => setTimeout(res, 500));
      }
    }
    for (const a of [loyalTo, clicksTo]) await waitConnectable(a, 120_000);
    // Acknowledged connections unless told otherwise (--acked false): a plain connection cannot outlive the
    // node it is on (scaled away, drained, crashed), and only an acknowledged one knows what to resend.
    const acked = f.acked === "false" ? undefined : typeof f.acked === "string" && f.acked !== "" && f.acked !== "true" ? f.acked : "loadgen";
    if (acked) process.stdout.write(`loadgen: acknowledged connections (client ids ${acked}-loyal, ${acked}-clicks)\n`);
    const r = await runLoadGenerator({
      loyal: loyalTo,
      clicks: clicksTo,
      spec,
      rate: parseIntFlag(f.rate!, "--rate", 0),
      acked,
      waitLoyalApplied: async (sent) => {
        if (!f.nats && fixed.length === 0) return new Promise((res) => setTimeout(res, settle));
        while ((await appliedAcross(await nodes(), "saveLoyalCustomer")) < sent) await new Promise((res) => setTimeout(res, 100));
      },
      progress: (p) => progressLine(`${p.phase} ${p.sent}/${p.total}`, p.sent / Math.max(1, p.total)),
    });
    progressLine("", 1, true);
    process.stdout.write(`loadgen: sent ${r.loyalSent} loyal records and ${r.clicksSent} clicks in ${(r.ms / 1000).toFixed(2)} s\n`);
  });
}

async function waitConnectable(addr: { host: string; port: number }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(addr.port, addr.host);
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new ConfigError(`cannot connect to ${addr.host}:${addr.port} after ${timeoutMs / 1000} s`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

async function appliedAcross(urls: string[], step: string): Promise<number> {
  let n = 0;
  for (const u of urls) {
    try {
      const res = await fetch(`${u.startsWith("http") ? u : `http://${u}`}/cluster`);
      const info = (await res.json()) as { apps: Array<{ steps: Record<string, number> }> };
      for (const a of info.apps) n += a.steps[step] ?? 0;
    } catch {
      // A node that is not up yet counts as zero; we poll again.
    }
  }
  return n;
}

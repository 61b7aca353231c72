import type { Command } from "commander";
import { runLoadGenerator } from "../../apps/loyalty/load-generator.js";
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
      .option("--settle-ms <ms>", "without --cluster-http: pause between loyal records and clicks", "2000"),
  ).action(async (f: Record<string, string>) => {
    const spec = workloadOf(f);
    const https = f.clusterHttp ? f.clusterHttp.split(",").map((s) => s.trim()) : [];
    const settle = parseIntFlag(f.settleMs!, "--settle-ms", 0);
    const r = await runLoadGenerator({
      loyal: parseAddress(f.loyalTo!, "--loyal-to"),
      clicks: parseAddress(f.clicksTo!, "--clicks-to"),
      spec,
      rate: parseIntFlag(f.rate!, "--rate", 0),
      waitLoyalApplied: async (sent) => {
        if (https.length === 0) return new Promise((res) => setTimeout(res, settle));
        while ((await appliedAcross(https, "saveLoyalCustomer")) < sent) await new Promise((res) => setTimeout(res, 50));
      },
      progress: (p) => progressLine(`${p.phase} ${p.sent}/${p.total}`, p.sent / Math.max(1, p.total)),
    });
    progressLine("", 1, true);
    process.stdout.write(`loadgen: sent ${r.loyalSent} loyal records and ${r.clicksSent} clicks in ${(r.ms / 1000).toFixed(2)} s\n`);
  });
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

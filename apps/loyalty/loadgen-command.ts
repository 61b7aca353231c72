import type { Command } from "commander";
import { connect } from "node:net";
import { flag, parseAddress, parseIntFlag, splitList } from "../../runtime/cli/options.js";
import { addNatsOptions, natsTarget, type NatsFlags } from "../../runtime/cli/nats-connection-options.js";
import { httpTokenFlag } from "../../runtime/cli/http-token-option.js";
import { progressLine } from "../../runtime/cli/progress.js";
import { ConfigError } from "../../runtime/errors.js";
import { readClusterView } from "../../runtime/nats/nats-cluster.js";
import type { Address } from "../../runtime/types.js";
import { runLoadGenerator } from "./load-generator.js";
import { workloadFlags, workloadOf, type WorkloadFlags } from "./workload-flags.js";

interface LoadgenFlags extends WorkloadFlags, NatsFlags {
  readonly loyalTo: Address;
  readonly clicksTo: Address;
  readonly rate: number;
  readonly clusterHttp?: readonly string[];
  /** The acknowledged connections' client id, or false for plain connections. */
  readonly acked: string | false;
  readonly settleMs: number;
  readonly minNodes: number;
  /** The nodes' `--http-token`, sent when reading their `/cluster`. */
  readonly httpToken?: string;
}

// Acknowledged connections unless told otherwise (--acked false): a plain connection cannot outlive the
// node it is on (scaled away, drained, crashed), and only an acknowledged one knows what to resend.
const DEFAULT_CLIENT_ID = "loadgen";

/** Parses `--acked`: `false` for plain connections, else the client id (`true` or nothing: the default one). */
export function parseAcked(value: string): string | false {
  if (value === "false") return false;
  return value === "true" ? DEFAULT_CLIENT_ID : value;
}

/** `troupe loadgen`: sends the loyalty workload to a cluster's `loyal` and `clicks` sources. */
export function registerLoadgenCommand(program: Command): void {
  workloadFlags(
    addNatsOptions(program.command("loadgen"), "find the nodes through NATS and wait until they applied every loyal record")
      .description("send the loyalty workload: loyal records first, then clicks")
      .addOption(flag("--loyal-to <host:port>", "address of the loyal source", parseAddress).env("TROUPE_LOYAL_TO").makeOptionMandatory())
      .addOption(flag("--clicks-to <host:port>", "address of the clicks source", parseAddress).env("TROUPE_CLICKS_TO").makeOptionMandatory())
      .addOption(flag("--rate <n>", "events per second, 0 = unlimited", (v, what) => parseIntFlag(v, what, 0)).env("TROUPE_RATE").default(0))
      .addOption(flag("--cluster-http <urls>", "comma-separated node HTTP addresses; wait until they applied every loyal record before clicks", splitList))
      .addOption(
        flag("--acked [client-id]", "use the acknowledged source protocol with this client id (resend after a disconnect; finish when all is acknowledged); --acked false for plain connections", parseAcked)
          .env("TROUPE_ACKED")
          .preset(DEFAULT_CLIENT_ID)
          .default(DEFAULT_CLIENT_ID),
      )
      .addOption(flag("--settle-ms <ms>", "without --cluster-http: pause between loyal records and clicks", (v, what) => parseIntFlag(v, what, 0)).default(2000))
      .addOption(flag("--min-nodes <n>", "with --nats: wait until this many nodes are members and ready", (v, what) => parseIntFlag(v, what)).env("TROUPE_MIN_NODES").default(1))
      .addOption(httpTokenFlag("bearer token of the nodes' HTTP endpoints (their --http-token), to read their /cluster")),
    true,
  ).action(async (f: LoadgenFlags) => {
    const fixed = f.clusterHttp ?? [];
    const nats = natsTarget(f);
    const nodes = async (): Promise<string[]> => (nats ? (await readClusterView(nats)).members.flatMap((m) => (m.http ? [m.http] : [])) : [...fixed]);
    if (nats) {
      const want = f.minNodes;
      const deadline = Date.now() + 120_000;
      for (;;) {
        const urls = await nodes().catch(() => []);
        const ready = await Promise.all(urls.map((u) => fetch(`http://${u}/readyz`).then((r) => r.ok, () => false)));
        if (ready.filter(Boolean).length >= want) break;
        if (Date.now() > deadline) throw new ConfigError(`fewer than ${want} ready nodes after 120 s (found ${ready.filter(Boolean).length})`);
        await new Promise((res) => setTimeout(res, 500));
      }
    }
    for (const a of [f.loyalTo, f.clicksTo]) await waitConnectable(a, 120_000);
    const acked = f.acked === false ? undefined : f.acked;
    if (acked) process.stdout.write(`loadgen: acknowledged connections (client ids ${acked}-loyal, ${acked}-clicks)\n`);
    const r = await runLoadGenerator({
      loyal: f.loyalTo,
      clicks: f.clicksTo,
      spec: workloadOf(f),
      rate: f.rate,
      acked,
      waitLoyalApplied: async (sent) => {
        if (!nats && fixed.length === 0) return new Promise((res) => setTimeout(res, f.settleMs));
        while ((await appliedAcross(await nodes(), "saveLoyalCustomer", f.httpToken)) < sent) await new Promise((res) => setTimeout(res, 100));
      },
      progress: (p) => progressLine(`${p.phase} ${p.sent}/${p.total}`, p.sent / Math.max(1, p.total)),
    });
    progressLine("", 1, true);
    process.stdout.write(`loadgen: sent ${r.loyalSent} loyal records and ${r.clicksSent} clicks in ${(r.ms / 1000).toFixed(2)} s\n`);
  });
}

async function waitConnectable(addr: Address, timeoutMs: number): Promise<void> {
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

async function appliedAcross(urls: readonly string[], step: string, token?: string): Promise<number> {
  let n = 0;
  for (const u of urls) {
    try {
      const res = await fetch(`${u.startsWith("http") ? u : `http://${u}`}/cluster`, token ? { headers: { authorization: `Bearer ${token}` } } : undefined);
      const info = (await res.json()) as { apps: Array<{ steps: Record<string, number> }> };
      for (const a of info.apps) n += a.steps[step] ?? 0;
    } catch {
      // A node that is not up yet counts as zero; we poll again.
    }
  }
  return n;
}

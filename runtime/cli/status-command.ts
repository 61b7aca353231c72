import type { Command } from "commander";
import { ConfigError } from "../errors.js";
import { readClusterView } from "../nats/nats-cluster.js";
import { requestDrain } from "../nats/drain-requests.js";
import type { ClusterInfo } from "../node/cluster-info.js";
import { clusterFlag } from "./options.js";
import { httpTokenFlag } from "./http-token-option.js";
import { addNatsOptions, requireNatsTarget, type NatsFlags } from "./nats-connection-options.js";

/** `troupe status` and `troupe drain`: the cluster from any machine that reaches NATS. */
export function registerStatusCommands(program: Command): void {
  addNatsOptions(program.command("status").description("print the cluster as a table: nodes, slots, actors, rates"))
    .addOption(clusterFlag())
    .addOption(httpTokenFlag("bearer token of the nodes' HTTP endpoints (their --http-token)"))
    .option("--json", "print JSON instead of a table")
    .action(async (f: NatsFlags & { cluster: string; json?: boolean; httpToken?: string }) => {
      const view = await readClusterView(requireNatsTarget(f, "status"), f.cluster);
      const first = await Promise.all(view.members.map((m) => fetchInfo(m.http, f.httpToken)));
      await new Promise((r) => setTimeout(r, 1000));
      const second = await Promise.all(view.members.map((m) => fetchInfo(m.http, f.httpToken)));
      // Numbers stay numbers (null where a node did not answer); the keys are stable names, the table's headers are not.
      const rows = view.members.map((m, i) => {
        const a = first[i];
        const b = second[i];
        const rate = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? null : Math.max(0, y - x));
        return {
          node: m.id,
          status: m.status,
          http: m.http ?? "",
          epoch: b ? b.epoch : null,
          slots: b ? b.slotsOwned : null,
          slotsInHandoff: b ? b.slotsInHandoff : null,
          actors: b ? b.activeActors : null,
          inPerSecond: rate(a?.eventsIn, b?.eventsIn),
          outPerSecond: rate(a?.eventsOut, b?.eventsOut),
          appliedPerSecond: rate(applied(a), applied(b)),
        };
      });
      if (f.json) {
        process.stdout.write(JSON.stringify({ epoch: view.epoch, members: rows }, null, 2) + "\n");
        return;
      }
      process.stdout.write(`cluster "${f.cluster}" epoch ${view.epoch}, ${view.members.length} member(s)\n`);
      if (rows.length === 0) return;
      const headers = ["node", "status", "http", "epoch", "slots", "handoff", "actors", "in/s", "out/s", "applied/s"];
      const cells = rows.map((r) => Object.values(r).map((v) => (v === null ? "?" : String(v))));
      const width = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
      const line = (cs: string[]) => cs.map((c, i) => c.padEnd(width[i]!)).join("  ") + "\n";
      process.stdout.write(line(headers) + cells.map(line).join(""));
    });

  addNatsOptions(program.command("drain <nodeId>").description("ask a node to hand its slots off and leave the cluster (needs the troupe-admin role on a NATS with auth)"))
    .addOption(clusterFlag())
    .action(async (nodeId: string, f: NatsFlags & { cluster: string }) => {
      const target = requireNatsTarget(f, "drain");
      const view = await readClusterView(target, f.cluster);
      if (!view.members.some((m) => m.id === nodeId)) {
        throw new ConfigError(`node "${nodeId}" is not a member; members: ${view.members.map((m) => m.id).join(", ") || "none"}`);
      }
      await requestDrain(target, nodeId, f.cluster);
      process.stdout.write(`asked ${nodeId} to drain\n`);
    });
}

async function fetchInfo(http: string | undefined, token: string | undefined): Promise<ClusterInfo | undefined> {
  if (!http) return undefined;
  try {
    const headers = token ? { authorization: `Bearer ${token}` } : undefined;
    const res = await fetch(`http://${http.replace(/^0\.0\.0\.0:/, "127.0.0.1:")}/cluster`, { headers, signal: AbortSignal.timeout(2000) });
    return (await res.json()) as ClusterInfo;
  } catch {
    return undefined;
  }
}

function applied(i: ClusterInfo | undefined): number | undefined {
  if (!i) return undefined;
  let n = 0;
  for (const a of i.apps) for (const v of Object.values(a.steps)) n += v;
  return n;
}

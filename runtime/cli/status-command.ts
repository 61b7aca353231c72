import type { Command } from "commander";
import { ConfigError } from "../errors.js";
import { readClusterView } from "../nats/nats-cluster.js";
import { requestDrain } from "../nats/drain-requests.js";
import { clusterFlag } from "./options.js";
import { httpTokenFlag } from "./http-token-option.js";
import { addNatsOptions, requireNatsTarget, type NatsFlags } from "./nats-connection-options.js";
import { fetchInfo, renderStatus, statusRows } from "./status-table.js";
import { watchStatus } from "./status-watch.js";

/** `troupe status` and `troupe drain`: the cluster from any machine that reaches NATS. */
export function registerStatusCommands(program: Command): void {
  addNatsOptions(program.command("status").description("print the cluster as a table: nodes, slots, actors, rates"))
    .addOption(clusterFlag())
    .addOption(httpTokenFlag("bearer token of the nodes' HTTP endpoints (their --http-token)"))
    .option("--json", "print JSON instead of a table")
    .option("--watch", "refresh the table in place every second, with the slots in motion (Ctrl-C stops)")
    .action(async (f: NatsFlags & { cluster: string; json?: boolean; watch?: boolean; httpToken?: string }) => {
      const target = requireNatsTarget(f, "status");
      if (f.watch) return watchStatus(target, f.cluster, f.httpToken);
      const view = await readClusterView(target, f.cluster);
      const first = await Promise.all(view.members.map((m) => fetchInfo(m.http, f.httpToken)));
      await new Promise((r) => setTimeout(r, 1000));
      const second = await Promise.all(view.members.map((m) => fetchInfo(m.http, f.httpToken)));
      const rows = statusRows(view, first, second);
      if (f.json) {
        process.stdout.write(JSON.stringify({ epoch: view.epoch, members: rows }, null, 2) + "\n");
        return;
      }
      process.stdout.write(renderStatus(f.cluster, view, rows));
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

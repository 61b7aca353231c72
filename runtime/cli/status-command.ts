import type { Command } from "commander";
import { ConfigError } from "../errors.js";
import { readClusterView, requestDrain } from "../nats/nats-cluster.js";
import { clusterFlag, natsFlag } from "./options.js";
import { fetchInfo, renderStatus, statusRows } from "./status-table.js";
import { watchStatus } from "./status-watch.js";

/** `troupe status` and `troupe drain`: the cluster from any machine that reaches NATS. */
export function registerStatusCommands(program: Command): void {
  program
    .command("status")
    .description("print the cluster as a table: nodes, slots, actors, rates")
    .addOption(natsFlag())
    .addOption(clusterFlag())
    .option("--json", "print JSON instead of a table")
    .option("--watch", "refresh the table in place every second, with the slots in motion (Ctrl-C stops)")
    .action(async (f: { nats?: string; cluster: string; json?: boolean; watch?: boolean }) => {
      if (!f.nats) throw new ConfigError("troupe status needs --nats URL (or TROUPE_NATS_URL)");
      if (f.watch) return watchStatus(f.nats, f.cluster);
      const view = await readClusterView(f.nats, f.cluster);
      const first = await Promise.all(view.members.map((m) => fetchInfo(m.http)));
      await new Promise((r) => setTimeout(r, 1000));
      const second = await Promise.all(view.members.map((m) => fetchInfo(m.http)));
      const rows = statusRows(view, first, second);
      if (f.json) {
        process.stdout.write(JSON.stringify({ epoch: view.epoch, members: rows }, null, 2) + "\n");
        return;
      }
      process.stdout.write(renderStatus(f.cluster, view, rows));
    });

  program
    .command("drain <nodeId>")
    .description("ask a node to hand its slots off and leave the cluster")
    .addOption(natsFlag())
    .addOption(clusterFlag())
    .action(async (nodeId: string, f: { nats?: string; cluster: string }) => {
      if (!f.nats) throw new ConfigError("troupe drain needs --nats URL (or TROUPE_NATS_URL)");
      const view = await readClusterView(f.nats, f.cluster);
      if (!view.members.some((m) => m.id === nodeId)) {
        throw new ConfigError(`node "${nodeId}" is not a member; members: ${view.members.map((m) => m.id).join(", ") || "none"}`);
      }
      await requestDrain(f.nats, nodeId, f.cluster);
      process.stdout.write(`asked ${nodeId} to drain\n`);
    });
}

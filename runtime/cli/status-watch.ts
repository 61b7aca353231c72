import { readClusterView, type NatsTarget } from "../nats/nats-cluster.js";
import type { ClusterInfo } from "../node/cluster-info.js";
import { fetchInfo, motionLines, renderStatus, statusRows } from "./status-table.js";

// Moves the cursor home and clears the screen: the table is redrawn in place.
const CLEAR = "\x1b[H\x1b[2J";

/** `troupe status --watch`: the table redrawn every second, with the slots in motion under it, until Ctrl-C. */
export async function watchStatus(nats: NatsTarget, cluster: string, httpToken?: string): Promise<never> {
  let before = new Map<string, ClusterInfo>();
  for (;;) {
    const started = Date.now();
    const view = await readClusterView(nats, cluster);
    const now = await Promise.all(view.members.map((m) => fetchInfo(m.http, httpToken)));
    const rows = statusRows(
      view,
      view.members.map((m) => before.get(m.id)),
      now,
    );
    const moving = motionLines(now);
    const stamp = new Date().toISOString().slice(11, 19);
    process.stdout.write(`${CLEAR}${renderStatus(cluster, view, rows)}\nslots in motion: ${moving.length === 0 ? "none" : `\n${moving.join("\n")}`}\n(${stamp} UTC, refreshed every second; Ctrl-C stops)\n`);
    before = new Map(now.flatMap((i) => (i ? [[i.node, i] as const] : [])));
    await new Promise((r) => setTimeout(r, Math.max(0, 1_000 - (Date.now() - started))));
  }
}

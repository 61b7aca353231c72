import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import loyalty from "../../../apps/loyalty/app.js";
import { EmbeddedCluster } from "../../../runtime/index.js";

interface Panel {
  readonly title: string;
  readonly targets?: ReadonlyArray<{ readonly expr: string }>;
}

const dashboard = JSON.parse(readFileSync("deploy/grafana/troupe.json", "utf8")) as { panels: Panel[] };
// Metric names in PromQL: what follows is not a name (functions, labels, by-clauses, durations) is left out by form.
const metricNames = (expr: string) => [...expr.matchAll(/\b((?:troupe|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1]!);

let cluster: EmbeddedCluster;
let metrics = "";
beforeAll(async () => {
  cluster = await EmbeddedCluster.start({ apps: [loyalty], nodes: 1, nodeOptions: () => ({ http: { host: "127.0.0.1", port: 0 }, sinks: { emails: { kind: "stdout" } } }) });
  const addr = cluster.nodes.get("node-1")!.httpAddress!;
  metrics = await (await fetch(`http://${addr.host}:${addr.port}/metrics`)).text();
});
afterAll(async () => {
  await cluster?.stop();
});

describe("deploy/grafana/troupe.json", () => {
  it("queries only metrics that a node's /metrics exposes", () => {
    const exposed = new Set([...metrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) => (m[2] === "histogram" ? [m[1]!, `${m[1]}_bucket`, `${m[1]}_sum`, `${m[1]}_count`] : [m[1]!])));
    const queried = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr).map((name) => ({ panel: p.title, name }))));
    expect(queried.length).toBeGreaterThan(15);
    expect(queried.filter((q) => !exposed.has(q.name))).toEqual([]);
  });

  it("covers throughput, latency, handoffs, dead letters, event-loop delay and KV/stream lag", () => {
    const all = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join("\n");
    for (const name of ["troupe_events_in_total", "troupe_step_events_total", "troupe_latency_seconds", "troupe_handoff_pause_seconds_bucket", "troupe_dead_letters_total", "troupe_event_loop_delay_seconds", "troupe_event_log_pending", "troupe_actors_evicting"]) {
      expect(all).toContain(name);
    }
  });
});

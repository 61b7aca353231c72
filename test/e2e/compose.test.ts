import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../runtime/index.js";
import { ComposeCluster, workerReady, converged, downAfterEach, overlaps, sinkResult } from "../helpers/compose.js";
import { waitUntil } from "../helpers/wait.js";

// Each test brings the real deploy/docker-compose.yml up through testcontainers, under its own project name.
downAfterEach();

const base = { CLICKS: "30000", CUSTOMERS: "5000", HEARTBEAT_MS: "300", FAILURE_TIMEOUT_MS: "2000", LOG_LEVEL: "warn", SINK_TIMEOUT: "150" };

describe("docker compose: the reference job on a real cluster", () => {
  it("delivers every expected email exactly once; then `up -d --scale worker=5` changes only the workers", async () => {
    const cluster = await ComposeCluster.up({ name: "job", env: base, workers: 3 });
    const { code, summary } = await sinkResult(cluster);
    expect(code).toBe(0);
    expect(summary).toMatch(/missing 0, repeats 0, unexpected 0/);
    // Auth and TLS are on (deploy/nats/nats-server.conf): the server requires TLS, no client was refused or
    // overstepped its role, and no worker or load generator printed its password.
    const natsLog = await cluster.serviceLogs("nats");
    expect(natsLog).toMatch(/TLS required for client connections/);
    expect(natsLog).not.toMatch(/Violation|authentication error/);
    const clientLogs = (await cluster.serviceLogs("worker")) + (await cluster.serviceLogs("loadgen"));
    for (const file of ["node.env", "viewer.env"]) expect(clientLogs).not.toContain(readFileSync(`deploy/local/${file}`, "utf8").match(/^TROUPE_NATS_PASS=(.+)$/m)![1]);
    // Issue 19: the finished demo (profile "demo") must not run again when the user scales the cluster.
    await cluster.waitExit("loadgen", 60_000);
    const before = await cluster.containers(undefined, true);
    const starts = new Map(await Promise.all(before.map(async (c) => [c.id, await cluster.startedAt(c)] as const)));
    await cluster.scaleClusterOnly(5);
    await waitUntil(() => converged(cluster, 5), 60_000, "5 workers converged");
    const after = await cluster.containers(undefined, true);
    // Two new workers; every container that was there (nats, 3 workers, the exited demo) neither recreated nor started again.
    expect(after.filter((c) => !starts.has(c.id)).map((c) => c.service)).toEqual(["worker", "worker"]);
    for (const c of after.filter((x) => starts.has(x.id))) expect(await cluster.startedAt(c), `${c.name} started again`).toBe(starts.get(c.id));
    expect(after.filter((c) => c.service === "email-sink" || c.service === "loadgen").map((c) => c.state)).toEqual(["exited", "exited"]);
  });

  it("a worker killed with docker kill is removed, replaced, and its slots served again", async () => {
    const cluster = await ComposeCluster.up({ name: "kill", env: base, workers: 3 });
    expect((await sinkResult(cluster)).code).toBe(0);
    const [victim] = await cluster.containers("worker");
    // `docker kill` on one replica (compose kill would kill them all).
    await cluster.kill(victim!);
    await waitUntil(() => converged(cluster, 2), 60_000, "the two survivors to remove the killed worker and own every slot");
    // The killed replica started again (the same container: the same node id rejoins); testcontainers waits for its /readyz.
    const restarted = await cluster.start(victim!);
    await cluster.waitFor(restarted, workerReady());
    await waitUntil(() => converged(cluster, 3), 60_000, "3 workers again");
    // A second job needs every slot served by a live worker. Every customer is loyal in it, so customers
    // left loyal by the first job (state the kill did not lose) cannot make its emails unexpected.
    await cluster.rerun(["email-sink", "loadgen"], { SEED: "7", LOYAL_FRACTION: "1", CLICKS: "20000" });
    const { code, n } = await sinkResult(cluster);
    expect(code).toBe(0);
    expect(n.missing).toBe(0);
  });

  it("a worker cut off the network and reconnected converges without two owners for one slot", async () => {
    const cluster = await ComposeCluster.up({ name: "partition", env: base, workers: 3 });
    await waitUntil(() => converged(cluster, 3), 120_000, "3 workers converged");
    const [victim] = await cluster.containers("worker");
    const seen: ClusterInfo[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        seen.push(...(await cluster.workerInfos()).values());
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await cluster.network(victim!, false);
    await waitUntil(() => converged(cluster, 2), 60_000, "the others to remove the cut-off worker");
    await cluster.network(victim!, true);
    await waitUntil(() => converged(cluster, 3), 90_000, "the reconnected worker to rejoin");
    polling = false;
    await poller;
    console.log(`partition: ${seen.length} /cluster snapshots checked across ${new Set(seen.map((s) => s.epoch)).size} epochs`);
    expect(overlaps(seen)).toEqual([]);
    expect(await cluster.serviceLogs("worker")).toMatch(/fenced/);
  });
});

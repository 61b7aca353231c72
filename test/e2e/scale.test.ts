import { describe, expect, it } from "vitest";
import { Wait } from "testcontainers";
import { ComposeCluster, converged, downAfterEach, problemLines, sinkResult } from "../helpers/compose.js";
import { waitUntil } from "../helpers/wait.js";

downAfterEach();

// Issue 12 (c): scale a running cluster 3 -> 5 -> 2 the way users do (`up -d --scale worker=N`) while
// the load generator sends at a paced rate; the email sink must see every email exactly once.
// The load generator uses acknowledged connections: compose's DNS connects it to one of the first three
// workers, and when that one is among those the scale-down stops, its drain closes the connection. A
// plain connection cannot tell which frames were read (the load generator dies with EPIPE there and
// the rest of the workload is never sent); an acknowledged one reconnects to another worker and resends
// what was not acknowledged.
const env = { CLICKS: "90000", CUSTOMERS: "5000", RATE: "3000", TROUPE_ACKED: "loadgen", HEARTBEAT_MS: "300", FAILURE_TIMEOUT_MS: "2000", LOG_LEVEL: "info", SINK_TIMEOUT: "200" };

describe("docker compose: scaling a running cluster under paced load", () => {
  it("scales workers 3 -> 5 -> 2 during load and delivers every email exactly once", async () => {
    const t0 = Date.now();
    const at = (): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    const cluster = await ComposeCluster.up({ name: "scale", env, workers: 3 });
    const [sink] = await cluster.containers("email-sink");
    await cluster.waitFor(sink!, Wait.forLogMessage(/emails [1-9]\d*\//));
    console.log(`[scale] emails flowing at ${at()}; scaling to 5`);
    await cluster.scale(5);
    await waitUntil(() => converged(cluster, 5), 60_000, "5 workers converged");
    console.log(`[scale] 5 workers converged at ${at()}; scaling to 2`);
    const [loadgen] = await cluster.containers("loadgen");
    expect(loadgen?.state, "the load generator must still be sending when the cluster scales down (raise CLICKS)").toBe("running");
    // Keep the logs of the three workers the scale-down removes (compose removes their containers).
    const workers = await cluster.containers("worker");
    // Where the load generator's click connection is (compose's DNS picked one of the first three workers).
    const clicksOn = [...(await cluster.sourceConnections("clicks")).entries()].filter(([, n]) => n > 0).map(([name]) => name);
    const leaving = new Set(workers.slice(2).map((w) => w.name));
    console.log(`[scale] the load generator's clicks connection is on ${clicksOn.join(", ") || "(none found)"}${clicksOn.some((n) => leaving.has(n)) ? ": a worker the scale-down removes" : ""}`);
    const leavers = await Promise.all(workers.slice(2).map(async (w) => ({ name: w.name, log: await cluster.follow(w) })));
    const down0 = Date.now();
    await cluster.scale(2);
    const downMs = Date.now() - down0;
    await waitUntil(() => converged(cluster, 2), 60_000, "2 workers converged");
    console.log(`[scale] scale-down to 2 took ${(downMs / 1000).toFixed(1)} s (compose stops the 3 leavers); converged at ${at()}`);
    const { code, summary, n } = await sinkResult(cluster, 240_000);
    const loadgenExit = await cluster.waitExit("loadgen", 30_000).catch((e: Error) => e.message);
    const loadgenLog = (await cluster.serviceLogs("loadgen", 6)).slice(-1500);
    // What the two remaining workers did: clicks checked, events in and out, forwarded, parked, transport.
    const counters = [...(await cluster.workerInfos()).entries()].map(
      ([name, i]) => `${name}: checkLoyalClick ${i.apps[0]!.steps["checkLoyalClick"] ?? 0}, in ${i.eventsIn}, out ${i.eventsOut}, forwards ${i.forwards}, parked ${i.parked}, dead letters ${i.deadLetters}, transport ${JSON.stringify(i.transport)}`,
    );
    if (code !== 0 || loadgenExit !== 0) {
      const drains = leavers.flatMap((l) => l.log.text().split("\n").filter((line) => /drain|handed off|signal|left|stopped/.test(line)).map((line) => `${l.name} | ${line}`));
      console.log(`[scale] load generator exit ${loadgenExit}, its last lines:\n${loadgenLog}\n[scale] remaining workers:\n${counters.join("\n")}\n[scale] the leavers' drain lines:\n${drains.join("\n")}`);
    }
    const leaverProblems = leavers.flatMap((l) => problemLines(l.log.text()).map((line) => `${l.name} | ${line}`));
    for (const l of leavers) l.log.stop();
    if (leaverProblems.length) console.log(`[scale] warn/error lines of the workers that left:\n${leaverProblems.slice(-40).join("\n")}`);
    expect(loadgenExit, "the load generator finished sending").toBe(0);
    expect(code).toBe(0);
    expect(summary).toMatch(/missing 0, repeats 0, unexpected 0/);
    expect(n.unique).toBe(n.expected);
    expect(leaverProblems.filter((l) => /handoff never arrived/.test(l))).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { TestCluster } from "../../../runtime/index.js";
import app, { json, type Alert } from "../../fixtures/threshold-app.js";
import { natsServerPerFile } from "../../helpers/nats-per-file.js";

// The testing kit's promise: the same app test runs against a real nats-server by passing `nats`.
const server = natsServerPerFile();

describe("TestCluster against real NATS", () => {
  it("joins the two streams on 3 nodes over NATS, through a drain (state moves with its slots)", async () => {
    await using cluster = await TestCluster.start({ app, nodes: 3, nats: server().url, timeoutMs: 20_000 });
    const limits = Array.from({ length: 30 }, (_, i) => JSON.stringify({ device: `d${i}`, max: 10 }));
    await cluster.send("limits", limits);
    await cluster.drainNode("node-3");
    await cluster.waitForStable();
    await cluster.send("readings", Array.from({ length: 30 }, (_, i) => JSON.stringify({ device: `d${i}`, value: 20 })), "node-1");
    const alerts = await cluster.waitForOutputs("alerts", 30, json<Alert>().decode);
    expect(new Set(alerts.map((a) => a.device)).size).toBe(30);
  });
});

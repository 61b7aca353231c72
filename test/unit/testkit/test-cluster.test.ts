import { describe, expect, it } from "vitest";
import { TestCluster } from "../../../runtime/index.js";
import app, { json, type Alert } from "../../fixtures/threshold-app.js";

const decode = json<Alert>().decode;
const limits = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ device: `d${i}`, max: 10 }));
const readings = (n: number, value: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ device: `d${i}`, value }));

describe("TestCluster (the testing kit for app authors), in process", () => {
  it("joins two streams across 3 nodes: send waits until limits are applied, outputs are collected", async () => {
    await using cluster = await TestCluster.start({ app, nodes: 3 });
    expect(cluster.nodeIds).toEqual(["node-1", "node-2", "node-3"]);
    await cluster.send("limits", limits(50));
    await cluster.send("readings", [...readings(50, 5), ...readings(50, 11)]);
    const alerts = await cluster.waitForOutputs("alerts", 50, decode);
    expect(alerts).toHaveLength(50);
    expect(new Set(alerts.map((a) => a.device)).size).toBe(50);
    expect(alerts.every((a) => a.value === 11 && a.max === 10)).toBe(true);
  });

  it("keeps state through a drain and a join: the limits still apply after slots move", async () => {
    await using cluster = await TestCluster.start({ app, nodes: 2 });
    await cluster.send("limits", limits(40));
    await cluster.addNode();
    await cluster.drainNode("node-1");
    await cluster.waitForStable();
    expect(cluster.nodeIds).toEqual(["node-2", "node-3"]);
    await cluster.send("readings", readings(40, 12));
    const alerts = await cluster.waitForOutputs("alerts", 40, decode);
    expect(alerts.map((a) => a.max)).toEqual(Array(40).fill(10));
  });

  it("survives killNode: the other nodes take the slots and keep serving", async () => {
    await using cluster = await TestCluster.start({ app, nodes: 3 });
    await cluster.killNode("node-3");
    await cluster.waitForStable();
    await cluster.send("limits", limits(20));
    await cluster.send("readings", readings(20, 99));
    expect(await cluster.waitForOutputs("alerts", 20, decode)).toHaveLength(20);
  });

  it("names what is missing: an unknown source or sink is a ConfigError", async () => {
    await using cluster = await TestCluster.start({ app, nodes: 1 });
    await expect(cluster.send("nope", ["{}"])).rejects.toMatchObject({ code: "TROUPE_CONFIG" });
    expect(() => cluster.outputs("nope")).toThrow(/has no sink "nope"; its sinks: alerts/);
  });
});

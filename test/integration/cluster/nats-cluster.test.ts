import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { clicks, expectedEmails, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { startSinkCollector, type SinkCollector } from "../../helpers/sink-collector.js";
import { checkApplied, tickFrames } from "../../helpers/ticks.js";
import { waitUntil } from "../../helpers/wait.js";

// Three real node processes on one real nats-server, running two apps (loyalty keyed by
// customer, sequencer keyed by an arbitrary key) side by side.
const spec: WorkloadSpec = { customers: 2_000, loyalFraction: 0.3, clicks: 20_000, seed: 11 };
let nats: NatsServer;
let cluster: ProcessCluster;
let emails: EmailSinkReceiver;
let applied: SinkCollector;
const expected = expectedEmails(spec);

beforeAll(async () => {
  nats = await startNatsServer();
  emails = new EmailSinkReceiver(expected);
  const emailAddr = await emails.start();
  applied = await startSinkCollector();
  cluster = new ProcessCluster({
    nats: nats.url,
    apps: ["loyalty", "sequencer"],
    sinks: { emails: `${emailAddr.host}:${emailAddr.port}`, applied: `${applied.host}:${applied.port}` },
    args: ["--heartbeat-ms", "200", "--failure-timeout-ms", "1500"],
  });
  await cluster.addNode({ sources: ["loyal", "ticks"] });
  await cluster.addNode({ sources: ["clicks"] });
  await cluster.addNode({ sources: ["clicks"] });
  await cluster.waitForStable();
});

afterAll(async () => {
  await cluster?.stop();
  await emails?.close();
  await applied?.close();
  await nats?.stop();
});

describe("a 3-node cluster over NATS", () => {
  it("loyal records to one node and clicks to the other two yield every expected email exactly once", async () => {
    const [n1, n2, n3] = [...cluster.nodes.values()];
    const loyal = [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c));
    await sendAll({ host: "127.0.0.1", port: n1!.sources.loyal! }, loyal, 0);
    await waitUntil(async () => {
      const infos = await Promise.all([n1!, n2!, n3!].map((n) => n.info()));
      return infos.reduce((a, i) => a + (i.apps.find((x) => x.name === "loyalty")!.steps["saveLoyalCustomer"] ?? 0), 0) === loyal.length;
    }, 20_000, "loyal records applied");
    const all = [...clicks(spec)].map((c) => clickCodec.encode(c));
    const half = all.length / 2;
    await Promise.all([
      sendAll({ host: "127.0.0.1", port: n2!.sources.clicks! }, all.slice(0, half), 0),
      sendAll({ host: "127.0.0.1", port: n3!.sources.clicks! }, all.slice(half), 0),
    ]);
    expect(await emails.waitForAll(30_000, 300)).toBe(true);
    expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: expected.size });
    // The work really was spread: every node applied clicks and the batches crossed NATS.
    const infos = await Promise.all([n1!, n2!, n3!].map((n) => n.info()));
    for (const i of infos) expect(i.apps.find((x) => x.name === "loyalty")!.steps["checkLoyalClick"]).toBeGreaterThan(spec.clicks / 6);
  });

  it("keeps per-key order for 10k events over 1k keys sent on two connections, alongside the other app", async () => {
    const n1 = [...cluster.nodes.values()][0]!;
    const before = applied.frames.length;
    await Promise.all([
      sendAll({ host: "127.0.0.1", port: n1.sources.ticks! }, tickFrames("a", 1000, 5), 0),
      sendAll({ host: "127.0.0.1", port: n1.sources.ticks! }, tickFrames("b", 1000, 5), 0),
    ]);
    await applied.waitFor(before + 10_000, 30_000);
    const { applied: outs, errors, perStream } = checkApplied(applied.frames.slice(before));
    expect(errors).toEqual([]);
    expect(outs.length).toBe(10_000);
    expect(perStream.size).toBe(2000);
    for (const seqs of perStream.values()) expect(seqs).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(outs.map((o) => o.node)).size).toBe(3);
  });

  it("removes a SIGKILLed node within the failure timeout and serves its slots again", async () => {
    const victim = [...cluster.nodes.values()][2]!;
    const t0 = Date.now();
    cluster.kill(victim.id);
    const infos = await cluster.waitForStable(15_000);
    const removedAfter = Date.now() - t0;
    console.log(`SIGKILLed ${victim.id}: removed and stable after ${removedAfter} ms (failure timeout 1500 ms)`);
    expect(removedAfter).toBeLessThan(1500 + 5000);
    expect(infos.every((i) => !i.members.some((m) => m.id === victim.id))).toBe(true);
    expect(infos.reduce((a, i) => a + i.slotsOwned, 0)).toBe(256 * 2); // two partitions (one per app), each fully owned
    const n1 = [...cluster.nodes.values()][0]!;
    const before = applied.frames.length;
    await sendAll({ host: "127.0.0.1", port: n1.sources.ticks! }, tickFrames("c", 1000, 2), 0);
    await applied.waitFor(before + 2000, 20_000);
    const { errors, applied: outs } = checkApplied(applied.frames.slice(before));
    expect(errors).toEqual([]);
    expect(outs.length).toBe(2000);
    expect(outs.some((o) => o.node === victim.id)).toBe(false);
  });

  it("survives a NATS server restart mid-stream and reports what the window lost", async () => {
    const n1 = [...cluster.nodes.values()][0]!;
    const before = applied.frames.length;
    const sending = sendAll({ host: "127.0.0.1", port: n1.sources.ticks! }, tickFrames("d", 1000, 20), 20_000);
    await waitUntil(() => applied.frames.length > before + 2000, 20_000, "traffic flowing before the restart");
    await nats.restart(200);
    const sent = await sending;
    await waitUntil(() => applied.frames.length >= before + sent, 30_000, "traffic after the restart").catch(() => undefined);
    const { applied: outs, perStream } = checkApplied(applied.frames.slice(before));
    const unique = new Set(outs.map((o) => `${o.key}/${o.stream}/${o.seq}`)).size;
    console.log(`NATS restart window: sent ${sent}, applied ${unique} unique (${outs.length} outputs), lost ${sent - unique}`);
    expect(perStream.size).toBe(1000);
    expect(sent - unique).toBe(0);
    await cluster.waitForStable(20_000);
  });
});

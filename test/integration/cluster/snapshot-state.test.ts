import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { startSinkCollector } from "../../helpers/sink-collector.js";
import { checkApplied, tickFrames } from "../../helpers/ticks.js";
import { openFrameSender } from "../../helpers/frames.js";
import { waitUntil } from "../../helpers/wait.js";

// Snapshot mode: actor state is written behind to JetStream KV and read by whoever owns the slot next.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

const INTERVAL_MS = 200;

describe("snapshot state mode (JetStream KV)", () => {
  it("keeps every loyal customer's state across a restart of the whole cluster", async () => {
    const customers = 1200;
    const expected = new Set<string>();
    const emails = new EmailSinkReceiver(expected);
    const addr = await emails.start();
    const opts = { nats: nats.url, apps: ["loyalty"], sinks: { emails: `${addr.host}:${addr.port}` }, args: ["--state", "snapshot", "--snapshot-interval-ms", String(INTERVAL_MS), "--cluster", "restart"] };
    const first = new ProcessCluster(opts);
    try {
      const n1 = await first.addNode({ sources: ["loyal"] });
      await first.addNode();
      await first.addNode();
      await first.waitForStable();
      const loyal = Array.from({ length: customers }, (_, i) => i).filter((i) => i % 2 === 0);
      await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, loyal.map((i) => loyalCustomerCodec.encode({ customerId: `cust-${i}`, email: `c${i}@x`, name: "", tier: "gold" })), 0);
      await waitUntil(async () => (await Promise.all([...first.nodes.values()].map((n) => n.info()))).reduce((a, i) => a + i.stateStore.writes, 0) >= loyal.length, 20_000, "loyal state written behind");
      // Stop every node (graceful), then start a new cluster of three on the same NATS.
      for (const id of [...first.nodes.keys()]) expect(await first.terminate(id)).toBe(0);
    } finally {
      await first.stop();
    }
    const second = new ProcessCluster(opts);
    try {
      const m1 = await second.addNode({ id: "node-a", sources: ["clicks"] });
      await second.addNode({ id: "node-b" });
      await second.addNode({ id: "node-c" });
      await second.waitForStable();
      const clicks = Array.from({ length: customers }, (_, i) => {
        const clickId = `after-restart-${i}`;
        if (i % 2 === 0) expected.add(clickId);
        return clickCodec.encode({ clickId, customerId: `cust-${i}`, adId: "ad", tsMs: 1 });
      });
      await sendAll({ host: "127.0.0.1", port: m1.sources.clicks! }, clicks, 0);
      expect(await emails.waitForAll(20_000, 300)).toBe(true);
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: customers / 2 });
    } finally {
      await second.stop();
      await emails.close();
    }
  });

  it("crash test: SIGKILL each node in turn under load; lost events stay within one write-behind interval of traffic", async () => {
    const out = await startSinkCollector();
    const cluster = new ProcessCluster({
      nats: nats.url,
      apps: ["sequencer"],
      sinks: { applied: `${out.host}:${out.port}` },
      args: ["--state", "snapshot", "--snapshot-interval-ms", String(INTERVAL_MS), "--heartbeat-ms", "200", "--failure-timeout-ms", "1000", "--cluster", "crash"],
    });
    try {
      const n1 = await cluster.addNode({ sources: ["ticks"] });
      await cluster.addNode();
      await cluster.addNode();
      await cluster.waitForStable();
      const keys = 300;
      const sender = await openFrameSender("127.0.0.1", n1.sources.ticks!);
      let rounds = 0;
      let running = true;
      const roundMs = 20; // 300 keys per 20 ms = 15,000 events/s
      const traffic = (async () => {
        while (running) {
          rounds++;
          sender.sendMany(tickFrames("s", keys, 1, rounds));
          await new Promise((r) => setTimeout(r, roundMs));
        }
      })();
      // Kill every node except the source node, one at a time, each replaced by a new one.
      let kills = 0;
      for (const victim of ["node-2", "node-3", "node-4", "node-5"]) {
        await new Promise((r) => setTimeout(r, 600));
        cluster.kill(victim);
        kills++;
        await cluster.waitForStable(20_000);
        await cluster.addNode();
        await cluster.waitForStable(20_000);
      }
      running = false;
      await traffic;
      await sender.end();
      const sent = rounds * keys;
      await waitUntil(() => new Set(out.frames.map((f) => String(f))).size >= sent - 1, 20_000, "outputs to settle").catch(() => undefined);
      const { applied } = checkApplied(out.frames);
      // Lost = events whose effect on state is missing: per key, the seqs that a later event's `prev` skipped over.
      const lastSeen = new Map<string, number>();
      let regressed = 0;
      for (const a of applied) {
        const last = lastSeen.get(a.key) ?? 0;
        if (a.seq > last) {
          if ((a.prev ?? 0) < last) regressed += last - (a.prev ?? 0);
          lastSeen.set(a.key, a.seq);
        }
      }
      const outputs = new Set(applied.map((a) => `${a.key}/${a.seq}`)).size;
      const rate = keys / (roundMs / 1000);
      const budget = Math.ceil(rate * (INTERVAL_MS / 1000)) * kills;
      console.log(`snapshot crash test: ${kills} kills, ${sent} events sent, ${outputs} applied with outputs, state lost for ${regressed} events (budget: one ${INTERVAL_MS} ms interval of ${rate}/s per kill = ${budget})`);
      expect(outputs).toBe(sent); // routing lost nothing: unacknowledged events were re-routed
      expect(regressed).toBeLessThanOrEqual(budget);
    } finally {
      await cluster.stop();
      await out.close();
    }
  });
});

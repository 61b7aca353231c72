import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

describe("membership identity", () => {
  it("after every node is killed at once, nodes restarted with the same ids serve again without waiting for handoffs from their dead incarnations", async () => {
    const customers = 2_000;
    const expected = new Set<string>();
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const opts = { nats: nats.url, apps: ["loyalty"], sinks: { emails: `${sink.host}:${sink.port}` }, args: ["--state", "snapshot", "--snapshot-interval-ms", "200", "--cluster", "full-restart"] };
    const cluster = new ProcessCluster(opts);
    try {
      const n1 = await cluster.addNode({ id: "node-1", sources: ["loyal", "clicks"] });
      await cluster.addNode({ id: "node-2" });
      await cluster.addNode({ id: "node-3" });
      await cluster.waitForStable();
      await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, Array.from({ length: customers }, (_, i) => loyalCustomerCodec.encode({ customerId: `c-${i}`, email: `c${i}@x`, name: "", tier: "gold" })), 0);
      await waitUntil(async () => (await Promise.all([...cluster.nodes.values()].map((n) => n.info()))).reduce((a, i) => a + i.stateStore.writes, 0) >= customers, 20_000, "loyal state written behind");
      await new Promise((r) => setTimeout(r, 300)); // one more write-behind round
      for (const id of ["node-1", "node-2", "node-3"]) cluster.kill(id);
      const t0 = performance.now();
      // Restarted at once with the same ids: the view still lists their dead incarnations.
      const m1 = (await Promise.all([cluster.addNode({ id: "node-1", sources: ["loyal", "clicks"], waitReady: false }), cluster.addNode({ id: "node-2", waitReady: false }), cluster.addNode({ id: "node-3", waitReady: false })]))[0];
      await cluster.waitForStable(30_000);
      const recoveryMs = Math.round(performance.now() - t0);
      const clicks = Array.from({ length: customers }, (_, i) => {
        expected.add(`after-${i}`);
        return clickCodec.encode({ clickId: `after-${i}`, customerId: `c-${i}`, adId: "ad", tsMs: 1 });
      });
      await sendAll({ host: "127.0.0.1", port: m1.sources.clicks! }, clicks, 0);
      const arrived = await emails.waitForAll(20_000, 300);
      const gaveUp = cluster.history.flatMap((n) => n.logs.filter((l) => /handoff never arrived/.test(l)));
      console.log(`full restart: stable again ${recoveryMs} ms after the restarts began; handoffs given up ${gaveUp.length}; emails ${JSON.stringify(emails.summary())}`);
      if (!arrived) console.log(cluster.problems().join("\n"));
      expect(gaveUp).toEqual([]);
      // Within one failure timeout (5 s default) and a little: no handoff timeout (5 s each) is waited out.
      expect(recoveryMs).toBeLessThan(8_000);
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
    } finally {
      await cluster.stop();
      await emails.close();
    }
  }, 90_000);

  it("nodes 'a.b' and 'a_b' are two members: when 'a.b' dies, the heartbeats of 'a_b' do not keep it in the view", async () => {
    const cluster = new ProcessCluster({ nats: nats.url, apps: ["sequencer"], sinks: { applied: "127.0.0.1:9" }, args: ["--state", "memory", "--heartbeat-ms", "100", "--failure-timeout-ms", "500", "--cluster", "ids"] });
    try {
      await cluster.addNode({ id: "a.b" });
      const b = await cluster.addNode({ id: "a_b" });
      await cluster.waitForStable();
      // Five failure timeouts side by side: neither is taken for dead while both beat.
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await b.info()).members.map((m) => m.id).sort()).toEqual(["a.b", "a_b"]);
      cluster.kill("a.b");
      await waitUntil(async () => (await b.info()).members.length === 1, 5_000, "a.b to be removed after it died");
      expect(cluster.problems().filter((l) => /removed from the cluster view|rejoin/.test(l))).toEqual([]);
    } finally {
      await cluster.stop();
    }
  }, 30_000);

  it("a node id that cannot name a member is refused at start with a clear error", async () => {
    const cluster = new ProcessCluster({ nats: nats.url, apps: ["sequencer"], sinks: { applied: "127.0.0.1:9" }, args: ["--cluster", "bad-ids"] });
    try {
      for (const bad of ["a..b", "a.", "has space", "x".repeat(65)]) {
        const node = await cluster.addNode({ id: bad, waitReady: false });
        await waitUntil(() => node.exitCode !== null, 10_000, `node "${bad}" to exit`);
        expect(node.exitCode).not.toBe(0);
        expect(node.logs.join("\n")).toMatch(/node id .* is invalid/);
      }
    } finally {
      await cluster.stop();
    }
  }, 60_000);
});

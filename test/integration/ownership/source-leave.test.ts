import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { AckedSourceClient } from "../../../runtime/io/acked-client.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";

// Found by `troupe verify --app loyalty --state memory --scenarios join-leave` (seed 1): the node an
// acknowledged client was sending to left (SIGTERM) and the client resent frames the node had taken
// but not yet acknowledged, so in memory mode (no de-duplication) their emails went out twice. A
// leaving node now acknowledges everything it took before it ends its connections.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

describe("a source node that leaves", () => {
  it.each(["memory", "snapshot"] as const)("%s mode: an acknowledged client sending to a node that is SIGTERMed resends nothing it had sent, so no email goes out twice", async (mode) => {
    const customers = 500;
    const expected = new Set<string>();
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const cluster = new ProcessCluster({ nats: nats.url, apps: ["loyalty"], sinks: { emails: `${sink.host}:${sink.port}` }, args: ["--state", mode, "--cluster", `source-leave-${mode}`] });
    const clients: AckedSourceClient[] = [];
    try {
      const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
      const n2 = await cluster.addNode({ sources: ["loyal", "clicks"] });
      await cluster.waitForStable();
      // Node-1 first, node-2 once node-1 is gone.
      const addresses = (source: "loyal" | "clicks") => () => [n1, n2].filter((n) => cluster.nodes.has(n.id)).map((n) => ({ host: "127.0.0.1", port: n.sources[source]! }));
      const loyal = new AckedSourceClient({ clientId: `leave-${mode}-loyal`, addresses: addresses("loyal") });
      const clicks = new AckedSourceClient({ clientId: `leave-${mode}-clicks`, addresses: addresses("clicks"), retryMs: 50 });
      clients.push(loyal, clicks);
      await loyal.start();
      for (let i = 0; i < customers; i++) await loyal.send(loyalCustomerCodec.encode({ customerId: `c-${i}`, email: `c${i}@x`, name: "", tier: "gold" }));
      expect(await loyal.flush(20_000)).toBe(true);
      await clicks.start();
      let n = 0;
      let leaving: Promise<number> | undefined;
      const t0 = performance.now();
      while (n < 15_000) {
        const clickId = `k-${n}`;
        expected.add(clickId);
        await clicks.send(clickCodec.encode({ clickId, customerId: `c-${n % customers}`, adId: "ad", tsMs: n }));
        n++;
        if (n === 5_000) leaving = cluster.terminate(n1.id);
        if (n % 50 === 0) {
          const ahead = n / 5_000 - (performance.now() - t0) / 1000; // 5,000 clicks/s
          if (ahead > 0) await new Promise((r) => setTimeout(r, ahead * 1000));
        }
      }
      expect(await leaving).toBe(0);
      expect(await clicks.flush(30_000)).toBe(true);
      await emails.waitForAll(30_000, 500);
      console.log(`${mode}: client reconnects ${clicks.stats.connects - 1}, frames resent ${clicks.stats.resent}; emails ${JSON.stringify(emails.summary())}`);
      expect(clicks.stats.connects).toBeGreaterThan(1); // it did have to move to node-2
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
    } finally {
      for (const c of clients) c.close();
      await cluster.stop();
      await emails.close();
    }
  }, 90_000);
});

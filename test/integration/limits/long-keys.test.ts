import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, customerStateCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { DEFAULT_MAX_KEY_BYTES } from "../../../runtime/defaults.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { readStoredStates } from "../../helpers/stored-state.js";
import { waitUntil } from "../../helpers/wait.js";

// Keys of any length up to the documented maximum work end to end (a long key's KV key is a hash;
// the stored value keeps the key); a longer key is a clear dead letter and nothing else suffers.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

describe("long actor keys", () => {
  it("5,000-byte customer ids over two nodes with an actor bound (KV reads and writes) email every click; a key over the maximum is dead-lettered alone", async () => {
    const customers = 300;
    const longId = (i: number) => `cust-${i}-`.padEnd(5_000, "x");
    const tooLong = "c".repeat(DEFAULT_MAX_KEY_BYTES + 1);
    const expected = new Set<string>();
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const cluster = new ProcessCluster({
      nats: nats.url,
      apps: ["loyalty"],
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--state", "snapshot", "--max-actors", "20", "--snapshot-interval-ms", "200", "--cluster", "long-keys"],
    });
    try {
      const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
      await cluster.addNode();
      await cluster.waitForStable();
      const to = (s: string) => ({ host: "127.0.0.1", port: n1.sources[s]! });
      const loyal = Array.from({ length: customers }, (_, i) => loyalCustomerCodec.encode({ customerId: longId(i), email: `c${i}@x`, name: "", tier: "gold" }));
      loyal.push(loyalCustomerCodec.encode({ customerId: tooLong, email: "long@x", name: "", tier: "gold" }));
      await sendAll(to("loyal"), loyal, 0);
      await waitUntil(async () => (await Promise.all([...cluster.nodes.values()].map((n) => n.info()))).reduce((a, i) => a + (i.apps[0]?.steps["saveLoyalCustomer"] ?? 0), 0) >= customers, 20_000, "loyal records applied");
      const clicks: Uint8Array[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < customers; i++) {
          const clickId = `long-${round}-${i}`;
          expected.add(clickId);
          clicks.push(clickCodec.encode({ clickId, customerId: longId(i), adId: "ad", tsMs: 1 }));
        }
        clicks.push(clickCodec.encode({ clickId: `too-long-${round}`, customerId: tooLong, adId: "ad", tsMs: 1 }));
      }
      await sendAll(to("clicks"), clicks, 0);
      const arrived = await emails.waitForAll(30_000, 300);
      const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info()));
      if (!arrived) console.log(cluster.problems().join("\n"));
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
      // The over-long key: one dead letter per event that carried it (1 record + 3 clicks), on the source node.
      const metrics = await (await fetch(`${n1.http}/metrics`)).text();
      expect(metrics).toMatch(/troupe_dead_letters_total\{reason="key_too_long",node="node-1"\} 4/);
      expect(infos.reduce((a, i) => a + i.deadLetters, 0)).toBe(4);
      // No node lost its NATS connection over a long subject.
      expect(cluster.problems().filter((l) => /nats disconnect|control line/i.test(l))).toEqual([]);
      // The store holds every long key's state under its full key.
      for (const id of [...cluster.nodes.keys()].reverse()) expect(await cluster.terminate(id)).toBe(0);
      const stored = await readStoredStates(nats.url, "long-keys", "loyalty", "loyalty customers", customerStateCodec);
      for (let i = 0; i < customers; i++) expect(stored.get(longId(i))).toMatchObject({ state: { loyal: true, clicks: 3, emails: 3 } });
    } finally {
      await cluster.stop();
      await emails.close();
    }
  }, 90_000);
});

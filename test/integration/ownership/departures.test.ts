import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { clicks, expectedEmails, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

// Several nodes leaving at once (SIGTERM together, as `docker compose up --scale` does): each leaver
// hands its slots to members that stay, drains in about the time of one, and nothing is lost or doubled.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

describe("several nodes leaving at once", () => {
  it.each(["memory", "snapshot", "durable"] as const)(
    "%s mode: 3 of 5 nodes SIGTERMed together under load all exit within 15 s; every email arrives exactly once; no handoff is given up",
    async (mode) => {
      const spec: WorkloadSpec = { customers: 4_000, loyalFraction: 0.4, clicks: 40_000, seed: 21 };
      const expected = expectedEmails(spec);
      const emails = new EmailSinkReceiver(expected);
      const sink = await emails.start();
      const cluster = new ProcessCluster({
        nats: nats.url,
        apps: ["loyalty"],
        sinks: { emails: `${sink.host}:${sink.port}` },
        args: ["--state", mode, "--snapshot-interval-ms", "200", "--cluster", `leave3-${mode}`],
      });
      try {
        const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
        for (let i = 0; i < 4; i++) await cluster.addNode();
        await cluster.waitForStable();
        const to = (s: string) => ({ host: "127.0.0.1", port: n1.sources[s]! });
        const loyalSent = await sendAll(to("loyal"), [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c)), 0);
        await waitUntil(
          async () => (await Promise.all([...cluster.nodes.values()].map((n) => n.info()))).reduce((a, i) => a + (i.apps[0]?.steps["saveLoyalCustomer"] ?? 0), 0) >= loyalSent,
          20_000,
          "loyal records applied",
        );
        // Clicks at 8,000/s for 5 s; the three leave together 1.5 s in.
        const traffic = sendAll(to("clicks"), [...clicks(spec)].map((c) => clickCodec.encode(c)), 8_000);
        await new Promise((r) => setTimeout(r, 1_500));
        const t0 = performance.now();
        const exits = await Promise.all(["node-3", "node-4", "node-5"].map(async (id) => ({ id, code: await cluster.terminate(id, 30_000), ms: Math.round(performance.now() - t0) })));
        await traffic;
        await cluster.waitForStable(20_000);
        const arrived = await emails.waitForAll(30_000, 500);
        const gaveUp = cluster.history.flatMap((n) => n.logs.filter((l) => /handoff never arrived|left before handing off/.test(l)));
        console.log(`${mode}: leavers exited ${exits.map((e) => `${e.id} ${e.code} in ${e.ms} ms`).join(", ")}; emails ${JSON.stringify(emails.summary())}; handoffs given up ${gaveUp.length}`);
        if (!arrived) console.log(cluster.problems().join("\n"));
        for (const e of exits) {
          expect(e.code).toBe(0);
          expect(e.ms).toBeLessThan(15_000);
        }
        expect(gaveUp).toEqual([]);
        expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
      } finally {
        await cluster.stop();
        await emails.close();
      }
    },
    120_000,
  );
});

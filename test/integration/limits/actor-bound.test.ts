import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, customerStateCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { clicks, expectedEmails, isLoyal, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { readStoredStates } from "../../helpers/stored-state.js";
import { waitUntil } from "../../helpers/wait.js";

// More keys than the actor bound: actors are passivated to the store and re-activated from it all the
// time. Every re-activation must read the state the actor had (never a stale one), no write may be
// refused as a stale owner's, and at the end the stored state must hold exactly what was sent.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

const PARTITION = "loyalty customers";

async function loyalApplied(node: NodeProcess): Promise<number> {
  const info = await node.info();
  return info.apps.find((a) => a.name === "loyalty")?.steps["saveLoyalCustomer"] ?? 0;
}

/** Clicks sent per customer id. */
function clicksPerCustomer(spec: WorkloadSpec): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of clicks(spec)) m.set(c.customerId, (m.get(c.customerId) ?? 0) + 1);
  return m;
}

/** Compares the stored state of every customer with what was sent; returns the mismatches (at most 10) and their count. */
async function checkStored(cluster: string, spec: WorkloadSpec): Promise<{ count: number; examples: string[] }> {
  const stored = await readStoredStates(nats.url, cluster, "loyalty", PARTITION, customerStateCodec);
  const perCustomer = clicksPerCustomer(spec);
  const examples: string[] = [];
  let count = 0;
  for (let i = 0; i < spec.customers; i++) {
    const id = `cust-${i}`;
    const want = perCustomer.get(id) ?? 0;
    const loyal = isLoyal(spec, i);
    if (want === 0 && !loyal) continue;
    const s = stored.get(id)?.state;
    const ok = s !== undefined && s.clicks === want && s.loyal === loyal && s.emails === (loyal ? want : 0);
    if (!ok) {
      count++;
      if (examples.length < 10) examples.push(`${id}: stored ${JSON.stringify(s)}, sent ${want} clicks, loyal ${loyal}`);
    }
  }
  return { count, examples };
}

describe("more keys than the actor bound", () => {
  it.each(["snapshot", "durable"] as const)(
    "%s mode, one node, --max-actors 50, 5,000 customers: every email once, no state write refused, stored state equals what was sent",
    async (mode) => {
      const spec: WorkloadSpec = { customers: 5_000, loyalFraction: 0.3, clicks: 30_000, seed: 7 };
      const expected = expectedEmails(spec);
      const emails = new EmailSinkReceiver(expected);
      const sink = await emails.start();
      const clusterName = `bound-${mode}`;
      const cluster = new ProcessCluster({
        nats: nats.url,
        apps: ["loyalty"],
        sinks: { emails: `${sink.host}:${sink.port}` },
        args: ["--state", mode, "--max-actors", "50", "--snapshot-interval-ms", "200", "--cluster", clusterName],
      });
      try {
        const node = await cluster.addNode({ sources: ["loyal", "clicks"] });
        const to = (s: string) => ({ host: "127.0.0.1", port: node.sources[s]! });
        const loyalSent = await sendAll(to("loyal"), [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c)), 0);
        await waitUntil(async () => (await loyalApplied(node)) >= loyalSent, 30_000, "loyal records applied");
        await sendAll(to("clicks"), [...clicks(spec)].map((c) => clickCodec.encode(c)), 0);
        const arrived = await emails.waitForAll(60_000, 300);
        const info = await node.info();
        console.log(`${mode} bound 50: emails ${JSON.stringify(emails.summary())}; active actors ${info.activeActors}; store ${JSON.stringify(info.stateStore)}; dead letters ${info.deadLetters}`);
        if (!arrived) console.log(cluster.problems().join("\n"));
        expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
        expect(info.activeActors).toBeLessThanOrEqual(50);
        expect(info.deadLetters).toBe(0);
        // No write was refused: nobody else owns these keys, so a refusal would mean a stale read.
        expect(info.stateStore.store).toMatchObject({ conflicts: 0, fenced: 0 });
        // A graceful leave of the last node writes every dirty state; then the store must match what was sent.
        expect(await cluster.terminate(node.id)).toBe(0);
        const bad = await checkStored(clusterName, spec);
        expect(bad.examples).toEqual([]);
        expect(bad.count).toBe(0);
      } finally {
        await cluster.stop();
        await emails.close();
      }
    },
    120_000,
  );

  it("snapshot mode, --max-actors 100: NATS killed (-9) and back after 3 s mid-stream; every email once, no step runs without its state", async () => {
    const spec: WorkloadSpec = { customers: 3_000, loyalFraction: 0.4, clicks: 24_000, seed: 9 };
    const expected = expectedEmails(spec);
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const clusterName = "bound-restart";
    const cluster = new ProcessCluster({
      nats: nats.url,
      apps: ["loyalty"],
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--state", "snapshot", "--max-actors", "100", "--snapshot-interval-ms", "200", "--cluster", clusterName],
    });
    try {
      const node = await cluster.addNode({ sources: ["loyal", "clicks"] });
      const to = (s: string) => ({ host: "127.0.0.1", port: node.sources[s]! });
      const loyalSent = await sendAll(to("loyal"), [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c)), 0);
      await waitUntil(async () => (await loyalApplied(node)) >= loyalSent, 30_000, "loyal records applied");
      // About 4,000 clicks/s for 6 s; NATS dies 1.5 s in and is back 3 s later.
      const traffic = sendAll(to("clicks"), [...clicks(spec)].map((c) => clickCodec.encode(c)), 4_000);
      await new Promise((r) => setTimeout(r, 1_500));
      await nats.crash(3_000);
      await traffic;
      const arrived = await emails.waitForAll(60_000, 500);
      const info = await node.info();
      console.log(`NATS crash with bound 100: emails ${JSON.stringify(emails.summary())}; store ${JSON.stringify(info.stateStore)}; dead letters ${info.deadLetters}`);
      if (!arrived) console.log(cluster.problems().join("\n"));
      const stepErrors = node.logs.filter((l) => /step_error|Cannot read properties/.test(l));
      expect(stepErrors.slice(0, 5)).toEqual([]);
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
      expect(await cluster.terminate(node.id)).toBe(0);
      const bad = await checkStored(clusterName, spec);
      expect(bad.examples).toEqual([]);
    } finally {
      await cluster.stop();
      await emails.close();
    }
  }, 120_000);
});

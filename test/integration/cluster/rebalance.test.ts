import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { startSinkCollector, type SinkCollector } from "../../helpers/sink-collector.js";
import { checkApplied, doubleOwners, tickFrames } from "../../helpers/ticks.js";
import { openFrameSender } from "../../helpers/frames.js";
import { waitUntil } from "../../helpers/wait.js";

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

const CUSTOMERS = 1500;
const STEPS = 5; // 1->2, 2->3, 3->5, 5->3, 3->1
const loyal = (i: number) => i % 3 === 0;
const group = (i: number) => i % STEPS;

async function appliedLoyal(cluster: ProcessCluster): Promise<number> {
  const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info().catch(() => undefined)));
  return infos.reduce((a, i) => a + (i?.apps.find((x) => x.name === "loyalty")?.steps["saveLoyalCustomer"] ?? 0), 0);
}

describe("live rebalancing over NATS", () => {
  it.each(["memory", "snapshot", "durable"] as const)("scales 1 -> 2 -> 3 -> 5 -> 3 -> 1 under load in %s state mode: state survives every move and every expected email arrives exactly once", async (mode) => {
    const expected = new Set<string>();
    const emails = new EmailSinkReceiver(expected);
    const addr = await emails.start();
    const cluster = new ProcessCluster({ nats: nats.url, apps: ["loyalty"], sinks: { emails: `${addr.host}:${addr.port}` }, args: ["--state", mode, "--cluster", `scale-${mode}`] });
    try {
      const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
      const to = (n: NodeProcess, s: string) => ({ host: "127.0.0.1", port: n.sources[s]! });
      let clickNo = 0;
      let loyalSent = 0;
      // Clicks for customers whose loyal record is known applied (expected emails), and for never-loyal ones (no email).
      const clicksFor = (customers: number[], label: string): Uint8Array[] =>
        customers.map((i) => {
          const clickId = `${label}-${clickNo++}`;
          if (loyal(i)) expected.add(clickId);
          return clickCodec.encode({ clickId, customerId: `cust-${i}`, adId: "ad-1", tsMs: Date.now() });
        });
      const ops: Array<() => Promise<unknown>> = [
        () => cluster.addNode(),
        () => cluster.addNode(),
        () => Promise.all([cluster.addNode(), cluster.addNode()]),
        () => Promise.all([cluster.terminate("node-5"), cluster.terminate("node-4")]),
        () => Promise.all([cluster.terminate("node-3"), cluster.terminate("node-2")]),
      ];
      const sizes = [2, 3, 5, 3, 1];
      for (let step = 0; step < STEPS; step++) {
        const settled = Array.from({ length: CUSTOMERS }, (_, i) => i).filter((i) => (loyal(i) ? group(i) < step : true));
        const newLoyal = Array.from({ length: CUSTOMERS }, (_, i) => i).filter((i) => loyal(i) && group(i) === step);
        loyalSent += newLoyal.length;
        // Loyal records, clicks and the membership change all at once.
        const exitCodes = await Promise.all([
          sendAll(to(n1, "loyal"), newLoyal.map((i) => loyalCustomerCodec.encode({ customerId: `cust-${i}`, email: `c${i}@example.com`, name: `C ${i}`, tier: "gold" })), 4000),
          sendAll(to(n1, "clicks"), clicksFor(settled, `s${step}`), 8000),
          ops[step]!(),
        ]);
        void exitCodes;
        await cluster.waitForStable(30_000);
        expect(cluster.nodes.size).toBe(sizes[step]);
        // Joins are warm: the joiner's future slots were pre-copied and the handoffs sent only what changed
        // since; no handoff named a copy its target had not staged.
        const warm = (await Promise.all([...cluster.nodes.values()].map((n) => n.info()))).map((i) => i.handoff.warmJoin);
        expect(warm.reduce((a, w) => a + w.received.missing, 0)).toBe(0);
        if (step === 0) expect(warm.reduce((a, w) => a + w.sent.deltas, 0)).toBeGreaterThan(0);
        // No wait for the loyal records: node-1 read them before the probe below was even sent, and it routes
        // a key's events in the order it read them, so each record reaches its actor before the key's probe.
        expect(await appliedLoyal(cluster)).toBeLessThanOrEqual(loyalSent);
        // State check after the move: one probe click per customer; exactly the loyal ones (so far) email back.
        const probe = Array.from({ length: CUSTOMERS }, (_, i) => i).filter((i) => (loyal(i) ? group(i) <= step : true));
        const before = emails.seen.size;
        const wantProbe = probe.filter(loyal).length;
        await sendAll(to(n1, "clicks"), clicksFor(probe, `p${step}`), 0);
        await waitUntil(() => emails.seen.size - emails.unexpected >= expected.size, 30_000, `step ${step}: every expected email`).catch(async (err: unknown) => {
          const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info().catch(() => undefined)));
          console.log(cluster.problems().join("\n"), JSON.stringify(emails.summary()), JSON.stringify(infos.map((i) => i && { node: i.node, epoch: i.epoch, owned: i.slotsOwned, handoff: i.slotsInHandoff, eventLog: i.eventLog, parked: i.parked })));
          throw err;
        });
        expect(emails.seen.size - before).toBeGreaterThanOrEqual(wantProbe);
        expect(emails.unexpected).toBe(0);
        console.log(`step ${step}: ${cluster.nodes.size} nodes, ${expected.size} emails expected so far, all arrived, 0 unexpected`);
      }
      await new Promise((r) => setTimeout(r, 300)); // a window for late repeats to show up in the count
      const s = emails.summary();
      expect(s).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: expected.size });
    } finally {
      await cluster.stop();
      await emails.close();
    }
  });

  it("never lets two nodes apply one (slot, epoch) while nodes join and leave repeatedly; per-key order holds", async () => {
    const out: SinkCollector = await startSinkCollector();
    const cluster = new ProcessCluster({ nats: nats.url, apps: ["sequencer"], sinks: { applied: `${out.host}:${out.port}` } });
    try {
      const n1 = await cluster.addNode({ sources: ["ticks"] });
      await cluster.addNode();
      const streams = ["x", "y"];
      let total = 0;
      const allLogs: string[] = [];
      const keep = (n: { logs: string[] }) => setInterval(() => allLogs.push(...n.logs.splice(0)), 50);
      keep(n1);
      const churn = async () => {
        for (let i = 0; i < 3; i++) {
          const n = await cluster.addNode();
          keep(n);
          await cluster.terminate(n.id);
          allLogs.push(...n.logs.splice(0));
        }
        await cluster.terminate("node-2");
        await cluster.addNode();
      };
      // Traffic runs for as long as the churn does (and a little after), round by round: every round is one
      // tick per key per stream, so each key must end with seqs 1..rounds in order.
      let churning = true;
      let rounds = 0;
      const senders = await Promise.all(streams.map(() => openFrameSender("127.0.0.1", n1.sources.ticks!)));
      const traffic = (async () => {
        while (churning || rounds < 3) {
          rounds++;
          streams.forEach((s, i) => senders[i]!.sendMany(tickFrames(s, 500, 1, rounds)));
          await new Promise((r) => setTimeout(r, 25));
        }
        await Promise.all(senders.map((x) => x.end()));
      })();
      await churn();
      churning = false;
      await traffic;
      total = streams.length * 500 * rounds;
      await out.waitFor(total, 30_000);
      const { applied, errors, perStream } = checkApplied(out.frames);
      if (errors.length) for (const l of allLogs) if (/warn|error|"level":[45]0/.test(l) || /epoch changed/.test(l)) console.log(l.slice(0, 400));
      expect(errors).toEqual([]);
      expect(applied.length).toBe(total);
      for (const seqs of perStream.values()) expect(seqs).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
      expect(doubleOwners(applied)).toEqual([]);
      const epochs = new Set(applied.map((a) => a.epoch));
      console.log(`single owner: ${applied.length} events over ${epochs.size} epochs on ${new Set(applied.map((a) => a.node)).size} nodes, no (slot, epoch) applied by two nodes`);
      expect(epochs.size).toBeGreaterThan(5);
    } finally {
      await cluster.stop();
      await out.close();
    }
  });
});

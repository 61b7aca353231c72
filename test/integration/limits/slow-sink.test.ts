import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

// A receiver that stops reading must slow the cluster down (sources pause), not grow its memory:
// every node's sink takes part in backpressure, and a node whose sink is full stops taking events
// from the others, whose sources then pause at their own high-water marks.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

function rssMiB(node: NodeProcess): number {
  const status = readFileSync(`/proc/${node.proc.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

describe("a sink that stops reading", () => {
  it.each(["memory", "durable"] as const)(
    "%s mode: the email receiver stalls for 8 s under a flood of 2 kB emails; node memory stays bounded and every email arrives once it reads again",
    async (mode) => {
      const customers = 2_000;
      const expected = new Set<string>();
      const emails = new EmailSinkReceiver(expected);
      const sink = await emails.start();
      const cluster = new ProcessCluster({ nats: nats.url, apps: ["loyalty"], sinks: { emails: `${sink.host}:${sink.port}` }, args: ["--state", mode, "--cluster", `slow-sink-${mode}`] });
      try {
        const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
        const n2 = await cluster.addNode();
        await cluster.waitForStable();
        const to = (s: string) => ({ host: "127.0.0.1", port: n1.sources[s]! });
        await sendAll(to("loyal"), Array.from({ length: customers }, (_, i) => loyalCustomerCodec.encode({ customerId: `c-${i}`, email: `c${i}@x`, name: "", tier: "gold" })), 0);
        await waitUntil(async () => (await Promise.all([n1.info(), n2.info()])).reduce((a, i) => a + (i.apps[0]?.steps["saveLoyalCustomer"] ?? 0), 0) >= customers, 20_000, "loyal records applied");
        const base = Math.max(rssMiB(n1), rssMiB(n2));
        emails.pause();
        const ad = "a".repeat(2_000); // every email repeats the ad id: 2 kB each
        const total = 150_000; // 300 MB of emails if nothing held the sources back
        const clicks = (function* () {
          for (let n = 0; n < total; n++) {
            const clickId = `k-${n}`;
            expected.add(clickId);
            yield clickCodec.encode({ clickId, customerId: `c-${n % customers}`, adId: ad, tsMs: n });
          }
        })();
        let peak = base;
        const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(n1), rssMiB(n2))), 100);
        const sending = sendAll(to("clicks"), clicks, 0);
        await new Promise((r) => setTimeout(r, 4_000));
        const midPeak = peak;
        await new Promise((r) => setTimeout(r, 4_000));
        const stalledAt = emails.summary().received;
        clearInterval(sampler);
        const stalledPeak = peak;
        // Every buffer at its bound: the sinks' (8 MiB high-water mark, overshot by at most a turn's outputs).
        const buffered = await Promise.all([n1, n2].map(async (n) => Number(/^troupe_sink_buffered_bytes\{[^}]*\} (\S+)/m.exec(await (await fetch(`${n.http}/metrics`)).text())?.[1] ?? NaN)));
        const after = setInterval(() => (peak = Math.max(peak, rssMiB(n1), rssMiB(n2))), 100);
        emails.resume();
        await sending;
        const arrived = await emails.waitForAll(120_000, 500);
        clearInterval(after);
        const infos = await Promise.all([n1.info(), n2.info()]);
        console.log(`${mode} stalled sink: RSS ${base.toFixed(0)} MiB before, peak ${midPeak.toFixed(0)} MiB after 4 s stalled and ${stalledPeak.toFixed(0)} MiB after 8 s (${peak.toFixed(0)} MiB with the flood running after); sink buffers ${buffered.map((b) => (b / 2 ** 20).toFixed(1)).join(", ")} MiB; emails received while stalled ${stalledAt}; after ${JSON.stringify(emails.summary())}; sink pauses ${JSON.stringify(infos.map((i) => i.transport.refusedWhilePaused ?? 0))}`);
        if (!arrived) console.log(cluster.problems().join("\n"));
        expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
        // Bounded while stalled: memory stops growing once the high-water marks are reached (8 MiB per sink,
        // 32 MiB unacknowledged or not yet stored per node), however long the receiver stalls. Without
        // backpressure it grows with every email: 150,000 of 2 kB would be 300 MB.
        for (const b of buffered) expect(b).toBeLessThan(16 * 2 ** 20);
        expect(stalledPeak - midPeak).toBeLessThan(40);
        expect(stalledPeak - base).toBeLessThan(250);
      } finally {
        await cluster.stop();
        await emails.close();
      }
    },
    180_000,
  );
});

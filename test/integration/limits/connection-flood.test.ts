import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

// Issue 11, case 6: thousands of idle connections to a source must not lock real clients out,
// and a connection the source refuses or closes costs a counter, not a dead letter.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

const FLOOD = 5_000;
// Long enough for the real client to finish while the flood is still held, short enough to watch it expire.
const FIRST_FRAME_MS = 6_000;

/** Opens one connection that never sends a byte and counts it when the node closes it. */
async function idleConnection(port: number, onClosed: () => void): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  socket.on("close", onClosed);
  await once(socket, "connect");
  return socket;
}

/** Sums a Prometheus counter or gauge of the node over the series whose labels include `labels`. */
async function metric(node: NodeProcess, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${node.http}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => m[2]!.includes(`${k}="${v}"`))) sum += Number(m[3]);
  }
  return sum;
}

describe("connection flood", () => {
  it("5,000 idle connections to a source do not lock out a real client, cost no dead letters, and expire at the first-frame deadline", async () => {
    const customers = 400;
    const expected = new Set<string>();
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const cluster = new ProcessCluster({
      nats: nats.url,
      apps: ["loyalty"],
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--cluster", "flood"],
      env: { TROUPE_SOURCE_FIRST_FRAME_TIMEOUT_MS: String(FIRST_FRAME_MS) },
    });
    const flood: Socket[] = [];
    let floodClosed = 0;
    try {
      const node = await cluster.addNode({ sources: ["loyal", "clicks"] });
      await cluster.waitForStable();
      const clicksPort = node.sources.clicks!;
      const deadBefore = (await node.info()).deadLetters;

      // The flood: opened in waves (below the listen backlog) and kept open from this side.
      for (let i = 0; i < FLOOD; i += 250) {
        const wave = await Promise.all(Array.from({ length: Math.min(250, FLOOD - i) }, () => idleConnection(clicksPort, () => floodClosed++)));
        flood.push(...wave);
      }

      // A real client, on fresh connections that send at once: loyal records, then clicks on four connections.
      const t0 = performance.now();
      const loyal = Array.from({ length: customers }, (_, i) => i).filter((i) => i % 2 === 0);
      await sendAll({ host: "127.0.0.1", port: node.sources.loyal! }, loyal.map((i) => loyalCustomerCodec.encode({ customerId: `cust-${i}`, email: `c${i}@x`, name: "", tier: "gold" })), 0);
      await waitUntil(async () => (await node.info()).apps.find((a) => a.name === "loyalty")!.steps["saveLoyalCustomer"] === loyal.length, 10_000, "loyal records applied");
      const clicks = Array.from({ length: customers }, (_, i) => {
        const clickId = `during-flood-${i}`;
        if (i % 2 === 0) expected.add(clickId);
        return clickCodec.encode({ clickId, customerId: `cust-${i}`, adId: "ad", tsMs: 1 });
      });
      const quarter = clicks.length / 4;
      await Promise.all([0, 1, 2, 3].map((q) => sendAll({ host: "127.0.0.1", port: clicksPort }, clicks.slice(q * quarter, (q + 1) * quarter), 0)));
      expect(await emails.waitForAll(10_000)).toBe(true);
      const realMs = performance.now() - t0;
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: customers / 2 });
      // The real client got in while the flood was still held, not after it expired.
      const stillHeld = FLOOD - floodClosed;
      expect(stillHeld).toBeGreaterThan(0);

      // Refusals and evictions are counted in the metrics; none of them is a dead letter.
      const evicted = await metric(node, "troupe_source_connections_refused_total", { source: "clicks", reason: "evicted_silent" });
      expect(evicted).toBeGreaterThanOrEqual(FLOOD - stillHeld);
      expect((await node.info()).deadLetters - deadBefore).toBe(0);

      // The idle connections still open are closed by the first-frame deadline.
      await waitUntil(() => floodClosed === FLOOD, FIRST_FRAME_MS + 10_000, "every idle connection closed");
      const timedOut = await metric(node, "troupe_source_connections_refused_total", { source: "clicks", reason: "first_frame_timeout" });
      const evictedAll = await metric(node, "troupe_source_connections_refused_total", { source: "clicks", reason: "evicted_silent" });
      const refused = await metric(node, "troupe_source_connections_refused_total", { source: "clicks", reason: "max_connections" });
      const refusedPerAddress = await metric(node, "troupe_source_connections_refused_total", { source: "clicks", reason: "max_connections_per_address" });
      console.log(
        `connection flood: ${FLOOD} idle connections; real client done in ${Math.round(realMs)} ms with ${stillHeld} of them held; ${evictedAll} evicted, ${timedOut} closed at the first-frame deadline, ${refused + refusedPerAddress} refused`,
      );
      expect(timedOut).toBeGreaterThan(0);
      // Every idle connection is accounted for, and none had to be refused: there was always a silent one to evict.
      expect(evictedAll + timedOut).toBe(FLOOD);
      expect(refused + refusedPerAddress).toBe(0);
      await waitUntil(async () => (await metric(node, "troupe_source_connections", { source: "clicks" })) === 0, 5_000, "no connection left open on clicks");
      expect((await node.info()).deadLetters - deadBefore).toBe(0);
    } finally {
      for (const s of flood) s.destroy();
      await cluster.stop();
      await emails.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { clicks, customerId, expectedEmails, isLoyal, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { AckedSourceClient } from "../../../runtime/io/acked-client.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

// Durable mode: sources store each event in a JetStream stream before acknowledging it; a slot's
// owner reads the stream from the slot's checkpoint, so a crash loses nothing and applies nothing twice.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

describe("durable state mode (JetStream stream + KV)", () => {
  it("crash test: 5 SIGKILLs with replacements while clicks flow; every expected email arrives, state stays correct", async () => {
    const spec: WorkloadSpec = { customers: 2_000, loyalFraction: 0.4, clicks: 60_000, seed: 11 };
    const expected = expectedEmails(spec);
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const cluster = new ProcessCluster({
      nats: nats.url,
      apps: ["loyalty"],
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--state", "durable", "--snapshot-interval-ms", "200", "--heartbeat-ms", "200", "--failure-timeout-ms", "1000", "--cluster", "durable"],
    });
    const sources = ["loyal", "clicks"] as const;
    // The clients follow the cluster: after a kill they reconnect to a live node and resend what was not acknowledged.
    const addresses = (source: (typeof sources)[number]) => () => [...cluster.nodes.values()].map((n) => ({ host: "127.0.0.1", port: n.sources[source]! }));
    const loyal = new AckedSourceClient({ clientId: "loyal-gen", addresses: addresses("loyal") });
    const clickClient = new AckedSourceClient({ clientId: "click-gen", addresses: addresses("clicks"), window: 4096 });
    let sent = 0;
    try {
      for (let i = 0; i < 3; i++) await cluster.addNode({ sources: [...sources] });
      await cluster.waitForStable();
      await loyal.start();
      for (const c of loyalCustomers(spec)) await loyal.send(loyalCustomerCodec.encode(c));
      expect(await loyal.flush(30_000)).toBe(true); // every loyal record is in the stream, ahead of every click
      await clickClient.start();
      const all = [...clicks(spec)];
      let running = true;
      const traffic = (async () => {
        const perTick = 40; // about 4,000 clicks/s: the traffic outlasts the five kills
        while (sent < all.length && running) {
          for (let i = 0; i < perTick && sent < all.length; i++) await clickClient.send(clickCodec.encode(all[sent++]!));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const victims: string[] = [];
      for (let k = 0; k < 5; k++) {
        await new Promise((r) => setTimeout(r, 700));
        const victim = [...cluster.nodes.keys()][0]!; // the oldest: every original node and then a replacement
        victims.push(victim);
        console.log(`${new Date().toISOString()} kill ${victim}; clicks sent ${sent}, acked ${clickClient.stats.acked}, emails ${emails.summary().unique}`);
        cluster.kill(victim);
        await cluster.addNode({ sources: [...sources] });
        await cluster.waitForStable(30_000).catch(async (err: unknown) => {
          console.log(cluster.problems().join("\n"), JSON.stringify(await Promise.all([...cluster.nodes.values()].map((n) => n.info().then((i) => ({ node: i.node, epoch: i.epoch, members: i.members, ready: i.ready, handoff: i.slotsInHandoff })).catch(() => "unreachable")))));
          throw err;
        });
      }
      await traffic;
      running = false;
      console.log(`${new Date().toISOString()} traffic done; clicks sent ${sent}, acked ${clickClient.stats.acked}, emails ${emails.summary().unique}`);
      expect(await clickClient.flush(60_000)).toBe(true);
      const arrived = await emails.waitForAll(60_000, 1_000);
      const summary = emails.summary();
      const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info()));
      const skipped = infos.reduce((a, i) => a + (i.eventLog?.repeatsSkipped ?? 0), 0);
      console.log(
        `durable crash test: killed ${victims.join(", ")}; clicks sent ${sent} (resent after reconnects ${clickClient.stats.resent}), ` +
          `emails expected ${summary.expected}, unique ${summary.unique}, missing ${summary.missing}, unexpected ${summary.unexpected}, ` +
          `repeats ${summary.duplicates} (outputs of events replayed after a crash), replayed events skipped as already applied (live nodes) ${skipped}`,
      );
      if (!arrived) console.log(cluster.problems().join("\n"));
      expect(sent).toBe(spec.clicks);
      expect(summary.missing).toBe(0);
      expect(summary.unexpected).toBe(0); // no click of a non-loyal customer emailed: state was never wrong
      expect(summary.unique).toBe(expected.size);
      // Retention: the stream is trimmed below the oldest slot checkpoint, so it does not grow without bound.
      const nc = await connect({ servers: nats.url });
      try {
        const jsm = await jetstreamManager(nc);
        let state = (await jsm.streams.info("troupe_durable_events_loyalty")).state;
        await waitUntil(async () => (state = (await jsm.streams.info("troupe_durable_events_loyalty")).state).first_seq > 1, 20_000, "the event stream to be trimmed");
        console.log(`event stream after the run: first seq ${state.first_seq}, last seq ${state.last_seq}, ${state.messages} messages, ${state.bytes} bytes kept`);
        expect(state.messages).toBeLessThan(state.last_seq);
      } finally {
        await nc.close();
      }
    } finally {
      console.log(`${new Date().toISOString()} end; clicks sent ${sent}, acked ${clickClient.stats.acked}, emails ${emails.summary().unique}/${expected.size}`);
      loyal.close();
      clickClient.close();
      await cluster.stop();
      await emails.close();
    }
  }, 240_000);

  it("keeps every loyal customer's state across a restart of the whole cluster", async () => {
    const spec: WorkloadSpec = { customers: 1_000, loyalFraction: 0.5, clicks: 0, seed: 3 };
    const opts = { nats: nats.url, apps: ["loyalty"], args: ["--state", "durable", "--snapshot-interval-ms", "200", "--cluster", "durable-restart"] };
    const expected = new Set<string>();
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const first = new ProcessCluster({ ...opts, sinks: { emails: `${sink.host}:${sink.port}` } });
    try {
      const n1 = await first.addNode({ sources: ["loyal"] });
      await first.addNode();
      await first.waitForStable();
      const client = new AckedSourceClient({ clientId: "restart-loyal", addresses: () => [{ host: "127.0.0.1", port: n1.sources.loyal! }] });
      await client.start();
      for (const c of loyalCustomers(spec)) await client.send(loyalCustomerCodec.encode(c));
      expect(await client.flush(30_000)).toBe(true);
      client.close();
      for (const id of [...first.nodes.keys()]) expect(await first.terminate(id)).toBe(0);
    } finally {
      await first.stop();
    }
    const second = new ProcessCluster({ ...opts, sinks: { emails: `${sink.host}:${sink.port}` } });
    try {
      const m1 = await second.addNode({ id: "node-a", sources: ["clicks"] });
      await second.addNode({ id: "node-b" });
      await second.waitForStable();
      const client = new AckedSourceClient({ clientId: "restart-clicks", addresses: () => [{ host: "127.0.0.1", port: m1.sources.clicks! }] });
      await client.start();
      for (let i = 0; i < spec.customers; i++) {
        const clickId = `after-restart-${i}`;
        if (isLoyal(spec, i)) expected.add(clickId);
        await client.send(clickCodec.encode({ clickId, customerId: customerId(i), adId: "ad", tsMs: 1 }));
      }
      expect(await client.flush(30_000)).toBe(true);
      client.close();
      const arrived = await emails.waitForAll(30_000, 500);
      if (!arrived) console.log(JSON.stringify(emails.summary()), second.problems().join("\n"), JSON.stringify(await Promise.all([...second.nodes.values()].map((n) => n.info().then((i) => ({ node: i.node, epoch: i.epoch, owned: i.slotsOwned, eventLog: i.eventLog, eventsOut: i.eventsOut, dead: i.deadLetters }))))));
      expect(arrived).toBe(true);
      expect(emails.summary()).toMatchObject({ missing: 0, unexpected: 0, unique: expected.size });
    } finally {
      await second.stop();
      await emails.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import type { ControlMessage, Envelope } from "../../../runtime/types.js";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec, type Click } from "../../../apps/loyalty/messages.js";
import { clicks, customerId, expectedEmails, isLoyal, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { AckedSourceClient } from "../../../runtime/io/acked-client.js";
import { silentLogger } from "../../../runtime/logger.js";
import { JetStreamPublisher, JetStreamPublishError, PAYLOAD_TOO_LARGE } from "../../../runtime/nats/jetstream-publisher.js";
import { NatsTransport } from "../../../runtime/nats/nats-transport.js";
import { slotOf } from "../../../runtime/placement/hash.js";
import { envelopePayload } from "../../../runtime/node/envelope-payload.js";
import { runCli } from "../../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

// Every message Troupe publishes must fit the server's max_payload: a handoff, a batch or an event
// log append over it used to be retried forever and wedge everything queued behind it.

const KIB = 1024;

// A metric's value on a node: the first sample of `name` whose labels include `label` (e.g. reason="too_large").
async function metric(node: NodeProcess, name: string, label: string): Promise<number> {
  const text = await (await fetch(`${node.http}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.slice(0, l.indexOf("}")).includes(label));
  return line ? Number(line.split(" ").pop()) : 0;
}

async function stepCount(cluster: ProcessCluster, step: string): Promise<number> {
  const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info()));
  return infos.reduce((a, i) => a + (i.apps.find((x) => x.name === "loyalty")!.steps[step] ?? 0), 0);
}

// Loyal customers of `spec` whose slot `node` owns (so their clicks cross NATS from another node).
async function loyalOwnedBy(node: NodeProcess, spec: WorkloadSpec, n: number): Promise<number[]> {
  const info = await node.info();
  const owned = new Set(info.apps.find((a) => a.name === "loyalty")!.partitions[0]!.ownedSlots);
  const out: number[] = [];
  for (let i = 0; i < spec.customers && out.length < n; i++) if (isLoyal(spec, i) && owned.has(slotOf(customerId(i), 256))) out.push(i);
  return out;
}

function report(label: string, emails: EmailSinkReceiver, cluster: ProcessCluster): void {
  console.log(`${label}: ${JSON.stringify(emails.summary())}`);
  const s = emails.summary();
  if (s.missing > 0 || s.duplicates > 0 || s.unexpected > 0) console.log(cluster.problems(30).join("\n"));
}

describe("a NATS server with max_payload 64 KiB", () => {
  let nats: NatsServer;
  beforeAll(async () => {
    nats = await startNatsServer({ maxPayload: 64 * KIB });
  });
  afterAll(async () => {
    await nats?.stop();
  });

  it("the NATS transport splits a large batch, fragments a 1 MB handoff and a 200 kB event, and delivers all of it whole and in order", async () => {
    const wire = { payloadOf: (e: Envelope) => e.payload!, encodeState: (_a: string, _p: string, s: unknown) => s as Uint8Array, decodeState: (_a: string, _p: string, b: Uint8Array) => b };
    const env = (seq: number, bytes: number): Envelope => ({ app: "a", stage: 0, slot: seq % 256, key: `k${seq}`, value: undefined, payload: new Uint8Array(bytes).fill(seq % 251), frame: undefined, frameStart: 0, frameEnd: 0, epoch: 1, source: "src", seq, hops: 0, acceptedMs: 0, offset: 0 });
    const [nc1, nc2] = await Promise.all([connect({ servers: nats.url }), connect({ servers: nats.url })]);
    const sender = new NatsTransport({ nc: nc1, cluster: "parts", logger: silentLogger() });
    const receiver = new NatsTransport({ nc: nc2, cluster: "parts", logger: silentLogger() });
    const got: Array<{ seq: number; bytes: number } | { actors: number; stateBytes: number }> = [];
    const ignore = { onBatch: () => undefined, onControl: () => undefined };
    try {
      await receiver.start("b", {
        onBatch: (_from, envs) => {
          // A received envelope's payload is a range of the message (read through envelopePayload).
          for (const e of envs) got.push({ seq: e.seq, bytes: envelopePayload(e)!.length });
        },
        onControl: (_from, m: ControlMessage) => {
          if (m.type !== "handoff-done") return;
          got.push({ actors: m.actors.length, stateBytes: m.actors.reduce((a, x) => a + (x.state as Uint8Array).length, 0) });
          for (const e of m.buffered) got.push({ seq: e.seq, bytes: envelopePayload(e)!.length });
        },
      }, wire);
      await sender.start("a", ignore, wire);
      const batch: Envelope[] = [];
      for (let i = 1; i <= 1000; i++) batch.push(env(i, i === 500 ? 200 * KIB : 200)); // ~400 kB with one 200 kB event
      sender.sendBatch("b", batch);
      const actors = Array.from({ length: 50 }, (_, i) => ({ key: `actor-${i}`, state: new Uint8Array(20 * KIB).fill(i) }));
      sender.sendControl("b", { type: "handoff-done", app: "a", partition: "p", slot: 7, epoch: 2, from: "a", actors, buffered: [env(1001, 100)] });
      sender.sendBatch("b", [env(1002, 100)]);
      expect(await sender.flush(10_000)).toBe(true);
      await waitUntil(() => got.length === 1003, 5_000, "everything delivered");
      console.log(`transport parts: sender ${JSON.stringify(sender.stats)}; receiver ${JSON.stringify(receiver.stats)}`);
      expect(got.slice(0, 1000).map((g) => ("seq" in g ? g.seq : -1))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      expect(got[499]).toEqual({ seq: 500, bytes: 200 * KIB });
      expect(got[1000]).toEqual({ actors: 50, stateBytes: 50 * 20 * KIB });
      expect(got.slice(1001)).toEqual([{ seq: 1001, bytes: 100 }, { seq: 1002, bytes: 100 }]); // the handoff's buffered event, then the next batch
      expect(sender.stats.batchesSplit).toBeGreaterThan(0);
      expect(sender.stats.messagesFragmented).toBe(2); // the 200 kB event and the handoff
      expect(receiver.stats.messagesReassembled).toBe(2);
      expect(receiver.stats.fragmentsReceived).toBe(sender.stats.fragmentsSent);
      expect(receiver.reassemblyBytes()).toBe(0);
      expect(sender.stats.oversizedRefused).toBe(0);
    } finally {
      await sender.close();
      await receiver.close();
      await Promise.all([nc1.close(), nc2.close()]);
    }
  });

  it("a JetStream publish over max_payload is refused at once with code 413", async () => {
    const nc = await connect({ servers: nats.url });
    const publisher = new JetStreamPublisher(nc);
    try {
      const t0 = Date.now();
      const err = await publisher.publish("no.such.stream", new Uint8Array(64 * KIB), 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JetStreamPublishError);
      expect((err as JetStreamPublishError).code).toBe(PAYLOAD_TOO_LARGE);
      expect(Date.now() - t0).toBeLessThan(1_000);
    } finally {
      publisher.close();
      await nc.close();
    }
  });

  it("memory mode: a joining node gets slots whose state is far over max_payload, and every email arrives", async () => {
    // ~4 loyal customers per slot with 20 kB names: most slots hold well over 64 KiB of state.
    const spec: WorkloadSpec = { customers: 2_000, loyalFraction: 0.5, clicks: 20_000, seed: 5 };
    const expected = expectedEmails(spec);
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const cluster = new ProcessCluster({
      nats: nats.url,
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--state", "memory", "--cluster", "payload-join", "--heartbeat-ms", "200", "--failure-timeout-ms", "3000"],
    });
    try {
      const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
      await cluster.waitForStable();
      const loyal = [...loyalCustomers(spec)].map((c, i) => loyalCustomerCodec.encode({ ...c, name: `${c.name} ${"n".repeat(20_000 + i)}` }));
      await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, loyal, 0);
      await waitUntil(async () => (await stepCount(cluster, "saveLoyalCustomer")) === loyal.length, 30_000, "loyal records applied");
      const all = [...clicks(spec)].map((c) => clickCodec.encode(c));
      const sending = sendAll({ host: "127.0.0.1", port: n1.sources.clicks! }, all, 5_000);
      await new Promise((r) => setTimeout(r, 1_000));
      await cluster.addNode({ sources: ["clicks"], waitReady: false });
      await sending;
      const arrived = await emails.waitForAll(30_000, 500);
      report("memory join, 64 KiB max_payload", emails, cluster);
      const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info()));
      console.log(`transport: ${JSON.stringify(infos.map((i) => ({ node: i.node, slots: i.slotsOwned, handoff: i.slotsInHandoff, ...i.transport })))}`);
      expect(arrived).toBe(true);
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: expected.size });
      await cluster.waitForStable(30_000);
      expect(infos.reduce((a, i) => a + (i.transport.fragmentsSent ?? 0), 0)).toBeGreaterThan(0);
    } finally {
      await cluster.stop();
      await emails.close();
    }
  }, 150_000);

  it("durable mode: a 40 kB click arrives; a 100 kB click is a too_large dead letter, on plain and acknowledged connections, and the rest flows", async () => {
    const spec: WorkloadSpec = { customers: 1_000, loyalFraction: 0.5, clicks: 6_000, seed: 7 };
    const expected = expectedEmails(spec);
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const cluster = new ProcessCluster({
      nats: nats.url,
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--state", "durable", "--snapshot-interval-ms", "200", "--cluster", "payload-durable"],
    });
    const acked = new AckedSourceClient({ clientId: "big-acked", addresses: () => [{ host: "127.0.0.1", port: [...cluster.nodes.values()][0]!.sources.clicks! }] });
    try {
      const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
      await cluster.addNode();
      await cluster.waitForStable();
      await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c)), 0);
      await waitUntil(async () => (await stepCount(cluster, "saveLoyalCustomer")) === [...loyalCustomers(spec)].length, 30_000, "loyal records applied");
      const loyalIds = [...Array(spec.customers).keys()].filter((i) => isLoyal(spec, i));
      const big = (tag: string, n: number, bytes: number): Click => ({ clickId: `${tag}-${n}-${"x".repeat(bytes)}`, customerId: customerId(loyalIds[n]!), adId: "ad-big", tsMs: 1 });
      const fits = [big("fits", 0, 40 * KIB), big("fits", 1, 40 * KIB)];
      const tooLarge = [big("too-large", 2, 100 * KIB), big("too-large", 3, 100 * KIB)];
      for (const c of fits) expected.add(c.clickId);
      const all = [...clicks(spec)].map((c) => clickCodec.encode(c));
      const plain = [...all.slice(0, 2_000), clickCodec.encode(fits[0]!), clickCodec.encode(tooLarge[0]!), ...all.slice(2_000, 4_000)];
      await sendAll({ host: "127.0.0.1", port: n1.sources.clicks! }, plain, 0);
      await acked.start();
      for (const p of [clickCodec.encode(fits[1]!), clickCodec.encode(tooLarge[1]!), ...all.slice(4_000)]) await acked.send(p);
      const flushed = await acked.flush(30_000);
      const arrived = await emails.waitForAll(30_000, 500);
      report("durable, 64 KiB max_payload", emails, cluster);
      const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info()));
      console.log(`event log: ${JSON.stringify(infos.map((i) => ({ node: i.node, ...i.eventLog })))}; acked client ${JSON.stringify(acked.stats)}, pending ${acked.pending}`);
      const tooLargeLetters = await metric(n1, "troupe_dead_letters_total", 'reason="too_large"');
      console.log(`too_large dead letters on ${n1.id}: ${tooLargeLetters}`);
      expect(flushed).toBe(true);
      expect(arrived).toBe(true);
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: expected.size });
      expect(tooLargeLetters).toBe(2);
      expect(acked.stats.connects).toBe(1); // acknowledged, not rejected: the connection stayed up
      // The dead letters are in the stream, without the payload that does not fit, saying so.
      const r = await runCli(["dlq", "list", "--nats", nats.url, "--cluster", "payload-durable", "--json"]);
      const letters = r.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { reason: string; detail: string });
      expect(letters.filter((l) => l.reason === "too_large")).toHaveLength(2);
      for (const l of letters.filter((x) => x.reason === "too_large")) expect(l.detail).toMatch(/payload of \d+ bytes not stored/);
    } finally {
      acked.close();
      await cluster.stop();
      await emails.close();
    }
  }, 150_000);
});

describe("a NATS server with the default max_payload (1 MiB)", () => {
  let nats: NatsServer;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.stop();
  });

  for (const mode of ["snapshot", "durable"] as const) {
    it(`${mode} mode: clicks just under the 1 MiB frame limit among thousands of normal ones; every email arrives, the large clicks' too`, async () => {
      const spec: WorkloadSpec = { customers: 1_000, loyalFraction: 0.5, clicks: 12_000, seed: 9 };
      const expected = expectedEmails(spec);
      const emails = new EmailSinkReceiver(expected);
      const sink = await emails.start();
      const cluster = new ProcessCluster({ nats: nats.url, sinks: { emails: `${sink.host}:${sink.port}` }, args: ["--state", mode, "--snapshot-interval-ms", "200", "--cluster", `payload-big-${mode}`] });
      try {
        const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
        const n2 = await cluster.addNode();
        await cluster.waitForStable();
        const loyal = [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c));
        await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, loyal, 0);
        await waitUntil(async () => (await stepCount(cluster, "saveLoyalCustomer")) === loyal.length, 30_000, "loyal records applied");
        // Customers of the other node: their clicks cross NATS in the batch that holds them.
        const owners = await loyalOwnedBy(n2, spec, 3);
        // ~330-byte clicks, and a few clicks of 1,040,000 bytes (under the frame limit, and under max_payload
        // alone): a batch holding one and a few dozen normal clicks is over 1 MiB.
        const pad = "a".repeat(250);
        const all = [...clicks(spec)].map((c) => clickCodec.encode({ ...c, adId: `${c.adId}-${pad}` }));
        const payloads: Uint8Array[] = [];
        all.forEach((p, n) => {
          payloads.push(p);
          if (n % 3_000 === 1_500) {
            const k = payloads.length;
            const c: Click = { clickId: `big-${k}-${"x".repeat(1_040_000 - 64)}`, customerId: customerId(owners[k % owners.length]!), adId: "ad-big", tsMs: 1 };
            expected.add(c.clickId);
            payloads.push(clickCodec.encode(c));
          }
        });
        await sendAll({ host: "127.0.0.1", port: n1.sources.clicks! }, payloads, 0);
        const arrived = await emails.waitForAll(30_000, 500);
        report(`${mode}, 1,040,000-byte clicks`, emails, cluster);
        expect(arrived).toBe(true);
        expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: expected.size });
      } finally {
        await cluster.stop();
        await emails.close();
      }
    }, 120_000);
  }

  it("durable mode: the backlog of a 3 s NATS outage goes out in batches that fit, and every email arrives", async () => {
    const spec: WorkloadSpec = { customers: 1_000, loyalFraction: 0.5, clicks: 24_000, seed: 13 };
    const expected = expectedEmails(spec);
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const cluster = new ProcessCluster({
      nats: nats.url,
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--state", "durable", "--snapshot-interval-ms", "200", "--cluster", "payload-outage"],
    });
    try {
      const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
      await cluster.addNode();
      await cluster.waitForStable();
      const loyal = [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c));
      await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, loyal, 0);
      await waitUntil(async () => (await stepCount(cluster, "saveLoyalCustomer")) === loyal.length, 30_000, "loyal records applied");
      // ~330-byte events: 4,096 of them are well over 1 MiB.
      const pad = "a".repeat(250);
      const all = [...clicks(spec)].map((c) => clickCodec.encode({ ...c, adId: `${c.adId}-${pad}` }));
      const sending = sendAll({ host: "127.0.0.1", port: n1.sources.clicks! }, all, 3_000);
      await waitUntil(() => emails.seen.size > 1_000, 20_000, "emails flowing before the outage");
      await nats.restart(3_000);
      await sending;
      const arrived = await emails.waitForAll(45_000, 500);
      report("durable, 3 s NATS outage", emails, cluster);
      const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info()));
      console.log(`event log: ${JSON.stringify(infos.map((i) => ({ node: i.node, ...i.eventLog })))}`);
      expect(arrived).toBe(true);
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, unique: expected.size });
    } finally {
      await cluster.stop();
      await emails.close();
    }
  }, 150_000);
});

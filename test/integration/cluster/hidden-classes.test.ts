import { once } from "node:events";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { clicks, expectedEmails, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { encodeFrame, encodeFrames } from "../../../runtime/io/framing.js";
import { FrameDecoder } from "../../../runtime/io/frame-decoder.js";
import { ACKED_SOURCE_MARKER } from "../../../runtime/io/source-acks.js";
import { sourceAckCodec, sourceHelloCodec } from "../../../runtime/wire/messages.js";
import { natsServerPerFile } from "../../helpers/nats-per-file.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

// V8 gives objects built the same way one shape (map), with each field's representation (small integer,
// double, pointer) recorded in it. One odd value (a heap number where small integers were) changes the
// representation and deprecates the map: objects made with the old one are migrated one by one when
// first touched, a runtime call each. That cost a node a third of its CPU once (a slot number that
// unoptimized `%` returned as a heap number; see slotOf), visible only as a slow, shapeless profile.
// V8's --trace-migration prints each migration to stdout: the hot path must do none per event.
const nats = natsServerPerFile();

// Migrations of one set of fields a node may do in all: start-up and the odd counter make fewer than 10; the
// slotOf bug made 461 to 11,727 in this workload, depending on timing.
const MAX_MIGRATIONS_PER_FIELD = 50;

async function loyalApplied(nodes: readonly NodeProcess[]): Promise<number> {
  let n = 0;
  for (const node of nodes) n += (await node.info()).apps.find((a) => a.name === "loyalty")?.steps["saveLoyalCustomer"] ?? 0;
  return n;
}

// Sends `frames` on an acknowledged source connection whose frames are numbered from `firstSeq` (a
// client's numbers grow for as long as it lives), and waits until every one is acknowledged.
async function sendAckedFrom(port: number, clientId: string, firstSeq: number, frames: readonly Uint8Array[]): Promise<void> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  const last = firstSeq + frames.length - 1;
  const acked = new Promise<void>((resolve) => {
    const decoder = new FrameDecoder(1024);
    const onAck = (ack: Buffer) => {
      if (sourceAckCodec.decode(ack).seq >= last) resolve();
    };
    socket.on("data", (chunk: Buffer) => decoder.push(chunk, onAck));
  });
  socket.write(Buffer.concat([ACKED_SOURCE_MARKER, encodeFrame(sourceHelloCodec.encode({ clientId, nextSeq: firstSeq }))]));
  for (let i = 0; i < frames.length; i += 500) if (!socket.write(encodeFrames(frames.slice(i, i + 500)))) await once(socket, "drain");
  await acked;
  socket.end();
}

type ClickSender = (nodes: readonly NodeProcess[], thirds: Uint8Array[][]) => Promise<unknown>;

// Plain connections, one per node.
const plain: ClickSender = (nodes, thirds) => Promise.all(nodes.map((n, i) => sendAll({ host: "127.0.0.1", port: n.sources.clicks! }, thirds[i]!, 0)));
// Acknowledged connections whose frame numbers cross 2^30 (where V8's small integers end) mid-run.
const crossing: ClickSender = (nodes, thirds) => Promise.all(nodes.map((n, i) => sendAckedFrom(n.sources.clicks!, `crossing-${i}`, 2 ** 30 - 10_000, thirds[i]!)));

/** Runs the loyalty workload through 3 node processes with --trace-migration; returns each node's migrations per set of fields, most frequent first. */
async function migrationsUnder(mode: "memory" | "snapshot" | "durable", send: ClickSender): Promise<Array<{ node: string; fields: string; count: number }>> {
  const spec: WorkloadSpec = { customers: 5_000, loyalFraction: 0.3, clicks: 60_000, seed: 5 };
  const emails = new EmailSinkReceiver(expectedEmails(spec));
  const sink = await emails.start();
  const stdout = new Map<string, string[]>();
  const cluster = new ProcessCluster({
    nats: nats().url,
    apps: ["loyalty"],
    sinks: { emails: `${sink.host}:${sink.port}` },
    args: ["--cluster", `hidden-classes-${mode}-${send === plain ? "plain" : "crossing"}`, "--state", mode],
    nodeFlags: ["--trace-migration"],
    onStdout: (id, text) => (stdout.get(id) ?? stdout.set(id, []).get(id)!).push(text),
  });
  try {
    const nodes = [await cluster.addNode({ sources: ["loyal", "clicks"] }), await cluster.addNode({ sources: ["clicks"] }), await cluster.addNode({ sources: ["clicks"] })];
    await cluster.waitForStable();
    // The loyal records reach two of the three owners over NATS: the path that once migrated.
    const loyalSent = await sendAll({ host: "127.0.0.1", port: nodes[0]!.sources.loyal! }, [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c)), 0);
    await waitUntil(async () => (await loyalApplied(nodes)) >= loyalSent, 30_000, "loyal records applied");
    const frames = [...clicks(spec)].map((c) => clickCodec.encode(c));
    const third = Math.ceil(frames.length / 3);
    await send(nodes, [0, 1, 2].map((i) => frames.slice(i * third, (i + 1) * third)));
    await emails.waitForAll(60_000, 200);
    expect(emails.summary().missing).toBe(0);
  } finally {
    await cluster.stop();
    await emails.close();
  }
  expect(stdout.size).toBe(3);
  // Per node, how often each set of fields migrated (e.g. "slot:s->d", small integer to double).
  const all: Array<{ node: string; fields: string; count: number }> = [];
  for (const [node, chunks] of stdout) {
    const counts = new Map<string, number>();
    for (const line of chunks.join("").split("\n")) {
      const fields = /^\[migrating\](.*)$/.exec(line.trim())?.[1]?.trim();
      if (fields !== undefined) counts.set(fields, (counts.get(fields) ?? 0) + 1);
    }
    for (const [fields, count] of counts) all.push({ node, fields, count });
  }
  return all.sort((a, b) => b.count - a.count);
}

describe("hidden classes on the hot path", () => {
  it.each(["memory", "snapshot", "durable"] as const)("%s mode, 3 node processes, loyal records through one of them, 60,000 clicks through all: no object field migrates per event (V8 --trace-migration)", async (mode) => {
    const migrations = await migrationsUnder(mode, plain);
    console.log(`${mode}: most frequent migrations: ${JSON.stringify(migrations.slice(0, 5))}`);
    expect(migrations.filter((m) => m.count > MAX_MIGRATIONS_PER_FIELD)).toEqual([]);
  }, 120_000);

  it("durable mode, clicks on acknowledged connections whose frame numbers cross 2^30 mid-run (a long-lived client): no field migrates per event", async () => {
    const migrations = await migrationsUnder("durable", crossing);
    console.log(`crossing 2^30: most frequent migrations: ${JSON.stringify(migrations.slice(0, 5))}`);
    expect(migrations.filter((m) => m.count > MAX_MIGRATIONS_PER_FIELD)).toEqual([]);
  }, 120_000);
});

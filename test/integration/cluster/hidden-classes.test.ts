import { describe, expect, it } from "vitest";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { clicks, expectedEmails, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
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

// Migrations a node may do in all (start-up's and the odd counter's settle in the tens).
const MAX_MIGRATIONS_PER_FIELD = 200;

async function loyalApplied(nodes: readonly NodeProcess[]): Promise<number> {
  let n = 0;
  for (const node of nodes) n += (await node.info()).apps.find((a) => a.name === "loyalty")?.steps["saveLoyalCustomer"] ?? 0;
  return n;
}

describe("hidden classes on the hot path", () => {
  it.each(["memory", "snapshot", "durable"] as const)("%s mode, 3 node processes, loyal records through one of them, 60,000 clicks through all: no object field migrates per event (V8 --trace-migration)", async (mode) => {
    const spec: WorkloadSpec = { customers: 5_000, loyalFraction: 0.3, clicks: 60_000, seed: 5 };
    const emails = new EmailSinkReceiver(expectedEmails(spec));
    const sink = await emails.start();
    const stdout = new Map<string, string[]>();
    const cluster = new ProcessCluster({
      nats: nats().url,
      apps: ["loyalty"],
      sinks: { emails: `${sink.host}:${sink.port}` },
      args: ["--cluster", `hidden-classes-${mode}`, "--state", mode],
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
      await Promise.all(nodes.map((n, i) => sendAll({ host: "127.0.0.1", port: n.sources.clicks! }, frames.slice(i * third, (i + 1) * third), 0)));
      await emails.waitForAll(60_000, 200);
      expect(emails.summary().missing).toBe(0);
    } finally {
      await cluster.stop();
      await emails.close();
    }
    // Per node, how often each set of fields migrated (e.g. "slot:s->d", small integer to double).
    const worst: Array<{ node: string; fields: string; count: number }> = [];
    for (const [node, chunks] of stdout) {
      const counts = new Map<string, number>();
      for (const line of chunks.join("").split("\n")) {
        const m = /^\[migrating\](.*)$/.exec(line.trim());
        if (m) counts.set(m[1]!.trim(), (counts.get(m[1]!.trim()) ?? 0) + 1);
      }
      for (const [fields, count] of counts) worst.push({ node, fields, count });
    }
    worst.sort((a, b) => b.count - a.count);
    console.log(`${mode}: most frequent migrations: ${JSON.stringify(worst.slice(0, 5))}`);
    expect(stdout.size).toBe(3);
    expect(worst.filter((w) => w.count > MAX_MIGRATIONS_PER_FIELD)).toEqual([]);
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import loyalty from "../../../apps/loyalty/app.js";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { runLoadGenerator } from "../../../apps/loyalty/load-generator.js";
import type { CustomerState } from "../../../apps/loyalty/messages.js";
import { expectedEmails, isLoyal, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { EmbeddedCluster, slotOf } from "../../../runtime/index.js";
import { waitUntil } from "../../helpers/wait.js";

const spec: WorkloadSpec = { customers: 2_000, loyalFraction: 0.3, clicks: 30_000, seed: 7 };

describe("loyalty join on an embedded 3-node cluster", () => {
  it("emails every click of a loyal customer exactly once and no other click", async () => {
    const expected = expectedEmails(spec);
    const sink = new EmailSinkReceiver(expected);
    const addr = await sink.start();
    await using cluster = await EmbeddedCluster.start({
      apps: [loyalty],
      nodes: 3,
      nodeOptions: (id) => ({
        sinks: { emails: addr },
        sources: id === "node-1" ? { loyal: { host: "127.0.0.1", port: 0 } } : id === "node-2" ? { clicks: { host: "127.0.0.1", port: 0 } } : undefined,
      }),
    });
    const n1 = cluster.nodes.get("node-1")!;
    const n2 = cluster.nodes.get("node-2")!;
    const applied = () => [...cluster.nodes.values()].reduce((a, n) => a + n.clusterInfo().apps[0]!.steps["saveLoyalCustomer"]!, 0);
    const gen = await runLoadGenerator({
      loyal: n1.sourceAddressesBound.get("loyal")!,
      clicks: n2.sourceAddressesBound.get("clicks")!,
      spec,
      waitLoyalApplied: (sent) => waitUntil(() => applied() === sent, 10_000, "loyal records applied"),
    });
    expect(gen.clicksSent).toBe(spec.clicks);
    expect(await sink.waitForAll(20_000, 100)).toBe(true);
    const s = sink.summary();
    expect(s).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, malformed: 0, unique: expected.size, received: expected.size });
    expect(expected.size).toBeGreaterThan(spec.clicks * 0.2);

    // Each customer's state is on exactly one node (its slot's owner) and is right.
    const infos = [...cluster.nodes.values()];
    const owners = infos[0]!.apps.get("loyalty")!.tables[0]!.owners;
    for (let i = 0; i < 50; i++) {
      const key = `cust-${i}`;
      const owner = cluster.nodes.get(owners[slotOf(key, 256)]!)!;
      const state = await ownerState(owner, key);
      expect(state?.loyal ?? false).toBe(isLoyal(spec, i));
    }
    await sink.close();
  });
});

async function ownerState(node: import("../../../runtime/index.js").Node, key: string): Promise<CustomerState | undefined> {
  return (await node.apps.get("loyalty")!.hosts[0]!.peek(key, slotOf(key, 256))) as CustomerState | undefined;
}

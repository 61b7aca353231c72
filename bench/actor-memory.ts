// Bytes per active actor: 100k loyalty actors activated in one node, heap measured after GC.
import loyalty from "../apps/loyalty/app.js";
import { loyalCustomerCodec } from "../apps/loyalty/messages.js";
import { EmbeddedCluster } from "../runtime/index.js";
import { sendAll } from "../apps/loyalty/load-generator.js";

/** Heap bytes per active actor after activating `actors` loyal customers on one node. */
export async function bytesPerActor(actors = 100_000): Promise<{ actors: number; bytesPerActor: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc to measure memory");
  const cluster = await EmbeddedCluster.start({
    apps: [loyalty],
    nodes: 1,
    nodeOptions: () => ({ sinks: { emails: { kind: "stdout" } }, sources: { loyal: { host: "127.0.0.1", port: 0 } } }),
  });
  try {
    const node = cluster.nodes.get("node-1")!;
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const frames = Array.from({ length: actors }, (_, i) => loyalCustomerCodec.encode({ customerId: `cust-${i}`, email: `customer${i}@example.com`, name: `Customer ${i}`, tier: "gold" }));
    await sendAll(node.sourceAddressesBound.get("loyal")!, frames, 0);
    while (node.activeActors() < actors) await new Promise((r) => setTimeout(r, 5));
    frames.length = 0;
    gc();
    gc();
    const after = process.memoryUsage().heapUsed;
    return { actors: node.activeActors(), bytesPerActor: (after - before) / node.activeActors() };
  } finally {
    await cluster.stop();
  }
}

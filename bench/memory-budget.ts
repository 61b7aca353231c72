// Memory budget: one node process with an actor bound takes clicks for a million distinct customers
// (snapshot mode: every actor is read from KV, evicted and written back); its resident memory is
// sampled the whole time. The budget to hold: RSS <= max-actors x bytes per actor + a constant.
import { readFileSync } from "node:fs";
import { sendAll } from "../apps/loyalty/load-generator.js";
import { clickCodec } from "../apps/loyalty/messages.js";
import { ProcessCluster, type NodeProcess } from "../runtime/testing/process-cluster.js";

/** What one run measured. */
export interface MemoryBudgetRun {
  maxActors: number;
  keys: number;
  seconds: number;
  /** RSS of the node once joined, before any click (MiB). */
  baseMiB: number;
  /** Highest RSS seen while the keys went through, and at the end (MiB). */
  peakMiB: number;
  endMiB: number;
  /** Most active and most evicted-but-not-yet-stored actors seen. */
  peakActive: number;
  peakEvicting: number;
}

function rssMiB(node: NodeProcess): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${node.proc.pid}/status`, "utf8"))![1]) / 1024;
}

/** Sends one click for each of `keys` distinct customers through one node with `--max-actors maxActors`. */
export async function runMemoryBudget(natsUrl: string, maxActors: number, keys: number): Promise<MemoryBudgetRun> {
  const cluster = new ProcessCluster({
    nats: natsUrl,
    apps: ["loyalty"],
    sinks: { emails: "127.0.0.1:9" }, // no loyal customers, no emails
    env: { TROUPE_LOG_LEVEL: "warn" },
    args: ["--cluster", `budget${Date.now() % 100000}`, "--state", "snapshot", "--max-actors", String(maxActors)],
  });
  try {
    const node = await cluster.addNode({ sources: ["clicks"] });
    await cluster.waitForStable();
    const baseMiB = rssMiB(node);
    let peakMiB = baseMiB;
    let peakActive = 0;
    let peakEvicting = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakMiB = Math.max(peakMiB, rssMiB(node));
        const i = await node.info().catch(() => undefined);
        if (i) {
          peakActive = Math.max(peakActive, i.activeActors);
          peakEvicting = Math.max(peakEvicting, i.stateStore.evicting);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t0 = performance.now();
    const frames = (function* () {
      for (let n = 0; n < keys; n++) yield clickCodec.encode({ clickId: `m-${n}`, customerId: `budget-customer-${n}`, adId: "ad", tsMs: n });
    })();
    await sendAll({ host: "127.0.0.1", port: node.sources.clicks! }, frames, 0);
    for (;;) {
      const applied = (await node.info()).apps[0]?.steps["checkLoyalClick"] ?? 0;
      if (applied >= keys) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - t0) / 1000;
    sampling = false;
    await sampler;
    return { maxActors, keys, seconds, baseMiB, peakMiB, endMiB: rssMiB(node), peakActive, peakEvicting };
  } finally {
    await cluster.stop();
  }
}

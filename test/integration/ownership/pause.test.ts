import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appliedCodec } from "../../../apps/sequencer/app.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { startSinkCollector } from "../../helpers/sink-collector.js";
import { doubleOwners, tickFrames } from "../../helpers/ticks.js";
import { openFrameSender } from "../../helpers/frames.js";
import { waitUntil } from "../../helpers/wait.js";

// A node paused (SIGSTOP) past the failure timeout is removed by the others, which serve its slots.
// When it resumes it must not act as an owner for a moment: its lease ran out during the pause, so it
// runs nothing and writes nothing until it has rejoined. Checked from the sink's side: every output
// carries the node and the epoch it ran under.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

describe("a paused node", () => {
  it.each(["snapshot", "durable"] as const)(
    "%s mode: SIGSTOP past the failure timeout, then SIGCONT: it runs and writes nothing under its old epoch after resuming, no (slot, epoch) has two writers, and no event is lost",
    async (mode) => {
      const out = await startSinkCollector();
      const cluster = new ProcessCluster({
        nats: nats.url,
        apps: ["sequencer"],
        sinks: { applied: `${out.host}:${out.port}` },
        args: ["--state", mode, "--snapshot-interval-ms", "200", "--heartbeat-ms", "200", "--failure-timeout-ms", "1000", "--cluster", `pause-${mode}`],
      });
      try {
        const n1 = await cluster.addNode({ sources: ["ticks"] });
        await cluster.addNode();
        const victim = await cluster.addNode();
        await cluster.waitForStable();
        const keys = 400;
        const sender = await openFrameSender("127.0.0.1", n1.sources.ticks!);
        let rounds = 0;
        let running = true;
        const traffic = (async () => {
          while (running) {
            rounds++;
            sender.sendMany(tickFrames("s", keys, 1, rounds));
            await new Promise((r) => setTimeout(r, 40)); // 10,000 events/s
          }
        })();
        await waitUntil(() => out.frames.length > keys * 10, 10_000, "traffic to flow");
        const before = await victim.info();
        expect(before.slotsOwned).toBeGreaterThan(0);
        cluster.pause(victim.id);
        // Anything it ran after this it ran after SIGCONT (the pause lasts seconds; the signal lands at once).
        const stoppedAt = Date.now() + 500;
        // Paused for three failure timeouts: the others remove it and take its slots over.
        await waitUntil(async () => !(await n1.info()).members.some((m) => m.id === victim.id), 10_000, "the paused node to be removed");
        await new Promise((r) => setTimeout(r, 1_500));
        cluster.resume(victim.id);
        await cluster.waitForStable(20_000);
        await new Promise((r) => setTimeout(r, 500));
        running = false;
        await traffic;
        await sender.end();
        const sent = rounds * keys;
        const distinct = () => new Set(out.frames.map((f) => { const a = appliedCodec.decode(f); return `${a.key}/${a.seq}`; })).size;
        await waitUntil(() => distinct() >= sent, 30_000, "every event's output").catch(() => undefined);
        const applied = out.frames.map((f) => appliedCodec.decode(f));
        // Stale: run by the victim after the pause began (so after it resumed) under the epoch it was removed in.
        // (Outputs it ran before the pause may still arrive after it: they were in its sink buffer.)
        const stale = applied.filter((a) => a.node === victim.id && a.atMs >= stoppedAt && a.epoch <= before.epoch);
        const after = await victim.info();
        console.log(
          `${mode} pause: ${sent} events, ${applied.length} outputs (${distinct()} distinct); victim owned ${before.slotsOwned} slots at epoch ${before.epoch}, ` +
            `ran ${stale.length} events under that epoch after SIGCONT; rejoined at epoch ${after.epoch} (lease ${JSON.stringify(after.lease)})`,
        );
        expect(stale.length).toBe(0);
        expect(doubleOwners(applied)).toEqual([]);
        expect(distinct()).toBe(sent);
        expect(after.lease?.fenced).toBeGreaterThanOrEqual(1);
      } finally {
        await cluster.stop();
        await out.close();
      }
    },
    90_000,
  );
});

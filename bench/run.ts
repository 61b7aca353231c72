// `npm run bench`: prints figures (not pass/fail). Sections: embedded, nats, rebalance, durable.
// Select with arguments, e.g. `npm run bench -- embedded`. `--profile` adds a CPU profile of the embedded run.
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { bytesPerActor } from "./actor-memory.js";
import { runEmbeddedLoyalty } from "./embedded-loyalty.js";
import { topSelfTime } from "./profile-summary.js";

const args = process.argv.slice(2);
const want = (s: string) => args.filter((a) => !a.startsWith("--")).length === 0 || args.includes(s);
const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

async function embedded(): Promise<void> {
  console.log("\n== Embedded 3-node cluster (in-process transport), loyalty clicks, one Node.js process ==");
  const spec = { customers: 100_000, loyalFraction: 0.3, clicks: 1_000_000, seed: 1 };
  const peak = await runEmbeddedLoyalty(spec, 0);
  console.log(`peak:        ${f(peak.eventsPerSecond)} events/s  (${f(peak.events)} clicks in ${f(peak.seconds, 2)} s; emails ${f(peak.emails)}/${f(peak.expected)})`);
  console.log(`             p50 ${f(peak.p50Ms, 2)} ms  p99 ${f(peak.p99Ms, 2)} ms  (source read to sink write; at peak this is queueing)`);
  const half = await runEmbeddedLoyalty({ ...spec, clicks: 300_000 }, Math.round(peak.eventsPerSecond / 2));
  console.log(`half peak:   ${f(half.eventsPerSecond)} events/s  p50 ${f(half.p50Ms, 2)} ms  p99 ${f(half.p99Ms, 2)} ms`);
  const mem = await bytesPerActor(100_000);
  console.log(`memory:      ${f(mem.bytesPerActor)} bytes per active actor at ${f(mem.actors)} actors (heap after GC)`);
  if (args.includes("--profile")) {
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    await runEmbeddedLoyalty({ ...spec, clicks: 500_000 }, 0);
    const { profile } = await session.post("Profiler.stop");
    const file = "bench-embedded.cpuprofile";
    writeFileSync(file, JSON.stringify(profile));
    console.log(`profile (${file}), top self time in the cluster process:`);
    for (const line of topSelfTime(file)) console.log(`  ${line}`);
  }
}

const sections: Array<[string, () => Promise<void>]> = [["embedded", embedded]];
for (const [name, run] of sections) if (want(name)) await run();
process.exit(0);

// The "outside world" of a loyalty benchmark, in its own process: it sends pre-encoded
// frames to the sources and receives the emails, so the measured process only runs the cluster.
import { clickCodec, loyalCustomerCodec } from "../apps/loyalty/messages.js";
import { clicks, expectedEmailMask, loyalCustomers, type WorkloadSpec } from "../apps/loyalty/workload.js";
import { sendAll } from "../apps/loyalty/load-generator.js";
import { LatencyHistogram } from "../runtime/observability/latency-histogram.js";
import { ClickEmailCounter } from "./click-email-counter.js";
import { framePayloads, sendFramed } from "./framed-clicks.js";

/** Messages between the benchmark and this driver (over the child-process IPC channel). */
export type DriverMessage =
  | { type: "sink"; host: string; port: number }
  | { type: "loyal-sent"; count: number }
  | { type: "warm" }
  | { type: "done"; clicksSent: number; firstClickMs: number; lastEmailMs: number; emails: number; expected: number; duplicates: number; missing: number; clickToEmail: ClickToEmail; cpuMs: number }
  | { type: "window"; clickToEmail: ClickToEmail };

/** Asks for the click-to-email figures of the clicks written between two wall-clock times (ms since the epoch); answered by a `window` message. */
export interface DriverWindow {
  type: "window";
  fromMs: number;
  toMs: number;
}

/** Click written (by this driver) to its email received (by this driver), in ms: what an outside client sees. */
export interface ClickToEmail {
  count: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** Start parameters: the workload, where the sources are, and the click rate (0: unlimited). */
export interface DriverStart {
  type: "start";
  spec: WorkloadSpec;
  loyal: { host: string; port: number };
  clicks: { host: string; port: number } | Array<{ host: string; port: number }>;
  rate: number;
  connections: number;
  /** The first this many clicks warm the cluster up (sent at `rate`, their emails awaited, then `warm` is reported and `go` awaited); they are not measured. */
  warmup?: number;
}

const send = (m: DriverMessage) => process.send!(m);

async function main(): Promise<void> {
  let expected: Uint8Array = new Uint8Array(0);
  let sink: ClickEmailCounter | undefined;
  let lastEmailMs = 0;
  // When each click was written (performance.now), by click number: an email's latency is its arrival minus this.
  let writtenAt = new Float64Array(0);
  // Each click's own latency (its first email), so that a window of clicks can be asked about afterwards.
  let latencyOf = new Float32Array(0);
  const clickToEmail = new LatencyHistogram();
  process.on("message", async (msg: DriverStart | DriverWindow | { type: "clicks" } | { type: "init"; spec: WorkloadSpec } | { type: "exit" }) => {
    if (msg.type === "init") {
      expected = expectedEmailMask(msg.spec);
      sink = new ClickEmailCounter(expected);
      writtenAt = new Float64Array(msg.spec.clicks);
      latencyOf = new Float32Array(msg.spec.clicks);
      sink.onEmail = (n) => {
        const now = performance.now();
        lastEmailMs = performance.timeOrigin + now;
        if (!writtenAt[n]) return;
        clickToEmail.record(now - writtenAt[n]!);
        if (!latencyOf[n]) latencyOf[n] = Math.max(now - writtenAt[n]!, 1e-3);
      };
      const addr = await sink.start();
      send({ type: "sink", ...addr });
    } else if (msg.type === "start") {
      const loyal = [...loyalCustomers(msg.spec)].map((c) => loyalCustomerCodec.encode(c));
      const clickFrames = framePayloads([...clicks(msg.spec)].map((c) => clickCodec.encode(c)));
      const count = await sendAll(msg.loyal, loyal, 0);
      send({ type: "loyal-sent", count });
      const targets = Array.isArray(msg.clicks) ? msg.clicks : [msg.clicks];
      // Clicks from..to over the connections; each connection keeps per-key order for its own share.
      const sendRange = async (from: number, to: number) => {
        const per = Math.ceil((to - from) / msg.connections);
        const sent = await Promise.all(
          Array.from({ length: msg.connections }, (_, i) => {
            const base = from + i * per;
            const end = Math.min(to, base + per);
            const stamp = (first: number, count: number) => writtenAt.fill(performance.now(), first, first + count);
            return sendFramed(targets[i % targets.length]!, clickFrames, base, end, msg.rate / msg.connections, stamp);
          }),
        );
        return sent.reduce((a, b) => a + b, 0);
      };
      const warmup = Math.min(msg.warmup ?? 0, clickFrames.count);
      process.once("message", async () => {
        let sent = 0;
        if (warmup > 0) {
          sent += await sendRange(0, warmup);
          let want = 0;
          for (let n = 0; n < warmup; n++) want += expected[n]!;
          while (sink!.uniqueCount() < want) await new Promise((r) => setTimeout(r, 20));
          send({ type: "warm" });
          await new Promise((r) => process.once("message", r));
          clickToEmail.reset();
        }
        const firstClickMs = performance.timeOrigin + performance.now();
        const cpu0 = process.cpuUsage();
        sent += await sendRange(warmup, clickFrames.count);
        await sink!.waitForAll(120_000, 100);
        const cpu = process.cpuUsage(cpu0);
        const s = sink!.summary();
        send({ type: "done", clicksSent: sent, firstClickMs, lastEmailMs, emails: s.unique, expected: s.expected, duplicates: s.duplicates, missing: s.missing, clickToEmail: { count: clickToEmail.count, p50Ms: clickToEmail.quantile(0.5), p99Ms: clickToEmail.quantile(0.99), p999Ms: clickToEmail.quantile(0.999), maxMs: clickToEmail.max }, cpuMs: (cpu.user + cpu.system) / 1000 });
      });
    } else if (msg.type === "window") {
      send({ type: "window", clickToEmail: windowFigures(writtenAt, latencyOf, msg.fromMs - performance.timeOrigin, msg.toMs - performance.timeOrigin) });
    } else if (msg.type === "exit") {
      await sink?.close();
      process.exit(0);
    }
  });
}

// The clicks written in [from, to] (this process's performance.now) that got an email, as a histogram.
function windowFigures(writtenAt: Float64Array, latencyOf: Float32Array, from: number, to: number): ClickToEmail {
  const h = new LatencyHistogram();
  for (let n = 0; n < writtenAt.length; n++) if (writtenAt[n]! >= from && writtenAt[n]! <= to && latencyOf[n]) h.record(latencyOf[n]!);
  return { count: h.count, p50Ms: h.quantile(0.5), p99Ms: h.quantile(0.99), p999Ms: h.quantile(0.999), maxMs: h.max };
}

void main();

// The "outside world" of a loyalty benchmark, in its own process: it sends pre-encoded
// frames to the sources and receives the emails, so the measured process only runs the cluster.
import { EmailSinkReceiver } from "../apps/loyalty/email-sink.js";
import { clickCodec, loyalCustomerCodec } from "../apps/loyalty/messages.js";
import { clicks, expectedEmails, loyalCustomers, type WorkloadSpec } from "../apps/loyalty/workload.js";
import { sendAll } from "../apps/loyalty/load-generator.js";
import { LatencyHistogram } from "../runtime/observability/latency-histogram.js";

/** Messages between the benchmark and this driver (over the child-process IPC channel). */
export type DriverMessage =
  | { type: "sink"; host: string; port: number }
  | { type: "loyal-sent"; count: number }
  | { type: "done"; clicksSent: number; firstClickMs: number; lastEmailMs: number; emails: number; expected: number; duplicates: number; missing: number; clickToEmail: ClickToEmail };

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
}

const send = (m: DriverMessage) => process.send!(m);

async function main(): Promise<void> {
  const expected = new Set<string>();
  let sink: EmailSinkReceiver | undefined;
  let lastEmailMs = 0;
  // When each click was written (performance.now), by click number: an email's latency is its arrival minus this.
  let writtenAt = new Float64Array(0);
  const clickToEmail = new LatencyHistogram();
  process.on("message", async (msg: DriverStart | { type: "clicks" } | { type: "init"; spec: WorkloadSpec } | { type: "exit" }) => {
    if (msg.type === "init") {
      for (const id of expectedEmails(msg.spec)) expected.add(id);
      sink = new EmailSinkReceiver(expected);
      writtenAt = new Float64Array(msg.spec.clicks);
      sink.onEmail = (clickId) => {
        const now = performance.now();
        lastEmailMs = performance.timeOrigin + now;
        const n = Number(clickId.slice(6)); // "click-<n>"
        if (writtenAt[n]) clickToEmail.record(now - writtenAt[n]!);
      };
      const addr = await sink.start();
      send({ type: "sink", ...addr });
    } else if (msg.type === "start") {
      const loyal = [...loyalCustomers(msg.spec)].map((c) => loyalCustomerCodec.encode(c));
      const clickFrames = [...clicks(msg.spec)].map((c) => clickCodec.encode(c));
      const count = await sendAll(msg.loyal, loyal, 0);
      send({ type: "loyal-sent", count });
      process.once("message", async () => {
        const firstClickMs = performance.timeOrigin + performance.now();
        const per = Math.ceil(clickFrames.length / msg.connections);
        // Several connections: each keeps per-key order for its own share of the clicks.
        const sent = await Promise.all(
          Array.from({ length: msg.connections }, (_, i) => {
            const targets = Array.isArray(msg.clicks) ? msg.clicks : [msg.clicks];
            const base = i * per;
            const stamp = (first: number, count: number) => writtenAt.fill(performance.now(), base + first, base + first + count);
            return sendAll(targets[i % targets.length]!, clickFrames.slice(base, base + per), msg.rate / msg.connections, undefined, stamp);
          }),
        );
        await sink!.waitForAll(120_000, 100);
        const s = sink!.summary();
        send({ type: "done", clicksSent: sent.reduce((a, b) => a + b, 0), firstClickMs, lastEmailMs, emails: s.unique, expected: s.expected, duplicates: s.duplicates, missing: s.missing, clickToEmail: { count: clickToEmail.count, p50Ms: clickToEmail.quantile(0.5), p99Ms: clickToEmail.quantile(0.99), p999Ms: clickToEmail.quantile(0.999), maxMs: clickToEmail.max } });
      });
    } else if (msg.type === "exit") {
      await sink?.close();
      process.exit(0);
    }
  });
}

void main();

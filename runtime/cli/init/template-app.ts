// The app part of a project `troupe init` writes: a two-stream join (temperature readings checked
// against per-device limits), its JSON codecs, tests on the testing kit, and sample records.

/** What the templates are filled with. */
export interface TemplateValues {
  /** The app's name (also the npm package's and the image's). */
  readonly name: string;
  /** How the project depends on Troupe (an npm spec: a version, a tarball path, a folder). */
  readonly troupeSpec: string;
  /** Versions of the project's dev dependencies (Troupe's own, so an install finds them in npm's cache). */
  readonly typescript: string;
  readonly typesNode: string;
}

const CODECS = `import type { Codec } from "troupe";

/** A device's limit (source "limits"): readings above \`max\` degrees raise an alert. */
export interface Limit {
  device: string;
  max: number;
}
/** One temperature reading (source "readings"). */
export interface Reading {
  device: string;
  celsius: number;
  at: string;
}
/** A reading over its device's limit (sink "alerts"); \`n\` counts the device's alerts, so \`device\` + \`n\` is a stable id. */
export interface Alert {
  device: string;
  celsius: number;
  max: number;
  at: string;
  n: number;
}

// JSON, one record per frame. A decoder that throws makes the frame a dead letter; the node goes on.
function json<T>(what: string, valid: (v: Record<string, unknown>) => boolean): Codec<T> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(value), "utf8"),
    decode: (bytes) => {
      const v = JSON.parse(Buffer.from(bytes).toString("utf8")) as Record<string, unknown>;
      if (v === null || typeof v !== "object" || !valid(v)) throw new Error(\`not a \${what}: \${JSON.stringify(v)}\`);
      return v as T;
    },
  };
}

export const limitCodec = json<Limit>("Limit", (v) => typeof v.device === "string" && typeof v.max === "number");
export const readingCodec = json<Reading>("Reading", (v) => typeof v.device === "string" && typeof v.celsius === "number");
export const alertCodec = json<Alert>("Alert", (v) => typeof v.device === "string" && typeof v.n === "number");
`;

const APP = (name: string) => `import { ApplicationBuilder, defineState, tcpSink, tcpSource } from "troupe";
import { alertCodec, limitCodec, readingCodec, type Alert, type Limit, type Reading } from "./codecs.js";

/** Each device is a virtual actor with this private state. */
export interface Device {
  max: number | null;
  readings: number;
  alerts: number;
}

export const Devices = defineState<Device>("Device", () => ({ max: null, readings: 0, alerts: 0 }));

/** Saves a device's limit; emits nothing. */
export function saveLimit(limit: Limit, device: Device): undefined {
  device.max = limit.max;
  return undefined;
}

/** Checks a reading against its device's limit: an alert when it is over, nothing otherwise. */
export function checkReading(reading: Reading, device: Device): Alert | undefined {
  device.readings++;
  if (device.max === null || reading.celsius <= device.max) return undefined;
  device.alerts++;
  return { device: reading.device, celsius: reading.celsius, max: device.max, at: reading.at, n: device.alerts };
}

// Two pipelines into one state partition join the streams: both reach the actor of the same device.
const app = new ApplicationBuilder(${JSON.stringify(name)});
app.newPipeline("Limits", tcpSource("limits", limitCodec.decode)).toStatePartition(saveLimit, Devices, "devices", (l) => l.device);
app
  .newPipeline("Readings", tcpSource("readings", readingCodec.decode))
  .toStatePartition(checkReading, Devices, "devices", (r) => r.device)
  .toSink(tcpSink("alerts", alertCodec.encode, { id: (a) => \`\${a.device}#\${a.n}\`, decode: alertCodec.decode, key: (a) => a.device }));
export default app.build();
`;

const TEST = `import assert from "node:assert/strict";
import { test } from "node:test";
import { TestCluster } from "troupe";
import app, { checkReading } from "../src/app.js";
import { alertCodec } from "../src/codecs.js";

// The steps are plain functions: test them directly.
test("checkReading alerts only above the device's limit", () => {
  const device = { max: 30, readings: 0, alerts: 0 };
  assert.equal(checkReading({ device: "d1", celsius: 29, at: "t1" }, device), undefined);
  assert.deepEqual(checkReading({ device: "d1", celsius: 31, at: "t2" }, device), { device: "d1", celsius: 31, max: 30, at: "t2", n: 1 });
  assert.equal(device.readings, 2);
});

// The join on a cluster: 3 nodes in this process, or over NATS with TROUPE_TEST_NATS=nats://127.0.0.1:4222.
const limits = Array.from({ length: 20 }, (_, i) => JSON.stringify({ device: \`d\${i}\`, max: 30 }));
const readings = (celsius: number) => Array.from({ length: 20 }, (_, i) => JSON.stringify({ device: \`d\${i}\`, celsius, at: "t" }));

test("readings join their device's limit across a 3-node cluster, and still do after nodes come and go", async () => {
  const cluster = await TestCluster.start({ app, nodes: 3, nats: process.env.TROUPE_TEST_NATS || undefined });
  try {
    await cluster.send("limits", limits); // resolves once every limit reached its device's actor
    await cluster.send("readings", [...readings(25), ...readings(35)]);
    const alerts = await cluster.waitForOutputs("alerts", 20, alertCodec.decode);
    assert.equal(alerts.length, 20);
    assert.ok(alerts.every((a) => a.celsius === 35 && a.max === 30 && a.n === 1));

    // Slots move: a node joins, another drains; each device keeps its limit and its count.
    await cluster.addNode();
    await cluster.drainNode("node-1");
    await cluster.waitForStable();
    await cluster.send("readings", readings(40));
    const more = (await cluster.waitForOutputs("alerts", 40, alertCodec.decode)).slice(20);
    assert.ok(more.every((a) => a.celsius === 40 && a.n === 2));
  } finally {
    await cluster.stop();
  }
});
`;

/** Sample records for `troupe send` (the compose file's feeder sends them). */
function samples(): { limits: string; readings: string } {
  const devices = Array.from({ length: 12 }, (_, i) => `sensor-${String(i + 1).padStart(2, "0")}`);
  const limits = devices.map((device, i) => JSON.stringify({ device, max: 30 + (i % 4) * 5 })).join("\n");
  const readings: string[] = [];
  for (let t = 0; t < 20; t++) {
    for (const [i, device] of devices.entries()) {
      // A slow drift with a spike now and then: some readings cross their device's limit.
      const celsius = Math.round((22 + ((t * 7 + i * 13) % 17) + (t % 9 === i % 9 ? 12 : 0)) * 10) / 10;
      readings.push(JSON.stringify({ device, celsius, at: new Date(Date.UTC(2026, 0, 1, 12, 0, t)).toISOString() }));
    }
  }
  return { limits: limits + "\n", readings: readings.join("\n") + "\n" };
}

/** The app's files, by path in the project. */
export function appFiles(v: TemplateValues): Record<string, string> {
  const s = samples();
  return {
    "src/codecs.ts": CODECS,
    "src/app.ts": APP(v.name),
    "test/app.test.ts": TEST,
    "samples/limits.jsonl": s.limits,
    "samples/readings.jsonl": s.readings,
  };
}

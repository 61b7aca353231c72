import { afterEach, describe, expect, it } from "vitest";
import { TcpSink } from "../../../runtime/io/tcp-sink.js";
import { silentLogger } from "../../../runtime/logger.js";
import { freePort } from "../../helpers/ports.js";
import { startSinkCollector, type SinkCollector } from "../../helpers/sink-collector.js";

let sink: TcpSink | undefined;
let collector: SinkCollector | undefined;
afterEach(async () => {
  await sink?.close();
  await collector?.close();
  sink = collector = undefined;
});

describe("TcpSink", () => {
  it("delivers frames in order", async () => {
    collector = await startSinkCollector();
    sink = new TcpSink({ name: "s", host: collector.host, port: collector.port, logger: silentLogger() });
    sink.start();
    for (let i = 0; i < 50_000; i++) sink.write(Buffer.from(`m${i}`));
    await collector.waitFor(50_000);
    expect(collector.frames.map(String)).toEqual(Array.from({ length: 50_000 }, (_, i) => `m${i}`));
    expect(await sink.flush(1000)).toBe(true);
  });

  it("writes turn after turn into one chunk and starts a new one only when a frame does not fit, every frame whole and in order", async () => {
    collector = await startSinkCollector();
    sink = new TcpSink({ name: "s", host: collector.host, port: collector.port, logger: silentLogger() });
    sink.start();
    const sent: string[] = [];
    // Turns of a few frames each (each turn's frames go out as one slice), then frames that cross
    // the 64 KiB chunk's end, and one frame larger than a chunk.
    for (let turn = 0; turn < 200; turn++) {
      for (let i = 0; i < 3; i++) sent.push(`t${turn}-${i}-${"x".repeat((turn * 37 + i * 101) % 700)}`);
      for (const m of sent.slice(-3)) sink.write(Buffer.from(m));
      await new Promise((r) => setImmediate(r));
    }
    sent.push("big-" + "y".repeat(100_000), "after-big");
    for (const m of sent.slice(-2)) sink.write(Buffer.from(m));
    await collector.waitFor(sent.length);
    expect(collector.frames.map(String)).toEqual(sent);
    expect(await sink.flush(1000)).toBe(true);
    expect(sink.bufferedBytes()).toBe(0);
  });

  it("buffers while the receiver is down and delivers after it starts (reconnect with backoff)", async () => {
    const port = await freePort();
    sink = new TcpSink({ name: "s", host: "127.0.0.1", port, logger: silentLogger(), backoffMinMs: 10, backoffMaxMs: 100 });
    sink.start();
    for (let i = 0; i < 100; i++) sink.write(Buffer.from(`early${i}`));
    await new Promise((r) => setTimeout(r, 150)); // let at least one connection attempt fail
    expect(sink.stats.reconnects).toBeGreaterThan(0);
    collector = await startSinkCollector(port);
    await collector.waitFor(100);
    expect(collector.frames.map(String)).toEqual(Array.from({ length: 100 }, (_, i) => `early${i}`));
  });

  it("drops and counts beyond its buffer bound while disconnected", async () => {
    const port = await freePort();
    sink = new TcpSink({ name: "s", host: "127.0.0.1", port, logger: silentLogger(), maxBufferedBytes: 1000, backoffMinMs: 10 });
    sink.start();
    for (let i = 0; i < 100; i++) sink.write(Buffer.alloc(96, i)); // 100 bytes framed each
    expect(sink.stats.dropped).toBe(90);
    collector = await startSinkCollector(port);
    await collector.waitFor(10);
    expect(collector.frames.map((f) => f[0])).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it("flush times out honestly while nobody listens", async () => {
    const port = await freePort();
    sink = new TcpSink({ name: "s", host: "127.0.0.1", port, logger: silentLogger(), backoffMinMs: 10 });
    sink.start();
    sink.write(Buffer.from("x"));
    expect(await sink.flush(100)).toBe(false);
  });
});

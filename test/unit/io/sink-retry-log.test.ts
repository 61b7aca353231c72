import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { Writable } from "node:stream";
import { TcpSink } from "../../../runtime/io/tcp-sink.js";
import { LogRateLimiter } from "../../../runtime/logger.js";
import { freePort } from "../../helpers/ports.js";
import { waitUntil } from "../../helpers/wait.js";

describe("a sink that cannot reach its target", () => {
  it("LogRateLimiter with a minute window allows one line a minute and counts the rest", () => {
    const l = new LogRateLimiter(1, 60_000);
    expect(l.allow(0)).toBe(0);
    expect(l.allow(1_000)).toBe(-1);
    expect(l.allow(59_999)).toBe(-1);
    expect(l.allow(60_000)).toBe(2);
  });

  it("retries again and again and logs the failure once", async () => {
    const lines: string[] = [];
    const out = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
    const port = await freePort(); // nothing listens there
    const sink = new TcpSink({ name: "s", host: "127.0.0.1", port, logger: pino(out), backoffMinMs: 5, backoffMaxMs: 80 });
    await sink.start();
    await waitUntil(() => sink.stats.reconnects >= 8, 10_000, "8 reconnect attempts");
    await sink.close();
    expect(lines.filter((l) => l.includes("sink connection failed")).length).toBe(1);
  });
});

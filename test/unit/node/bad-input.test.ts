import { describe, expect, it } from "vitest";
import { ApplicationBuilder, EmbeddedCluster, defineState, tcpSink, tcpSource, type DeadLetter } from "../../../runtime/index.js";
import { openFrameSender } from "../../helpers/frames.js";
import { startSinkCollector } from "../../helpers/sink-collector.js";
import { waitUntil } from "../../helpers/wait.js";

// A tiny app whose decoder and step can be made to throw by the input itself.
const Counter = defineState("Counter", () => ({ n: 0 }));
function buildApp() {
  const app = new ApplicationBuilder("bad-input");
  app
    .newPipeline("Numbers", tcpSource("numbers", (b) => {
      const text = Buffer.from(b).toString();
      if (text.startsWith("!")) throw new Error(`undecodable: ${text}`);
      return { key: text.split(":")[0]!, cmd: text.split(":")[1] ?? "" };
    }))
    .toStatePartition((e, s) => {
      if (e.cmd === "boom") throw new Error("step exploded");
      if (e.cmd === "reject") return Promise.reject(new Error("async step rejected"));
      return `${e.key}=${++s.n}`;
    }, Counter, "counters", (e) => e.key)
    .toSink(tcpSink("out", (s: string) => Buffer.from(s)));
  return app.build();
}

describe("bad input never takes a node down", () => {
  it("decoder and step exceptions and malformed frames are counted and dead-lettered; everything else is served", async () => {
    const out = await startSinkCollector();
    const letters: DeadLetter[] = [];
    await using cluster = await EmbeddedCluster.start({
      apps: [buildApp()],
      nodes: 2,
      nodeOptions: (id) => ({
        sinks: { out: { host: out.host, port: out.port } },
        ...(id === "node-1" ? { sources: { numbers: { host: "127.0.0.1", port: 0 } } } : {}),
        maxFrameBytes: 64,
        onDeadLetter: (l) => void letters.push(l),
      }),
    });
    const node = cluster.nodes.get("node-1")!;
    const addr = node.sourceAddressesBound.get("numbers")!;
    const good = await openFrameSender(addr.host, addr.port);
    const evil = await openFrameSender(addr.host, addr.port);
    good.send(Buffer.from("a:inc"));
    evil.send(Buffer.from("!garbage")); // decoder throws
    evil.send(Buffer.from("a:boom")); // step throws
    evil.send(Buffer.from("b:reject")); // async step rejects
    good.send(Buffer.from("a:inc"));
    evil.sendRaw(Buffer.from([0, 0, 1, 0])); // declares 256 bytes > 64: connection closed
    await waitUntil(() => letters.length >= 4, 5000, "four dead letters");
    for (let i = 0; i < 98; i++) good.send(Buffer.from("a:inc"));
    good.send(Buffer.from("c:inc"));
    await out.waitFor(101);
    const texts = out.frames.map(String);
    expect(texts.filter((t) => t.startsWith("a="))).toEqual(Array.from({ length: 100 }, (_, i) => `a=${i + 1}`));
    expect(texts).toContain("c=1");
    expect(letters.map((l) => l.reason).sort()).toEqual(["decode_error", "oversized_frame", "step_error", "step_error"]);
    expect(letters.find((l) => l.reason === "decode_error")!.payload).toEqual(Uint8Array.from(Buffer.from("!garbage")));
    const total = [...cluster.nodes.values()].reduce((a, n) => a + n.deadLetters.total(), 0);
    expect(total).toBe(4);
    const metrics = await node.metrics.text();
    expect(metrics).toMatch(/troupe_dead_letters_total\{reason="decode_error",node="node-1"\} 1/);
    expect(node.lifecycle).toBe("running");
    await good.end();
    await out.close();
  });
});

import { describe, expect, it } from "vitest";
import { ApplicationBuilder, EmbeddedCluster, defineState, slotOf, tcpSink, tcpSource, type DeadLetter } from "../../../runtime/index.js";
import { openFrameSender } from "../../helpers/frames.js";
import { startSinkCollector } from "../../helpers/sink-collector.js";
import { waitUntil } from "../../helpers/wait.js";
import { clickCodec, type Click } from "../../../apps/loyalty/messages.js";

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
    // A failed step's letter holds its frame, whichever node owned the key.
    expect(letters.filter((l) => l.reason === "step_error").map((l) => Buffer.from(l.payload!).toString()).sort()).toEqual(["a:boom", "b:reject"]);
    const total = [...cluster.nodes.values()].reduce((a, n) => a + n.deadLetters.total(), 0);
    expect(total).toBe(4);
    const metrics = await node.metrics.text();
    expect(metrics).toMatch(/troupe_dead_letters_total\{reason="decode_error",node="node-1"\} 1/);
    expect(node.lifecycle).toBe("running");
    await good.end();
    await out.close();
  });

  it("with a generated codec (frames decoded where they lie in the read): a failed decode's and a failed step's letters hold their frames", async () => {
    const Seen = defineState("Seen", () => ({ n: 0 }));
    const app = new ApplicationBuilder("bad-clicks");
    app
      .newPipeline("Clicks", tcpSource("clicks", clickCodec.decode))
      .toStatePartition((c: Click, s) => {
        if (c.adId === "boom") throw new Error("step exploded");
        return `${c.clickId}:${++s.n}`;
      }, Seen, "seen", (c) => c.customerId)
      .toSink(tcpSink("out", (t: string) => Buffer.from(t)));
    const out = await startSinkCollector();
    const letters: DeadLetter[] = [];
    await using cluster = await EmbeddedCluster.start({
      apps: [app.build()],
      nodes: 2,
      nodeOptions: (id) => ({
        sinks: { out: { host: out.host, port: out.port } },
        ...(id === "node-1" ? { sources: { clicks: { host: "127.0.0.1", port: 0 } } } : {}),
        onDeadLetter: (l) => void letters.push(l),
      }),
    });
    const addr = cluster.nodes.get("node-1")!.sourceAddressesBound.get("clicks")!;
    const sender = await openFrameSender(addr.host, addr.port);
    const click = (n: number, adId = "ad") => clickCodec.encode({ clickId: `k${n}`, customerId: `cust-${n % 7}`, adId, tsMs: n });
    // Many frames per read, so that most lie mid-chunk; the failing ones for keys on both nodes.
    const bad = [click(3, "boom"), click(4, "boom"), click(5, "boom"), click(6, "boom")];
    const garbage = Buffer.from([0xff, 0xff, 0xff]);
    for (let n = 0; n < 200; n++) sender.send(click(100 + n));
    for (const b of bad) sender.send(b);
    sender.send(garbage);
    for (let n = 0; n < 200; n++) sender.send(click(300 + n));
    await out.waitFor(400);
    await waitUntil(() => letters.length >= 5, 5000, "five dead letters");
    const hex = (b: Uint8Array | undefined) => Buffer.from(b!).toString("hex");
    expect(letters.filter((l) => l.reason === "step_error").map((l) => hex(l.payload)).sort()).toEqual(bad.map(hex).sort());
    expect(letters.filter((l) => l.reason === "decode_error").map((l) => hex(l.payload))).toEqual([hex(garbage)]);
    // The failing keys' owners: both nodes (the letter of a key owned by node-2 crossed the in-process transport).
    const ownerOf = (key: string) => cluster.nodes.get("node-1")!.apps.get("bad-clicks")!.tables[0]!.owners[slotOf(key, 256)];
    expect(new Set(bad.map((b) => ownerOf(clickCodec.decode(b).customerId)))).toEqual(new Set(["node-1", "node-2"]));
    await sender.end();
    await out.close();
  });
});

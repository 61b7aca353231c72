import { describe, expect, it } from "vitest";
import { ApplicationBuilder, EmbeddedCluster, defineState, tcpSink, tcpSource, type AppliedEvent } from "../../../runtime/index.js";
import { openFrameSender } from "../../helpers/frames.js";
import { startSinkCollector } from "../../helpers/sink-collector.js";
import { waitUntil } from "../../helpers/wait.js";

// Each event is "key:n"; the actor records the sequence it saw, and emits "key:n:count".
const Seen = defineState("Seen", () => ({ last: -1, count: 0 }));
function buildApp(asyncEvery = 0) {
  const app = new ApplicationBuilder("order");
  app
    .newPipeline("Events", tcpSource("events", (b) => {
      const [key, n] = Buffer.from(b).toString().split(":");
      return { key: key!, n: Number(n) };
    }))
    .toStatePartition((e, s) => {
      const out = `${e.key}:${e.n}:${s.last}`;
      s.last = e.n;
      s.count++;
      if (asyncEvery && e.n % asyncEvery === 0) return new Promise<string>((r) => setTimeout(() => r(out), 1));
      return out;
    }, Seen, "keys", (e) => e.key, { slots: 64 })
    .toSink(tcpSink("out", (s: string) => Buffer.from(s)));
  return app.build();
}

describe("embedded rebalancing under load", () => {
  it("nodes join and drain while events flow: nothing lost, nothing twice, per-key order kept, one owner per (slot, epoch)", async () => {
    const out = await startSinkCollector();
    const applied: AppliedEvent[] = [];
    await using cluster = await EmbeddedCluster.start({
      apps: [buildApp(7)],
      nodes: 1,
      nodeOptions: (id) => ({
        sinks: { out: { host: out.host, port: out.port } },
        ...(id === "node-1" ? { sources: { events: { host: "127.0.0.1", port: 0 } } } : {}),
        onApplied: (a) => void applied.push(a),
      }),
    });
    const addr = cluster.nodes.get("node-1")!.sourceAddressesBound.get("events")!;
    const a = await openFrameSender(addr.host, addr.port);
    const b = await openFrameSender(addr.host, addr.port);
    const keys = 500;
    const perKey = 40;
    let sent = 0;
    // Connection a sends even keys, b odd keys, so each key has one connection (per-key order is per connection).
    const sendRound = (n: number) => {
      for (let k = 0; k < keys; k++) (k % 2 ? b : a).send(Buffer.from(`k${k}:${n}`));
      sent += keys;
    };
    const steps: Array<() => Promise<unknown>> = [
      () => cluster.addNode(),
      () => cluster.addNode(),
      () => cluster.addNode(),
      () => cluster.drainNode("node-3"),
      () => cluster.addNode(),
      () => cluster.drainNode("node-2"),
      () => cluster.drainNode("node-4"),
    ];
    for (let n = 0; n < perKey; n++) {
      sendRound(n);
      if (n % 5 === 2 && steps.length) await steps.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await waitUntil(() => out.frames.length >= sent, 20_000, `all ${sent} outputs`);
    await cluster.waitForStable();
    // Exactly once, in order per key.
    const byKey = new Map<string, number[]>();
    for (const f of out.frames.map(String)) {
      const [k, n, prev] = f.split(":");
      const list = byKey.get(k!) ?? [];
      expect(Number(prev)).toBe(list.length ? list[list.length - 1] : -1);
      list.push(Number(n));
      byKey.set(k!, list);
    }
    expect(out.frames.length).toBe(sent);
    for (const list of byKey.values()) expect(list).toEqual(Array.from({ length: perKey }, (_, i) => i));
    // No (slot, epoch) pair applied by two nodes.
    const owner = new Map<string, string>();
    for (const e of applied) {
      const id = `${e.slot}@${e.epoch}`;
      const prev = owner.get(id);
      if (prev && prev !== e.node) {
        const trail = applied.filter((x) => x.slot === e.slot).map((x) => `${x.node}@${x.epoch}`);
        const compact = trail.filter((x, i) => x !== trail[i - 1]);
        expect.fail(`slot ${e.slot} in epoch ${e.epoch} applied by ${prev} and ${e.node}; trail ${compact.join(" ")}`);
      }
      owner.set(id, e.node);
    }
    expect(applied.length).toBe(sent);
    expect(new Set(applied.map((e) => e.node)).size).toBeGreaterThanOrEqual(3);
    await a.end();
    await b.end();
    await out.close();
  });
});

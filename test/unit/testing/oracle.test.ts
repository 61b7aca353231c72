import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REGISTERED_APPS } from "../../../apps/index.js";
import loyalty, { verifyWorkloadSpec, workload as loyaltyWorkload } from "../../../apps/loyalty/app.js";
import { clickCodec, promotionEmailCodec } from "../../../apps/loyalty/messages.js";
import { clicks, expectedEmails, isLoyal } from "../../../apps/loyalty/workload.js";
import sequencer, { appliedCodec, VERIFY_TICKS, workload as sequencerWorkload } from "../../../apps/sequencer/app.js";
import { ApplicationBuilder } from "../../../runtime/builder/application-builder.js";
import { tcpSink, tcpSource } from "../../../runtime/builder/specs.js";
import { loadAppModule } from "../../../runtime/cli/app-loader.js";
import { AppLoadError, VerifyError } from "../../../runtime/errors.js";
import { referenceOutputs, type Output } from "../../../runtime/testing/oracle.js";
import { compareOutputs } from "../../../runtime/testing/output-comparison.js";
import globalCount, { countedClickCodec, forgetCounts, workload as globalCountWorkload } from "../../fixtures/global-count-app.js";

// A test output: which click, for which key, and a field the `content` of one sink ignores.
interface Out {
  id: string;
  key: string;
  n: number;
  at?: number;
}
const enc = (o: Out) => Buffer.from(JSON.stringify(o));
const dec = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString("utf8")) as Out;

// One pipeline per sink kind: by id (with key), by bytes, id without decode, id with content, id without key.
const app = (() => {
  const a = new ApplicationBuilder("oracle-test");
  a.newPipeline("A", tcpSource("a", dec)).toSink(tcpSink("byId", enc, { id: (o) => o.id, decode: dec, key: (o) => o.key }));
  a.newPipeline("B", tcpSource("b", dec)).toSink(tcpSink("bytes", enc));
  a.newPipeline("C", tcpSource("c", dec)).toSink(tcpSink("idNoDecode", enc, { id: (o) => o.id }));
  a.newPipeline("D", tcpSource("d", dec)).toSink(tcpSink("content", enc, { id: (o) => o.id, decode: dec, key: (o) => o.key, content: (o) => ({ id: o.id, n: o.n }) }));
  a.newPipeline("E", tcpSource("e", dec)).toSink(tcpSink("idOnly", enc, { id: (o) => o.id, decode: dec }));
  return a.build();
})();

const out = (sink: string, id: string, key = "k", n = 0, at?: number): Output => ({ sink, payload: enc(at === undefined ? { id, key, n } : { id, key, n, at }) });
const sinkOf = (c: ReturnType<typeof compareOutputs>, name: string) => c.sinks.find((s) => s.sink === name)!;
const ZERO = { lost: 0, duplicated: 0, unexpected: 0, mismatched: 0, reordered: 0, reorderedKeys: 0 };

describe("compareOutputs", () => {
  const ref = [out("byId", "a"), out("byId", "b"), out("byId", "c"), out("byId", "d")];

  it("identical outputs: nothing lost, repeated, unexpected or out of order", () => {
    const c = compareOutputs(app, ref, [...ref]);
    expect(c).toMatchObject({ expected: 4, outputs: 4, ...ZERO, samples: [] });
    expect(sinkOf(c, "byId")).toMatchObject({ identity: "id", perKeyOrder: true, expected: 4, outputs: 4 });
  });

  it("lost: a reference output never observed", () => {
    const c = compareOutputs(app, ref, [ref[0]!, ref[1]!, ref[3]!]);
    expect(c).toMatchObject({ expected: 4, outputs: 3, ...ZERO, lost: 1 });
    expect(c.samples).toEqual(["byId: lost id c (key k)"]);
  });

  it("duplicated: counts the extra copies", () => {
    const c = compareOutputs(app, ref, [...ref, ref[1]!, ref[1]!, ref[2]!]);
    expect(c).toMatchObject({ outputs: 7, ...ZERO, duplicated: 3 });
    expect(sinkOf(c, "byId").samples.duplicated).toEqual(["id b (key k) (3 times, the reference has 1)", "id c (key k) (2 times, the reference has 1)"]);
  });

  it("unexpected: an id the reference never produced, and a frame that does not decode", () => {
    const c = compareOutputs(app, ref, [...ref, out("byId", "zz"), { sink: "byId", payload: Buffer.from("not json") }]);
    expect(c).toMatchObject({ ...ZERO, unexpected: 2 });
    expect(sinkOf(c, "byId").samples.unexpected[0]).toBe(`id zz (key k): {"id":"zz","key":"k","n":0}`);
    expect(sinkOf(c, "byId").samples.unexpected[1]).toMatch(/^output 6 does not decode/);
  });

  it("an output to a sink the app does not have is unexpected", () => {
    const c = compareOutputs(app, ref, [...ref, out("elsewhere", "a")]);
    expect(c).toMatchObject({ ...ZERO, unexpected: 1 });
    expect(sinkOf(c, "elsewhere")).toMatchObject({ identity: "bytes", expected: 0, outputs: 1, unexpected: 1 });
  });

  it("mismatched: a known id with other content is unexpected (and mismatched), not lost", () => {
    const c = compareOutputs(app, ref, [ref[0]!, out("byId", "b", "k", 7), ref[2]!, ref[3]!]);
    expect(c).toMatchObject({ ...ZERO, unexpected: 1, mismatched: 1 });
    expect(c.samples).toEqual([`byId: mismatched id b (key k): {"id":"b","key":"k","n":7}, where the reference has {"id":"b","key":"k","n":0}`]);
  });

  it("reordered: counts the outputs out of place per key (observed minus the longest run in reference order)", () => {
    const swapped = compareOutputs(app, ref, [ref[1]!, ref[0]!, ref[2]!, ref[3]!]);
    expect(swapped).toMatchObject({ ...ZERO, reordered: 1, reorderedKeys: 1 });
    expect(swapped.samples[0]).toBe("byId: reordered key k: 1 of 4 out of order; observed id b (key k), id a (key k), id c (key k), id d (key k); reference id a (key k), id b (key k), id c (key k), id d (key k)");
    expect(compareOutputs(app, ref, [...ref].reverse())).toMatchObject({ reordered: 3, reorderedKeys: 1 });
    // A repeat of an earlier output after later ones is a duplicate, not a reorder (first occurrences count).
    expect(compareOutputs(app, ref, [...ref, ref[0]!])).toMatchObject({ ...ZERO, duplicated: 1 });
    // Lost and unexpected outputs do not count as out of order.
    expect(compareOutputs(app, ref, [ref[0]!, out("byId", "x"), ref[2]!, ref[3]!])).toMatchObject({ ...ZERO, lost: 1, unexpected: 1 });
  });

  it("order is per key: interleaving between keys is free", () => {
    const two = [out("byId", "a1", "k1"), out("byId", "b1", "k2"), out("byId", "a2", "k1"), out("byId", "b2", "k2")];
    expect(compareOutputs(app, two, [two[1]!, two[3]!, two[0]!, two[2]!])).toMatchObject({ ...ZERO });
    const c = compareOutputs(app, two, [two[2]!, two[0]!, two[3]!, two[1]!]);
    expect(c).toMatchObject({ ...ZERO, reordered: 2, reorderedKeys: 2 });
  });

  it("ids are scoped by key where the sink declares one, else global", () => {
    const perKey = [out("byId", "1", "k1"), out("byId", "1", "k2")];
    expect(compareOutputs(app, perKey, perKey)).toMatchObject({ expected: 2, ...ZERO });
    expect(compareOutputs(app, perKey, [perKey[0]!])).toMatchObject({ lost: 1 });
    const global = [out("idOnly", "1", "k1")];
    // Same id, other key: the same output with other content.
    expect(compareOutputs(app, global, [out("idOnly", "1", "k2")])).toMatchObject({ ...ZERO, mismatched: 1, unexpected: 1 });
    expect(sinkOf(compareOutputs(app, global, global), "idOnly")).toMatchObject({ identity: "id", perKeyOrder: false });
  });

  it("bytes identity: without id, or with id but no decode", () => {
    for (const sink of ["bytes", "idNoDecode"]) {
      const r = [out(sink, "a"), out(sink, "b"), out(sink, "b")];
      // Other bytes for "b": one lost, one unexpected (no id to call it a mismatch).
      const c = compareOutputs(app, r, [r[0]!, r[1]!, out(sink, "b", "k", 1)]);
      expect(c).toMatchObject({ ...ZERO, lost: 1, unexpected: 1 });
      expect(sinkOf(c, sink)).toMatchObject({ identity: "bytes", perKeyOrder: false });
      expect(c.samples[0]).toMatch(new RegExp(`^${sink}: lost bytes .* \\(1 of 2 copies\\)$`));
      // Identical payloads are copies of one output.
      expect(compareOutputs(app, r, [...r, r[1]!])).toMatchObject({ ...ZERO, duplicated: 1 });
      // No key: no order check.
      expect(compareOutputs(app, r, [...r].reverse())).toMatchObject({ ...ZERO });
    }
  });

  it("content: only the declared part must match the reference", () => {
    const r = [out("content", "a", "k", 1, 100), out("content", "b", "k", 2, 100)];
    expect(compareOutputs(app, r, [out("content", "a", "k", 1, 555), out("content", "b", "k", 2, 999)])).toMatchObject({ ...ZERO, expected: 2, outputs: 2 });
    const c = compareOutputs(app, r, [out("content", "a", "k", 1, 555), out("content", "b", "k", 3, 100)]);
    expect(c).toMatchObject({ ...ZERO, mismatched: 1, unexpected: 1 });
    expect(c.samples).toEqual([`content: mismatched id b (key k): {"id":"b","n":3}, where the reference has {"id":"b","n":2}`]);
  });

  it("sums over sinks and keeps a few samples of each kind", () => {
    const r = [...ref, out("bytes", "x")];
    const many = Array.from({ length: 20 }, (_, i) => out("byId", `u${i}`));
    const c = compareOutputs(app, r, [ref[0]!, ...many]);
    expect(c).toMatchObject({ expected: 5, outputs: 21, lost: 4, unexpected: 20 });
    expect(sinkOf(c, "byId")).toMatchObject({ lost: 3, unexpected: 20 });
    expect(sinkOf(c, "bytes")).toMatchObject({ lost: 1, expected: 1, outputs: 0 });
    expect(sinkOf(c, "byId").samples.unexpected).toHaveLength(5);
    expect(c.samples.filter((s) => s.startsWith("byId: unexpected"))).toHaveLength(5);
  });

  it("a reference output its sink cannot read back is an error, not a count", () => {
    expect(() => compareOutputs(app, [{ sink: "byId", payload: Buffer.from("{") }], [])).toThrow(VerifyError);
  });
});

describe("referenceOutputs", () => {
  it("loyalty: exactly the expected emails, once each, in click order per customer", async () => {
    const seed = 4;
    const spec = verifyWorkloadSpec(seed);
    const phases = loyaltyWorkload(seed);
    expect(phases.map((p) => p.length)).toEqual([[...Array(spec.customers).keys()].filter((i) => isLoyal(spec, i)).length, spec.clicks]);
    const ref = await referenceOutputs(loyalty, phases);
    const expected = expectedEmails(spec);
    expect(expected.size).toBeGreaterThan(spec.clicks * 0.3);
    expect(ref.every((o) => o.sink === "emails")).toBe(true);
    const emails = ref.map((o) => promotionEmailCodec.decode(o.payload));
    expect(emails.length).toBe(expected.size);
    expect(new Set(emails.map((e) => e.clickId))).toEqual(expected);
    for (const e of emails) expect(e.email).toBe(`customer${e.customerId.slice("cust-".length)}@example.com`);
    // Per customer, emails come in the order of its clicks.
    const order = new Map([...clicks(spec)].map((c, n) => [c.clickId, n]));
    const last = new Map<string, number>();
    for (const e of emails) {
      const n = order.get(e.clickId)!;
      expect(n).toBeGreaterThan(last.get(e.customerId) ?? -1);
      last.set(e.customerId, n);
    }
    expect(compareOutputs(loyalty, ref, ref)).toMatchObject({ expected: expected.size, outputs: expected.size, ...ZERO });
  });

  it("sequencer: two runs differ in node clocks only, which the sink's content leaves out", async () => {
    const phases = sequencerWorkload(9);
    const { keys, streams, perStream } = VERIFY_TICKS;
    expect(phases.reduce((a, p) => a + p.length, 0)).toBe(keys * streams.length * perStream);
    const first = await referenceOutputs(sequencer, phases);
    const second = await referenceOutputs(sequencer, phases);
    expect(first).toHaveLength(keys * streams.length * perStream);
    const applied = first.map((o) => appliedCodec.decode(o.payload));
    // Every tick applied in order: prev is the seq before on its (key, stream).
    for (const a of applied) expect(Number(a.prev)).toBe(Number(a.seq) - 1);
    expect(compareOutputs(sequencer, first, second)).toMatchObject({ ...ZERO, expected: first.length });
  });

  it("a workload frame for a source the app lacks is a clear error", async () => {
    await expect(referenceOutputs(loyalty, [[{ source: "nope", payload: new Uint8Array(1) }]])).rejects.toThrow(/source "nope", which the app does not declare/);
  });
});

describe("the global-count fixture (state outside its actors)", () => {
  const seed = 3;
  const phases = globalCountWorkload(seed);
  // The right count of every click: its ordinal among its customer's clicks in the workload.
  const rightCounts = () => {
    const per = new Map<string, number>();
    const byClick = new Map<string, number>();
    for (const f of phases.flat()) {
      const c = clickCodec.decode(f.payload);
      const n = (per.get(c.customerId) ?? 0) + 1;
      per.set(c.customerId, n);
      byClick.set(c.clickId, n);
    }
    return byClick;
  };

  it("is self-consistent on the one-node reference, and verify flags it once its module state is out of step", async () => {
    forgetCounts();
    const ref = await referenceOutputs(globalCount, phases);
    const right = rightCounts();
    expect(ref).toHaveLength(right.size);
    for (const o of ref) {
      const v = countedClickCodec.decode(o.payload);
      expect(v.count).toBe(right.get(v.clickId));
    }
    expect(compareOutputs(globalCount, ref, ref)).toMatchObject({ ...ZERO });

    // The same workload again in this process: the module counts carry on, so every output is wrong.
    const again = await referenceOutputs(globalCount, phases);
    expect(compareOutputs(globalCount, ref, again)).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, mismatched: ref.length, unexpected: ref.length });

    // A restart between the phases: a fresh node and fresh module counts for phase 2. Every phase-2
    // click of a customer who clicked in phase 1 comes out with the wrong count.
    forgetCounts();
    const before = await referenceOutputs(globalCount, [phases[0]!]);
    forgetCounts();
    const after = await referenceOutputs(globalCount, [phases[1]!]);
    const inPhase1 = new Set(phases[0]!.map((f) => clickCodec.decode(f.payload).customerId));
    const wrong = phases[1]!.filter((f) => inPhase1.has(clickCodec.decode(f.payload).customerId)).length;
    expect(wrong).toBeGreaterThan(1_000);
    const restarted = compareOutputs(globalCount, ref, [...before, ...after]);
    expect(restarted).toMatchObject({ expected: ref.length, outputs: ref.length, lost: 0, duplicated: 0, reordered: 0, mismatched: wrong, unexpected: wrong });
    expect(restarted.samples[0]).toMatch(/^counted: mismatched id click-\d+ \(key s3-cust-\d+\): \{"clickId":.*"count":\d+.*\}, where the reference has/);
  });
});

describe("loadAppModule", () => {
  const dir = mkdtempSync(join(tmpdir(), "troupe-oracle-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads registered apps with their workloads, checked against the app's sources", async () => {
    const l = await loadAppModule("loyalty", REGISTERED_APPS);
    expect(l.app.name).toBe("loyalty");
    expect(l.workload!(4).map((p) => p.length)).toEqual(loyaltyWorkload(4).map((p) => p.length));
    const s = await loadAppModule("sequencer", REGISTERED_APPS);
    expect(s.workload!(1)).toHaveLength(VERIFY_TICKS.phases);
  });

  it("loads a module by path with its workload", async () => {
    const m = await loadAppModule("test/fixtures/global-count-app.ts", REGISTERED_APPS);
    expect(m.app.name).toBe("global-count");
    expect(m.workload!(2).flat()).toHaveLength(24_000);
  });

  it("a workload that is not a function, or that sends to an unknown source, is an AppLoadError", async () => {
    const app = `export default { name: "x", pipelines: [], stages: [], sources: new Map([["in", {}]]), sinks: new Map() };`;
    writeFileSync(join(dir, "bad-source.mjs"), `${app}\nexport function workload() { return [[{ source: "in", payload: new Uint8Array(1) }, { source: "nope", payload: new Uint8Array(1) }]]; }\n`);
    writeFileSync(join(dir, "not-fn.mjs"), `${app}\nexport const workload = 3;\n`);
    writeFileSync(join(dir, "none.mjs"), `${app}\n`);
    const bad = await loadAppModule(join(dir, "bad-source.mjs"), REGISTERED_APPS);
    expect(() => bad.workload!(1)).toThrow(AppLoadError);
    expect(() => bad.workload!(1)).toThrow(/workload\(1\): phase 1 frame 2 is for source "nope", which app "x" does not declare \(its sources: in\)/);
    await expect(loadAppModule(join(dir, "not-fn.mjs"), REGISTERED_APPS)).rejects.toThrow(/"workload" export must be a function/);
    expect((await loadAppModule(join(dir, "none.mjs"), REGISTERED_APPS)).workload).toBeUndefined();
  });
});

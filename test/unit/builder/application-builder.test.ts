import { describe, expect, it } from "vitest";
import { AppDefinitionError, ApplicationBuilder, defineState, tcpSink, tcpSource } from "../../../runtime/index.js";

const dec = (b: Uint8Array) => Buffer.from(b).toString();
const enc = (s: string) => Buffer.from(s);
const S = defineState("S", () => ({ n: 0 }));
const step = (e: string, s: { n: number }) => `${e}:${++s.n}`;

describe("ApplicationBuilder", () => {
  it("builds stages, partitions and codecs for a two-pipeline join", () => {
    const app = new ApplicationBuilder("join");
    app.newPipeline("A", tcpSource("a", dec)).toStatePartition(step, S, "p", (e) => e);
    app.newPipeline("B", tcpSource("b", dec)).to((e: string) => e.toUpperCase()).toStatePartition(step, S, "p", (e) => e).toSink(tcpSink("out", enc));
    const built = app.build();
    expect(built.partitions).toHaveLength(1);
    expect(built.stages.map((s) => s.kind)).toEqual(["state", "stateless", "state"]);
    const [first, , third] = built.stages;
    expect(first!.kind === "state" && first!.input).toBe("frame");
    expect(third!.kind === "state" && typeof third!.input).toBe("object");
    expect([...built.sinks.keys()]).toEqual(["out"]);
  });

  it("names the pipeline and step when a partition is declared with two state kinds", () => {
    const other = defineState("Other", () => ({}));
    const app = new ApplicationBuilder("x");
    app.newPipeline("First", tcpSource("a", dec)).toStatePartition(step, S, "p", (e) => e);
    app.newPipeline("Second", tcpSource("b", dec)).toStatePartition((e: string) => e, other, "p", (e) => e, { name: "bad step" });
    expect(() => app.build()).toThrowError(/pipeline "Second", step "bad step".*state partition "p"/);
  });

  it("rejects different slot counts for one partition", () => {
    const app = new ApplicationBuilder("x");
    app.newPipeline("First", tcpSource("a", dec)).toStatePartition(step, S, "p", (e) => e, { slots: 64 });
    app.newPipeline("Second", tcpSource("b", dec)).toStatePartition(step, S, "p", (e) => e);
    expect(() => app.build()).toThrowError(/has 64 slots in pipeline "First" but 256 here/);
  });

  it("rejects duplicate pipeline names, shared sources and empty pipelines", () => {
    const dup = new ApplicationBuilder("x");
    dup.newPipeline("P", tcpSource("a", dec)).toStatePartition(step, S, "p", (e) => e);
    dup.newPipeline("P", tcpSource("b", dec)).toStatePartition(step, S, "p", (e) => e);
    expect(() => dup.build()).toThrowError(AppDefinitionError);

    const shared = new ApplicationBuilder("x");
    shared.newPipeline("P1", tcpSource("a", dec)).toStatePartition(step, S, "p", (e) => e);
    shared.newPipeline("P2", tcpSource("a", dec)).toStatePartition(step, S, "p", (e) => e);
    expect(() => shared.build()).toThrowError(/source "a" already feeds pipeline "P1"/);

    const empty = new ApplicationBuilder("x");
    empty.newPipeline("Nothing", tcpSource("a", dec));
    expect(() => empty.build()).toThrowError(/pipeline "Nothing": has no steps and no sink/);

    expect(() => new ApplicationBuilder("x").build()).toThrowError(/has no pipelines/);
  });

  it("rejects bad slot counts, names and adding after a sink", () => {
    const app = new ApplicationBuilder("x");
    app.newPipeline("P", tcpSource("a", dec)).toStatePartition(step, S, "p", (e) => e, { slots: 0 });
    expect(() => app.build()).toThrowError(/slots must be an integer from 1 to 65536/);
    expect(() => new ApplicationBuilder("bad/name").newPipeline("P", tcpSource("a", dec)) && new ApplicationBuilder("bad/name").build()).toThrowError(/application name/);
    const ended = new ApplicationBuilder("x").newPipeline("P", tcpSource("a", dec));
    ended.toSink(tcpSink("out", enc));
    expect(() => ended.to((e: string) => e)).toThrowError(/after its sink "out"/);
  });
});

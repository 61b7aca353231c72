import { describe, expect, it } from "vitest";
import { FailureDetector } from "../../../runtime/cluster/failure-detector.js";

const member = (id: string, joinedSeq = 1) => ({ id, joinedSeq, status: "up" as const });
const key = (id: string) => `hb.${id}`;

describe("failure detector (our clock, no network)", () => {
  it("suspects a member whose heartbeat has not changed for the failure timeout, never itself", () => {
    const d = new FailureDetector(1_000, key);
    const ms = [member("me"), member("a"), member("b")];
    d.viewChanged(ms, new Map(), 0);
    d.beat(key("a"), 5, 800);
    expect(d.suspects(ms, "me", 1_500).map((m) => m.id)).toEqual(["b"]);
    expect(d.suspects(ms, "me", 1_800).map((m) => m.id)).toEqual(["b"]);
    expect(d.suspects(ms, "me", 1_801).map((m) => m.id)).toEqual(["a", "b"]);
  });

  it("a suspect whose heartbeat moved when read again is alive; an unchanged or missing one is dead", () => {
    const d = new FailureDetector(1_000, key);
    const ms = [member("a")];
    d.viewChanged(ms, new Map(), 0);
    d.beat(key("a"), 5, 0);
    expect(d.stillSilent("a", 5, 1_500)).toBe(true);
    expect(d.stillSilent("a", undefined, 1_500)).toBe(true);
    expect(d.stillSilent("a", 6, 1_500)).toBe(false);
    expect(d.suspects(ms, "me", 2_000)).toEqual([]); // seen at 1,500
  });

  it("a member that rejoined (another join sequence) gets a fresh grace period", () => {
    const d = new FailureDetector(1_000, key);
    d.viewChanged([member("a", 1)], new Map(), 0);
    d.viewChanged([member("a", 2)], new Map([["a", 1]]), 5_000);
    expect(d.suspects([member("a", 2)], "me", 5_500)).toEqual([]);
    d.viewChanged([member("a", 2)], new Map([["a", 2]]), 9_000); // the same member: no new grace
    expect(d.suspects([member("a", 2)], "me", 9_000).map((m) => m.id)).toEqual(["a"]);
  });

  it("after this node's own silence every member starts afresh; a removed one is forgotten", () => {
    const d = new FailureDetector(1_000, key);
    const ms = [member("a"), member("b")];
    d.viewChanged(ms, new Map(), 0);
    d.graceAll(3_000);
    expect(d.suspects(ms, "me", 3_500)).toEqual([]);
    d.forget("a");
    d.viewChanged(ms, new Map(ms.map((m) => [m.id, m.joinedSeq])), 10_000); // a, forgotten, starts afresh; b does not
    expect(d.suspects(ms, "me", 10_500).map((m) => m.id)).toEqual(["b"]);
    expect(d.suspects(ms, "me", 11_001).map((m) => m.id)).toEqual(["a", "b"]);
  });
});

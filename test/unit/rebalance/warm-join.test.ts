import { describe, expect, it } from "vitest";
import { SlotTable, WarmJoin } from "../../../runtime/internal.js";
import { createLogger } from "../../../runtime/logger.js";
import type { Membership, MembershipView } from "../../../runtime/cluster/membership.js";
import type { HandoffApp } from "../../../runtime/rebalance/handoff-host.js";

function fixture(timeoutMs = 60_000) {
  const marked: string[] = [];
  const membership = { markUp: async (id: string) => void marked.push(id) } as unknown as Membership;
  const app: HandoffApp = { name: "app", app: { partitions: [{ name: "p", index: 0, slots: 64 }] } as never, tables: [new SlotTable(64)], hosts: [], partitionIndex: () => 0 };
  const join = new WarmJoin({ nodeId: "n3", log: createLogger("silent"), membership, apps: new Map([["app", app]]), timeoutMs });
  const view = (epoch: number, n3: "joining" | "up"): MembershipView => ({
    epoch,
    members: [
      { id: "n1", joinedSeq: 1, status: "up" },
      { id: "n2", joinedSeq: 2, status: "up" },
      { id: "n3", joinedSeq: 3, status: n3 },
    ],
  });
  return { join, marked, view };
}

describe("WarmJoin (the joiner's side)", () => {
  it("asks to be up once every owner of a slot it will own said copy-ready in the newest view", () => {
    const f = fixture();
    f.join.onView(f.view(5, "joining"));
    expect(f.join.joining).toBe(true);
    f.join.onReady("n1", 5);
    expect(f.marked).toEqual([]);
    f.join.onReady("n2", 4); // said in an older view: not counted
    expect(f.marked).toEqual([]);
    f.join.onReady("n2", 5);
    expect(f.marked).toEqual(["n3"]);
    f.join.onView(f.view(6, "up"));
    expect(f.join.joining).toBe(false);
    f.join.close();
  });

  it("asks to be up at the deadline even if a pre-copy never finished", async () => {
    const f = fixture(20);
    f.join.onView(f.view(5, "joining"));
    f.join.onReady("n1", 5);
    await new Promise((r) => setTimeout(r, 60));
    expect(f.marked).toEqual(["n3"]);
    expect(f.join.timedOut).toBe(1);
    f.join.close();
  });
});

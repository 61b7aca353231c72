import { describe, expect, it } from "vitest";
import { motionLines, renderStatus, statusRows } from "../../../runtime/internal.js";
import type { ClusterInfo } from "../../../runtime/index.js";

const info = (node: string, eventsIn: number, partitions: Array<{ gaining: number; losing: number }>) =>
  ({ node, epoch: 7, slotsOwned: 64, slotsInHandoff: partitions.reduce((a, p) => a + p.gaining + p.losing, 0), activeActors: 10, eventsIn, eventsOut: 0, apps: [{ name: "loyalty", steps: { a: eventsIn }, partitions: partitions.map((p) => ({ name: "customers", ...p })) }] }) as unknown as ClusterInfo;

describe("troupe status table", () => {
  const view = { epoch: 7, members: [{ id: "n1", joinedSeq: 1, status: "up" as const, http: "h1:1" }, { id: "n2", joinedSeq: 2, status: "up" as const }] };

  it("shows rates from two readings and '?' for a member that did not answer", () => {
    const rows = statusRows(view, [info("n1", 100, []), undefined], [info("n1", 350, []), undefined]);
    expect(rows[0]).toMatchObject({ node: "n1", epoch: 7, inPerSecond: 250, appliedPerSecond: 250 });
    expect(rows[1]).toMatchObject({ node: "n2", epoch: null, inPerSecond: null });
    const text = renderStatus("c", view, rows);
    expect(text.split("\n")[0]).toBe('cluster "c" epoch 7, 2 member(s)');
    expect(text).toMatch(/^node\s+status\s+http\s+epoch/m);
    expect(text).toMatch(/^n2\s+up\s+\?\s+\?/m);
  });

  it("lists the slots in motion per node and partition, and nothing when none move", () => {
    expect(motionLines([info("n1", 0, [{ gaining: 0, losing: 0 }])])).toEqual([]);
    expect(motionLines([info("n1", 0, [{ gaining: 0, losing: 21 }]), undefined, info("n4", 0, [{ gaining: 64, losing: 0 }])])).toEqual([
      "  n1 handing off 21 slot(s) of loyalty/customers",
      "  n4 gaining 64 slot(s) of loyalty/customers",
    ]);
  });
});

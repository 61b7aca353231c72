import { describe, expect, it } from "vitest";
import { hash32, placeSlots, slotOf } from "../../../runtime/index.js";
import { RoutingTable } from "../../../runtime/internal.js";

const members = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `node-${i + 1}`, joinedSeq: i + 1 }));

describe("placement", () => {
  it("hash and slot are stable values (part of the cross-version contract)", () => {
    // Pinned values: changing the hash would move every key on upgrade.
    expect([hash32(""), hash32("cust-1"), hash32("é✓😀")]).toEqual([2872998923, 3494670070, 3100874518]);
    expect(slotOf("cust-1", 256)).toBe(246);
    const counts = new Array(256).fill(0);
    for (let i = 0; i < 100_000; i++) counts[slotOf(`cust-${i}`, 256)]++;
    expect(Math.min(...counts)).toBeGreaterThan(390 * 0.8 * 0.8);
    expect(Math.max(...counts)).toBeLessThan(390 * 1.25 * 1.25);
  });

  it("is pure: same members (in any order), same table", () => {
    const ms = members(7);
    expect(placeSlots(ms, 256)).toEqual(placeSlots([...ms].reverse(), 256));
  });

  for (let n = 3; n <= 10; n++) {
    it(`balances 256 slots over ${n} nodes within ±15% of the mean`, () => {
      const table = placeSlots(members(n), 256);
      const load = new Map<string, number>();
      for (const o of table) load.set(o, (load.get(o) ?? 0) + 1);
      const mean = 256 / n;
      expect(load.size).toBe(n);
      for (const l of load.values()) {
        expect(l).toBeGreaterThanOrEqual(mean * 0.85);
        expect(l).toBeLessThanOrEqual(mean * 1.15);
      }
    });
  }

  it("adding a node moves slots only to the new node, about S/N of them", () => {
    for (let n = 1; n < 12; n++) {
      const before = placeSlots(members(n), 256);
      const after = placeSlots(members(n + 1), 256);
      let moved = 0;
      for (let s = 0; s < 256; s++) {
        if (before[s] !== after[s]) {
          moved++;
          expect(after[s]).toBe(`node-${n + 1}`);
        }
      }
      expect(moved).toBe(Math.floor(256 / (n + 1)));
    }
  });

  it("the routing table equals the placement lookup for every slot and slot count", () => {
    const ms = members(5);
    const rt = new RoutingTable(9, ms);
    for (const slots of [1, 7, 256, 1024]) {
      const placed = placeSlots(ms, slots);
      for (let s = 0; s < slots; s++) expect(rt.ownerOf(s, slots)).toBe(placed[s]);
      expect(rt.slotsOf("node-3", slots)).toEqual(placed.flatMap((o, i) => (o === "node-3" ? [i] : [])));
    }
  });

  it("with no members there is no owner", () => {
    expect(placeSlots([], 256)).toEqual([]);
    expect(new RoutingTable(1, []).ownerOf(3, 256)).toBeUndefined();
  });
});

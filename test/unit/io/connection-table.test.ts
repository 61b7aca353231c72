import { describe, expect, it } from "vitest";
import { ConnectionTable, type TableEntry } from "../../../runtime/io/connection-table.js";

const conn = (name: string, address: string) => ({ name, address, silent: false, counted: false }) as TableEntry & { name: string };

describe("ConnectionTable", () => {
  it("fits connections under both caps, then names the oldest silent one under the cap met", () => {
    const t = new ConnectionTable<ReturnType<typeof conn>>(3, 2);
    const [a1, a2, b1] = [conn("a1", "A"), conn("a2", "A"), conn("b1", "B")];
    t.add(a1);
    t.add(a2);
    const perAddress = t.room("A");
    expect(perAddress).toMatchObject({ fits: false, cap: "max_connections_per_address", victim: a1 });
    expect(t.room("B")).toEqual({ fits: true });
    t.add(b1);
    expect(t.room("C")).toMatchObject({ fits: false, cap: "max_connections", victim: a1 });
  });

  it("never names a connection that has spoken: with none silent, the new one is refused", () => {
    const t = new ConnectionTable<ReturnType<typeof conn>>(2, 2);
    const [a1, a2] = [conn("a1", "A"), conn("a2", "A")];
    t.add(a1);
    t.add(a2);
    t.heard(a1);
    expect(t.room("A")).toMatchObject({ victim: a2 });
    t.heard(a2);
    const full = t.room("A");
    expect(full).toMatchObject({ fits: false, victim: undefined });
    expect(full.fits === false && full.detail).toContain("none of them silent");
    expect(t.silent.size).toBe(0);
  });

  it("gives the room back at once when a connection is forgotten, once", () => {
    const t = new ConnectionTable<ReturnType<typeof conn>>(2, 1);
    const a1 = conn("a1", "A");
    t.add(a1);
    expect(t.room("A").fits).toBe(false);
    t.forget(a1);
    t.forget(a1); // its close event comes later: counted once
    expect(t.room("A").fits).toBe(true);
    expect(t.all.size).toBe(0);
    t.add(conn("a2", "A"));
    expect(t.room("B").fits).toBe(true);
  });
});

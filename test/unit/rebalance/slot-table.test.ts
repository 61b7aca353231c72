import { describe, expect, it } from "vitest";
import { SlotTable } from "../../../runtime/internal.js";

describe("SlotTable", () => {
  it("a losing slot records the next link of its handoff chain", () => {
    const st = new SlotTable(8);
    st.set(3, "owned");
    st.lose(3, 6, "node-4", 10);
    expect(st.state(3)).toBe("losing");
    expect(st.lostTo[3]).toBe("node-4");
    expect(st.lostAt[3]).toBe(6);
  });

  // Regression: a slot lost to node-4 that came back while its handoff was in flight kept "node-4" as its
  // target; when node-4 passed the slot back, this node passed it on to node-4 again, and so on until
  // node-4 left (the slot's events bounced for as long as that took, and its state could be read stale).
  it("a slot gained again forgets the target it was lost to", () => {
    const st = new SlotTable(8);
    st.set(3, "owned");
    st.lose(3, 6, "node-4", 10);
    st.set(3, "gaining", 20);
    expect(st.lostTo[3]).toBeUndefined();
    st.lose(3, 7, "node-2", 30);
    st.set(3, "owned");
    expect(st.lostTo[3]).toBeUndefined();
  });

  it("held events come back in order, older ones first", () => {
    const st = new SlotTable(4);
    const env = (seq: number) => ({ seq }) as never;
    st.hold(1, env(3));
    st.holdFirst(1, [env(1), env(2)]);
    expect(st.takeHeld(1).map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(st.takeHeld(1)).toEqual([]);
  });
});

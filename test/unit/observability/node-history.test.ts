import { describe, expect, it } from "vitest";
import { HotKeys, NodeHistory } from "../../../runtime/internal.js";

describe("NodeHistory (the dashboard's sparklines)", () => {
  it("keeps per-second differences of each app's counters, at most the configured number of seconds, and ends hot-key windows", () => {
    const c = { in: 0, out: 0, stages: new Float64Array(2) };
    const hot = new HotKeys(4, 1, 0);
    const history = new NodeHistory(() => [{ name: "app", counts: () => c, hotKeys: [hot] }], 3, 2_000);
    history.sample(0);
    for (let s = 1; s <= 5; s++) {
      c.in += 10 * s;
      c.out += s;
      c.stages[1]! += 2 * s;
      hot.offer("k");
      history.sample(s * 1_000);
    }
    const h = history.of("app");
    expect(h.in).toEqual([30, 40, 50]);
    expect(h.out).toEqual([3, 4, 5]);
    expect(h.stages).toEqual([
      [0, 0, 0],
      [6, 8, 10],
    ]);
    // Windows ended at 2 s and 4 s; the one read covers 2-4 s: "k" twice in 2 s.
    expect(hot.top()).toEqual([{ key: "k", perSecond: 1, errorPerSecond: 0 }]);
    expect(history.of("other")).toEqual({ in: [], out: [], stages: [] });
  });
});

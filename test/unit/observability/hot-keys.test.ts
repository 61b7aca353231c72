import { describe, expect, it } from "vitest";
import { HotKeys } from "../../../runtime/internal.js";

describe("HotKeys (sampled space-saving sketch)", () => {
  it("finds the heavy hitters among many more keys than it has counters, with rates from the last full window", () => {
    const sketch = new HotKeys(16, 4, 0);
    // 100,000 events over 10 s: key-A 30%, key-B 10%, the rest spread over 5,000 keys.
    for (let n = 0; n < 100_000; n++) sketch.offer(n % 10 < 3 ? "key-A" : n % 10 === 3 ? "key-B" : `cold-${n % 5_000}`);
    // Before the first window ends, the window so far (here 5 s of it).
    expect(sketch.top(1, 5_000)[0]!.key).toBe("key-A");
    sketch.rotate(10_000);
    const top = sketch.top(10);
    expect(top.length).toBeLessThanOrEqual(10);
    expect(top[0]!.key).toBe("key-A");
    expect(top[1]!.key).toBe("key-B");
    // 30,000 events of key-A in 10 s: 3,000/s, within the sketch's stated over-count.
    expect(top[0]!.perSecond).toBeGreaterThanOrEqual(3_000 * 0.95);
    expect(top[0]!.perSecond - top[0]!.errorPerSecond).toBeLessThanOrEqual(3_000 * 1.05);
  });

  it("stays bounded: never more keys than counters, and a new window forgets the last one's keys", () => {
    const sketch = new HotKeys(8, 1, 0);
    for (let n = 0; n < 10_000; n++) sketch.offer(`k-${n}`);
    sketch.rotate(1_000);
    expect(sketch.top(100).length).toBe(8);
    sketch.offer("only");
    sketch.rotate(2_000);
    expect(sketch.top(100)).toEqual([{ key: "only", perSecond: 1, errorPerSecond: 0 }]);
    sketch.rotate(3_000);
    expect(sketch.top()).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { ProcessHealth } from "../../../runtime/observability/process-health.js";

const spin = (ms: number) => {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x++;
  return x;
};

describe("ProcessHealth", () => {
  it("counts the CPU time the process used since the last reset", () => {
    const h = new ProcessHealth();
    h.start();
    try {
      spin(80);
      const before = h.info().cpu;
      expect(before.userMs + before.systemMs).toBeGreaterThanOrEqual(40);
      h.reset();
      const after = h.info().cpu;
      expect(after.userMs + after.systemMs).toBeLessThan(before.userMs + before.systemMs);
    } finally {
      h.stop();
    }
  });

  it("sees the garbage collections of the process, and forgets them on reset", async () => {
    const h = new ProcessHealth();
    h.start();
    try {
      // Enough short-lived garbage for several young-generation collections.
      await expect
        .poll(() => {
          for (let i = 0; i < 200_000; i++) void { i, s: `x${i}` };
          return h.info().gc.count;
        })
        .toBeGreaterThan(0);
      expect(h.info().gc.pauseMs).toBeGreaterThan(0);
      h.reset();
      expect(h.info().gc).toEqual({ count: 0, pauseMs: 0, maxMs: 0, major: 0 });
    } finally {
      h.stop();
    }
  });
});

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { hash32, slotOf } from "../../../runtime/index.js";
import { hashBits } from "../../../runtime/internal.js";

// V8 keeps an object field of small integers unboxed only while every value stored there is a Smi; one
// heap number (as `%` of a heap number returns, in unoptimized code) changes the field's representation
// for every object of that shape. Whether a value is a Smi is visible only to V8's natives syntax, so
// the check runs in a child process with it on, over this module's own compiled functions.
function nonSmis(functions: Array<(...args: never[]) => unknown>, fn: string, call: string, keys: string[]): { cold: number; optimized: number } {
  const script = `
    ${functions.map((f) => f.toString()).join("\n")}
    const keys = ${JSON.stringify(keys)};
    const check = () => keys.filter((k) => !%IsSmi(${call})).length;
    const cold = check();
    %PrepareFunctionForOptimization(${fn});
    check();
    %OptimizeFunctionOnNextCall(${fn});
    process.stdout.write(JSON.stringify({ cold, optimized: check() }));`;
  const r = spawnSync(process.execPath, ["--allow-natives-syntax", "-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { cold: number; optimized: number };
}

describe("slotOf", () => {
  it("returns a Smi for keys whose hash is a heap number (2^30 and over), unoptimized and optimized", () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `customer-${i}`).filter((k) => hash32(k) >= 2 ** 30);
    expect(keys.length).toBeGreaterThan(1_000);
    expect(nonSmis([hashBits, slotOf], "slotOf", "slotOf(k, 64)", keys)).toEqual({ cold: 0, optimized: 0 });
  });

  it("hashes through hashBits, a signed 32-bit integer that V8 keeps a Smi (no heap number per call), with hash32's bits", () => {
    const keys = Array.from({ length: 2_000 }, (_, i) => `customer-${i}`);
    // Half the hashes are 2^31 or more: a uint32 return value would be a heap number for them.
    expect(keys.filter((k) => hash32(k) >= 2 ** 31).length).toBeGreaterThan(800);
    for (const k of keys) expect(hashBits(k) >>> 0).toBe(hash32(k));
    expect(nonSmis([hashBits], "hashBits", "hashBits(k)", keys)).toEqual({ cold: 0, optimized: 0 });
  });
});

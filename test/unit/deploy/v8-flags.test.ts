import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEFAULT_NODE_V8_FLAGS } from "../../../runtime/defaults.js";

const dockerfile = readFileSync("deploy/Dockerfile", "utf8");

describe("the V8 flags a node process runs with", () => {
  it("are the same in the image (TROUPE_V8_FLAGS, passed by its entry point) as in runtime/defaults.ts", () => {
    expect(/^ENV TROUPE_V8_FLAGS="([^"]*)"$/m.exec(dockerfile)?.[1]).toBe(DEFAULT_NODE_V8_FLAGS);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["sh", "-c", "exec node \$TROUPE_V8_FLAGS bin\/troupe.js \\"\$@\\"", "troupe"\]$/m);
  });

  it("are flags this Node.js accepts", () => {
    const r = spawnSync(process.execPath, [...DEFAULT_NODE_V8_FLAGS.split(" "), "-e", "process.stdout.write('ok')"], { encoding: "utf8" });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "ok", ""]);
  });
});

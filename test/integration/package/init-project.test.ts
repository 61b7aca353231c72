import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { npmInstall, packTroupe } from "../../helpers/packed.js";

// Issue 19, item 2: `troupe init` as a new user runs it, on the packed tarball: the generated project's
// own `npm install` and `npm test` (its steps, and the join on a 3-node TestCluster) pass.
describe("troupe init", () => {
  it("scaffolds a project whose npm install and npm test pass against the packed tarball", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "troupe-init-")), "thermo");
    const r = await runCli(["init", dir, "--troupe", packTroupe()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([".dockerignore", ".gitignore", "Dockerfile", "README.md", "docker-compose.yml", "package.json", "samples", "src", "test", "tsconfig.json"]);
    npmInstall(dir);
    const out = execFileSync("npm", ["test"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(out).toMatch(/^# pass 2$/m);
    expect(out).toMatch(/^# fail 0$/m);
  });

  it("refuses a directory that is not empty, and a name that is not an app name", async () => {
    const r = await runCli(["init", "test"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not empty; give a new or empty directory \[TROUPE_CONFIG\]/);
    const bad = await runCli(["init", join(mkdtempSync(join(tmpdir(), "troupe-init-")), "x"), "--name", "9 lives"]);
    expect(bad.stderr).toMatch(/"9 lives" is not an app name/);
  });
});

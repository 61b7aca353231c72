import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = resolve(fileURLToPath(import.meta.url), "../../../..");
const committed = join(repo, "runtime/wire/generated");

// CI runs `npm test`: a .proto edited without `npm run proto` (or a protobufjs-cli upgrade that changes
// the output) fails here instead of shipping codecs that disagree with the .proto.
describe("generated wire code", () => {
  it("is what scripts/proto.mjs generates from proto/ now (else run `npm run proto`)", () => {
    const fresh = mkdtempSync(join(tmpdir(), "troupe-proto-check-"));
    try {
      execFileSync(process.execPath, [join(repo, "scripts/proto.mjs"), fresh], { cwd: repo, stdio: "pipe" });
      const want = readdirSync(fresh).sort();
      expect(readdirSync(committed).sort(), "files in runtime/wire/generated/").toEqual(want);
      const stale = want.filter((f) => readFileSync(join(fresh, f), "utf8") !== readFileSync(join(committed, f), "utf8"));
      expect(stale, "stale generated files: run `npm run proto`").toEqual([]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

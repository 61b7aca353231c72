import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sendFrames } from "../../helpers/frames.js";
import { npmInstall, packTroupe, TSC } from "../../helpers/packed.js";
import { freePort } from "../../helpers/ports.js";
import { waitUntil } from "../../helpers/wait.js";

// Issue 19, item 1: a separate project depends on the packed tarball, imports "troupe", is compiled
// against its types, and runs on the `troupe` binary the tarball installs.
const APP = `import { ApplicationBuilder, defineState, tcpSink, tcpSource } from "troupe";

const text = { decode: (b: Uint8Array): string => Buffer.from(b).toString("utf8"), encode: (s: string): Uint8Array => Buffer.from(s) };
const Counts = defineState("WordCount", () => ({ n: 0 }));
const app = new ApplicationBuilder("words");
app
  .newPipeline("words", tcpSource("words", text.decode))
  .toStatePartition((w: string, s: { n: number }): string => \`\${w} \${++s.n}\`, Counts, "words", (w) => w)
  .toSink(tcpSink("counts", text.encode));
export default app.build();
`;

const children: { kill(): void }[] = [];
afterAll(() => {
  for (const c of children) c.kill();
});

describe("the packed tarball in a project of its own", () => {
  it("installs with npm, compiles an app against `troupe`'s types and runs it with the installed `troupe` binary", async () => {
    const tgz = packTroupe();
    const dir = mkdtempSync(join(tmpdir(), "troupe-user-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "words", private: true, type: "module" }));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "dist", types: ["node"] }, include: ["app.ts"] }),
    );
    writeFileSync(join(dir, "app.ts"), APP);
    npmInstall(dir, [tgz, "@types/node@^20"]);
    execFileSync(process.execPath, [TSC, "-p", "."], { cwd: dir, stdio: "inherit" });

    const port = await freePort();
    const node = spawn(join(dir, "node_modules/.bin/troupe"), ["node", "--app", "./dist/app.js", "--node-id", "user-1", "--source", `words=127.0.0.1:${port}`, "--sink", "counts=stdout:text", "--log-level", "warn"], { cwd: dir });
    children.push(node);
    let out = "";
    let err = "";
    node.stdout.on("data", (d: Buffer) => (out += d.toString()));
    node.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const frames = ["a", "b", "a"].map((w) => Buffer.from(w));
    await waitUntil(async () => sendFrames("127.0.0.1", port, frames).then(() => true, () => false), 20_000, "the node's source to listen");
    await waitUntil(() => out.split("\n").length > 3 || node.exitCode !== null, 20_000, "three outputs on stdout");
    expect(err).toBe("");
    expect(out.trim().split("\n")).toEqual(["counts: a 1", "counts: b 1", "counts: a 2"]);
  });
});

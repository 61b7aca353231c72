import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../../runtime/index.js";
import { runCli } from "../../helpers/cli.js";
import { freePort } from "../../helpers/ports.js";
import { waitUntil } from "../../helpers/wait.js";

// Issue 19, item 5: the developer tools against real processes: `troupe send` frames records (JSON
// lines, or JSON encoded with the app's proto type), a node prints its sink with --sink NAME=stdout:json,
// and `troupe tail` prints what a sink sends it.
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

function start(args: string[]): { proc: ChildProcessWithoutNullStreams; out: () => string; err: () => string } {
  const proc = spawn(process.execPath, ["bin/troupe.js", ...args]);
  children.push(proc);
  let out = "";
  let err = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return { proc, out: () => out, err: () => err };
}

/** `troupe send` of `lines` on stdin; resolves with its exit code and output. */
function send(args: string[], lines: string): Promise<{ code: number | null; out: string; err: string }> {
  const p = spawn(process.execPath, ["bin/troupe.js", "send", ...args]);
  let out = "";
  let err = "";
  p.stdout.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr.on("data", (d: Buffer) => (err += d.toString()));
  p.stdin.end(lines);
  return new Promise((resolve) => p.on("exit", (code) => resolve({ code, out, err })));
}

const PROTO = ["--proto", "proto/loyalty.proto"];

describe("troupe send, tail and the stdout sink formats", () => {
  it("send --json --proto frames records a node decodes; its --sink emails=stdout:json prints the output decoded", async () => {
    const [loyal, clicks] = [await freePort(), await freePort()];
    const http = await freePort();
    const node = start(["node", "--app", "loyalty", "--node-id", "dev-1", "--http", `127.0.0.1:${http}`, "--source", `loyal=127.0.0.1:${loyal}`, "--source", `clicks=127.0.0.1:${clicks}`, "--sink", "emails=stdout:json", "--log-level", "warn"]);
    const r1 = await send(["--to", `127.0.0.1:${loyal}`, "--json", "-", ...PROTO, "--type", "loyalty.LoyalCustomer"], '{"customerId":"c1","email":"a@b.c","name":"Ann","tier":"gold"}\n');
    expect(r1.err).toBe("");
    expect(r1.out).toBe(`sent 1 frame(s) to 127.0.0.1:${loyal}\n`);
    // The click goes once the loyal record was applied: it reaches the same actor through another connection.
    const saved = async () => {
      const info = (await fetch(`http://127.0.0.1:${http}/cluster`).then((r) => r.json())) as ClusterInfo;
      return (info.apps[0]?.steps["saveLoyalCustomer"] ?? 0) >= 1;
    };
    await waitUntil(saved, 10_000, "the loyal record applied");
    const r2 = await send(["--to", `127.0.0.1:${clicks}`, "--json", "-", ...PROTO, "--type", "loyalty.Click"], '{"clickId":"k1","customerId":"c1","adId":"ad","tsMs":7}\n');
    expect(r2.code).toBe(0);
    await waitUntil(() => node.out().includes("\n"), 10_000, "an email on the node's stdout");
    const [line] = node.out().trim().split("\n");
    expect(line!.startsWith("emails: ")).toBe(true);
    expect(JSON.parse(line!.slice("emails: ".length))).toMatchObject({ clickId: "k1", customerId: "c1", email: "a@b.c", adId: "ad" });
  });

  it("tail prints what it receives (text, or JSON through --proto) and send refuses a bad JSON line, naming it", async () => {
    const port = await freePort();
    const tail = start(["tail", "--listen", `127.0.0.1:${port}`, ...PROTO, "--type", "loyalty.Click", "--count", "2"]);
    await waitUntil(() => tail.err().includes("listening"), 10_000, "tail listening");
    // Listen for its exit before sending: with --count 2 it may exit before `send` has.
    const exited = new Promise((r) => tail.proc.once("exit", r));
    const ok = await send(["--to", `127.0.0.1:${port}`, "--json", "-", ...PROTO, "--type", "loyalty.Click"], '{"clickId":"a","customerId":"u"}\n\n{"clickId":"b","customerId":"v","tsMs":"9"}\n');
    expect(ok.code).toBe(0);
    await exited;
    expect(tail.out().trim().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([
      { clickId: "a", customerId: "u", adId: "", tsMs: "0" },
      { clickId: "b", customerId: "v", adId: "", tsMs: "9" },
    ]);
    const other = await freePort();
    const open = start(["tail", "--listen", `127.0.0.1:${other}`]);
    await waitUntil(() => open.err().includes("listening"), 10_000, "a second tail listening");
    const bad = await runCli(["send", "--to", `127.0.0.1:${other}`, "--json", "package.json"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^troupe: package\.json:1: not a JSON record .*nothing after it was sent \[TROUPE_CONFIG\]$/m);
  });
});

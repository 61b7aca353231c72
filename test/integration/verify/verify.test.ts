import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

// `troupe verify` on our own reference app, as a user runs it: real nats-server and node processes,
// seeded faults, outputs compared with a fault-free run. CI runs one seed per mode; `npm run
// verify:chaos` runs more seeds and every scenario in every mode.
interface Report {
  ok: boolean;
  runs: Array<{ scenario: string; seed: number; ok: boolean; lost: number; duplicated: number; unexpected: number; reordered: number; recoveryMs: number | null; findings: Array<{ promise: string; detail: string }> }>;
}

function verify(args: readonly string[], timeoutMs: number): Promise<{ code: number; report: Report; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["bin/troupe.js", "verify", ...args, "--json"], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        const report = JSON.parse(last) as Report;
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, report, stderr });
      } catch {
        reject(new Error(`troupe verify printed no JSON report (exit ${(err as { code?: number } | null)?.code}):\n${stdout.slice(-2000)}\n${stderr.slice(-3000)}`));
      }
    });
  });
}

function table(r: Report): string {
  return r.runs.map((x) => `${x.scenario} seed ${x.seed}: ${x.ok ? "held" : "BROKEN"} lost ${x.lost} dup ${x.duplicated} unexpected ${x.unexpected} reordered ${x.reordered} recovery ${x.recoveryMs} ms${x.findings.map((f) => `; ${f.promise}: ${f.detail}`).join("")}`).join("\n");
}

const DURABLE = ["owner-kill", "kill-old-owner-in-handoff", "kill-new-owner-in-handoff", "zombie", "partition", "nats-restart", "all-restart", "join-leave", "stalled-sink", "client-resend"];

describe("troupe verify --app loyalty", () => {
  it("durable mode: every promise holds under every fault (owner kill, kills during a handoff, zombie, 15 s partition, NATS kill -9, everything killed, join and leave, stalled sink, client resends)", async () => {
    const { code, report, stderr } = await verify(["--app", "loyalty", "--state", "durable", "--seed", "1", "--scenarios", DURABLE.join(",")], 600_000);
    console.log(table(report));
    if (!report.ok) console.log(stderr.slice(-4000));
    expect(report.runs.map((r) => r.scenario)).toEqual(DURABLE);
    expect(report.runs.filter((r) => !r.ok).map((r) => r.scenario)).toEqual([]);
    expect(code).toBe(0);
  }, 660_000);

  it.each(["snapshot", "memory"] as const)("%s mode: the promises of its row hold under a kill, a zombie, a join and leave, and a stalled sink", async (state) => {
    const { code, report, stderr } = await verify(["--app", "loyalty", "--state", state, "--seed", "1", "--scenarios", "owner-kill,zombie,join-leave,stalled-sink"], 300_000);
    console.log(table(report));
    if (!report.ok) console.log(stderr.slice(-4000));
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  }, 330_000);
});

describe("troupe verify is not a rubber stamp", () => {
  it("an app that keeps per-key counts in a module-level Map instead of its actor state fails in memory mode with mismatched outputs", async () => {
    // 1,000 clicks/s: the last phase's 12,000 clicks outlast the join (25% in) by 9 s, so keys move mid-stream
    // even when a loaded machine takes seconds to start the joiner (at 3,000/s the join could land after the last click).
    const { code, report } = await verify(["--app", "dist/test/fixtures/global-count-app.js", "--state", "memory", "--seed", "1", "--scenarios", "join-leave", "--rate", "1000"], 300_000);
    console.log(table(report));
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    const run = report.runs[0]!;
    expect(run.unexpected).toBeGreaterThan(0);
    expect(run.findings.map((f) => f.promise)).toContain("planned change");
  }, 330_000);

  it("refuses a scenario or a state mode it does not know, with a clear error and exit code 2", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stderr: string }>((resolve) => execFile(process.execPath, ["bin/troupe.js", "verify", "--app", "loyalty", ...args], (err, _o, stderr) => resolve({ code: (err as { code?: number } | null)?.code ?? 0, stderr })));
    const scenario = await run(["--scenarios", "nope"]);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toMatch(/--scenarios: no scenario "nope"; known: owner-kill/);
    const state = await run(["--state", "eventual"]);
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/--state: "eventual" is not one of memory, snapshot, durable/);
  });
});

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { composeCommand, PROJECT_PREFIX, removeProjectSync, runId } from "../helpers/docker.js";
import { waitUntil } from "../helpers/wait.js";

// Issue 19: from an empty folder to a running cluster, as the generated README says: `troupe init`,
// `npm install`, `npm run build`, then the project's own compose file (NATS, 3 workers on the Troupe
// image built by global setup, the feeder of the samples). The alerts must show in the workers' logs
// as readable JSON lines, every one the samples call for.
const project = `${PROJECT_PREFIX}${runId()}-init`;
afterAll(() => removeProjectSync(project));

/** The alerts the samples must raise: each reading over its device's limit (the generated app's rule). */
function expectedAlerts(dir: string): number {
  const lines = (f: string) => readFileSync(join(dir, "samples", f), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const max = new Map(lines("limits.jsonl").map((l) => [l.device, l.max as number]));
  return lines("readings.jsonl").filter((r) => (r.celsius as number) > (max.get(r.device) ?? Infinity)).length;
}

describe("a project made by troupe init, on docker compose", () => {
  it("builds on the Troupe image and runs its app on 3 workers; the alerts are readable in the logs", async () => {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
    const dir = join(mkdtempSync(join(tmpdir(), "troupe-init-e2e-")), "thermo");
    execFileSync(process.execPath, ["bin/troupe.js", "init", dir], { stdio: "inherit" });
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], { cwd: dir, stdio: "inherit" });
    execFileSync("npm", ["run", "build", "--silent"], { cwd: dir, stdio: "inherit" });
    const [bin, ...pre] = composeCommand();
    // The image global setup built (TROUPE_TAG lets runs that share an engine keep their images apart).
    const env = { ...process.env, COMPOSE_PROJECT_NAME: project, TROUPE_IMAGE: `troupe:${process.env.TROUPE_TAG ?? "local"}` };
    const compose = (...args: string[]) => execFileSync(bin!, [...pre, ...args], { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    compose("up", "-d", "--build", "--scale", "worker=3");
    const want = expectedAlerts(dir);
    expect(want).toBeGreaterThan(0);
    const alertLines = () => compose("logs", "--no-color", "worker").split("\n").filter((l) => /\|\s*alerts: \{/.test(l));
    await waitUntil(() => alertLines().length >= want, 120_000, `${want} alert lines in the workers' logs`);
    const alerts = alertLines().map((l) => JSON.parse(l.slice(l.indexOf("alerts: ") + 8)) as { device: string; celsius: number; max: number });
    expect(alerts).toHaveLength(want);
    expect(alerts.every((a) => /^sensor-\d\d$/.test(a.device) && a.celsius > a.max)).toBe(true);
    expect(compose("ps", "-q", "worker").trim().split("\n")).toHaveLength(3);
    const status = JSON.parse(compose("run", "--rm", "--no-deps", "worker", "status", "--nats", "nats://nats:4222", "--json")) as { members: { node: string; slots: number }[] };
    expect(status.members).toHaveLength(3);
    expect(status.members.reduce((n, m) => n + m.slots, 0)).toBe(256);
  });
});

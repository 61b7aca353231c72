import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterInfo } from "../../runtime/index.js";
import { ComposeProject } from "../helpers/compose.js";
import { waitUntil } from "../helpers/wait.js";

// Each test brings the real deploy/docker-compose.yml up under its own project name.
let project: ComposeProject | undefined;
afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && project) {
    const logs = await project.compose(["logs", "--no-color", "--tail", "40", "worker"]).catch((e: Error) => e.message);
    console.log(`worker logs (last 40 lines each):\n${logs}`);
  }
  await project?.down();
  project = undefined;
});

const base = { CLICKS: "30000", CUSTOMERS: "5000", HEARTBEAT_MS: "300", FAILURE_TIMEOUT_MS: "2000", LOG_LEVEL: "warn" };

function summaryOf(logs: string): string {
  return logs.split("\n").find((l) => l.includes("email-sink summary:")) ?? "(no summary)";
}

/** Owned slots per member at each epoch must not overlap; returns the overlaps found. */
function overlaps(infos: Iterable<ClusterInfo>): string[] {
  const byEpoch = new Map<number, Map<number, string>>();
  const bad: string[] = [];
  for (const i of infos) {
    const owners = byEpoch.get(i.epoch) ?? new Map<number, string>();
    byEpoch.set(i.epoch, owners);
    for (const slot of i.apps[0]!.partitions[0]!.ownedSlots) {
      const other = owners.get(slot);
      if (other && other !== i.node) bad.push(`epoch ${i.epoch} slot ${slot}: ${other} and ${i.node}`);
      owners.set(slot, i.node);
    }
  }
  return bad;
}

async function converged(p: ComposeProject, members: number): Promise<boolean> {
  const infos = [...(await p.workerInfos()).values()];
  if (infos.length !== members) return false;
  const epoch = infos[0]!.epoch;
  const slots = infos.flatMap((i) => i.apps[0]!.partitions[0]!.ownedSlots);
  return infos.every((i) => i.epoch === epoch && i.members.length === members && i.slotsInHandoff === 0) && slots.length === 256 && new Set(slots).size === 256;
}

describe("docker compose: the reference job on a real cluster", () => {
  it("delivers every expected email exactly once", async () => {
    project = new ComposeProject("troupe-e2e-job", base);
    await project.compose(["up", "-d", "--scale", "worker=3"]);
    const code = await project.waitExit("email-sink", 180_000);
    const logs = await project.logs("email-sink");
    console.log(summaryOf(logs));
    expect(code).toBe(0);
    expect(summaryOf(logs)).toMatch(/missing 0, repeats 0, unexpected 0/);
  });

  it("scales workers 3 -> 4 during load and loses nothing", async () => {
    project = new ComposeProject("troupe-e2e-scale", { ...base, CLICKS: "40000", RATE: "4000" });
    await project.compose(["up", "-d", "--scale", "worker=3"]);
    await waitUntil(async () => /emails [1-9]\d*\//.test(await project!.logs("email-sink")), 120_000, "emails flowing");
    await project.compose(["up", "-d", "--no-recreate", "--scale", "worker=4"]);
    await waitUntil(() => converged(project!, 4), 60_000, "4 workers converged");
    const code = await project.waitExit("email-sink", 180_000);
    const logs = await project.logs("email-sink");
    console.log(summaryOf(logs));
    expect(code).toBe(0);
    expect(summaryOf(logs)).toMatch(/missing 0, repeats 0, unexpected 0/);
  });

  it("replaces a worker killed with docker kill and serves its slots again", async () => {
    project = new ComposeProject("troupe-e2e-kill", base);
    await project.compose(["up", "-d", "--scale", "worker=3"]);
    expect(await project.waitExit("email-sink", 180_000)).toBe(0);
    const [victim] = await project.containers("worker");
    // `docker kill` on one replica (compose kill would kill them all).
    execFileSync("docker", ["kill", victim!]);
    await waitUntil(() => converged(project!, 2), 60_000, "the two survivors to remove the killed worker and own every slot");
    // Bring the worker count back (compose starts the killed replica again: the same node id rejoins).
    await project.compose(["up", "-d", "--no-deps", "--no-recreate", "--scale", "worker=3", "worker"]);
    await waitUntil(() => converged(project!, 3), 60_000, "3 workers again");
    // A second job needs every slot served by a live worker. Every customer is loyal in it, so customers
    // left loyal by the first job (state the kill did not lose) cannot make its emails unexpected.
    await project.compose(["up", "-d", "--no-deps", "--force-recreate", "email-sink", "loadgen"], { SEED: "7", LOYAL_FRACTION: "1", CLICKS: "20000" });
    const code = await project.waitExit("email-sink", 180_000);
    const logs = await project.logs("email-sink");
    console.log(summaryOf(logs));
    expect(code).toBe(0);
  });

  it("a worker cut off the network and reconnected converges without two owners for one slot", async () => {
    project = new ComposeProject("troupe-e2e-partition", base);
    await project.compose(["up", "-d", "--scale", "worker=3"]);
    await waitUntil(() => converged(project!, 3), 120_000, "3 workers converged");
    const [victim] = await project.containers("worker");
    const network = `${project.name.replace(/[^a-z0-9_-]/g, "")}_default`;
    const seen: ClusterInfo[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        seen.push(...(await project!.workerInfos()).values());
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    execFileSync("docker", ["network", "disconnect", network, victim!]);
    await waitUntil(() => converged(project!, 2), 60_000, "the others to remove the cut-off worker");
    execFileSync("docker", ["network", "connect", network, victim!]);
    await waitUntil(() => converged(project!, 3), 90_000, "the reconnected worker to rejoin");
    polling = false;
    await poller;
    console.log(`partition: ${seen.length} /cluster snapshots checked across ${new Set(seen.map((s) => s.epoch)).size} epochs`);
    expect(overlaps(seen)).toEqual([]);
    const logs = await project.compose(["logs", "--no-color", "worker"]);
    expect(logs).toMatch(/fenced/);
  });
});

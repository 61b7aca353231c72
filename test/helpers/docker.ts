import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

// Engine-level helpers of the docker suite (no vitest import: global setup and exit hooks use them).

/** The directory compose runs in; every file below is relative to it. */
export const DEPLOY_DIR = resolve("deploy");
export const COMPOSE_FILES = {
  base: "docker-compose.yml",
  natsCluster: "docker-compose.nats-cluster.yml",
  ports: "../test/e2e/docker-compose.ports.yml",
  natsClusterPorts: "../test/e2e/docker-compose.nats-cluster.ports.yml",
} as const;
export const PROJECT_PREFIX = "troupe-e2e-";
export const PROJECT_LABEL = "com.docker.compose.project";
export const SERVICE_LABEL = "com.docker.compose.service";
export const NUMBER_LABEL = "com.docker.compose.container-number";

/** Which compose this machine has: v2 (`docker compose`) where it exists, else the 1.29 binary. */
export function composeFlavor(): "v2" | "v1" {
  try {
    execFileSync("docker", ["compose", "version"], { stdio: "ignore" });
    return "v2";
  } catch {
    try {
      execFileSync("docker-compose", ["version"], { stdio: "ignore" });
      return "v1";
    } catch {
      throw new Error("neither `docker compose` (v2) nor `docker-compose` (1.29) is installed");
    }
  }
}

let flavor: "v2" | "v1" | undefined;
/** The compose command line this machine uses (for messages and for the image build). */
export function composeCommand(): string[] {
  flavor ??= composeFlavor();
  return flavor === "v2" ? ["docker", "compose"] : ["docker-compose"];
}

/** True when a Docker engine answers. */
export function dockerAvailable(): boolean {
  try {
    execFileSync("docker", ["info"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The id of this test run: the vitest main process's pid (set by global setup). */
export function runId(): string {
  return process.env.TROUPE_E2E_RUN ?? String(process.pid);
}

/** The compose projects that have containers, networks or volumes on this engine, by name. */
export function composeProjects(): Set<string> {
  const names = new Set<string>();
  const list = (args: string[]): void => {
    try {
      for (const l of execFileSync("docker", args, { encoding: "utf8" }).split("\n")) if (l.trim()) names.add(l.trim());
    } catch {
      // no engine: nothing to list
    }
  };
  list(["ps", "-a", "--filter", `label=${PROJECT_LABEL}`, "--format", `{{.Label "${PROJECT_LABEL}"}}`]);
  list(["network", "ls", "--filter", `label=${PROJECT_LABEL}`, "--format", `{{.Label "${PROJECT_LABEL}"}}`]);
  list(["volume", "ls", "--filter", `label=${PROJECT_LABEL}`, "--format", `{{.Label "${PROJECT_LABEL}"}}`]);
  return names;
}

/**
 * Removes a project's containers, networks and volumes synchronously, with the docker CLI only (it
 * runs from exit hooks, where neither compose files nor promises are available).
 */
export function removeProjectSync(project: string): void {
  const ids = (kind: string[]): string[] => {
    try {
      return execFileSync("docker", [...kind, "-q", "--filter", `label=${PROJECT_LABEL}=${project}`], { encoding: "utf8" }).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  const rm = (args: string[]): void => {
    try {
      execFileSync("docker", args, { stdio: "ignore" });
    } catch {
      // already gone
    }
  };
  const containers = ids(["ps", "-a"]);
  if (containers.length) rm(["rm", "-f", "-v", ...containers]);
  const networks = ids(["network", "ls"]);
  if (networks.length) rm(["network", "rm", ...networks]);
  const volumes = ids(["volume", "ls"]);
  if (volumes.length) rm(["volume", "rm", "-f", ...volumes]);
}

/** True when `pid` is a live process on this machine that runs vitest (a pid reused by another program does not count). */
function runningVitest(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("vitest");
  } catch {
    return true; // no /proc (macOS): a live pid is taken to be a run in progress
  }
}

/** Removes the suite's projects left behind by runs whose process is gone (an aborted run); returns their names. */
export function removeLeftoverProjects(): string[] {
  const removed: string[] = [];
  for (const p of composeProjects()) {
    if (!p.startsWith(PROJECT_PREFIX)) continue;
    const pid = Number(/^troupe-e2e-(\d+)-/.exec(p)?.[1] ?? 0);
    if (pid > 0 && (pid === Number(runId()) || runningVitest(pid))) continue; // this run, or another run in progress
    removeProjectSync(p);
    removed.push(p);
  }
  return removed;
}

/** Removes every project of this run (exit hooks and global teardown). */
export function removeRunProjects(): string[] {
  const mine = [...composeProjects()].filter((p) => p.startsWith(`${PROJECT_PREFIX}${runId()}-`));
  for (const p of mine) removeProjectSync(p);
  return mine;
}


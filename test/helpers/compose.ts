import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { resolve } from "node:path";
import type { ClusterInfo } from "../../runtime/index.js";

const run = promisify(execFile);
const FILE = resolve("deploy/docker-compose.yml");

/** `docker compose` (v2) when present, else `docker-compose` (1.29). */
export function composeCommand(): string[] {
  try {
    execFileSync("docker", ["compose", "version"], { stdio: "ignore" });
    return ["docker", "compose"];
  } catch {
    return ["docker-compose"];
  }
}

/** A compose project of the real deploy/docker-compose.yml, with its own name and environment. */
export class ComposeProject {
  private readonly cmd = composeCommand();
  constructor(
    readonly name: string,
    private readonly env: Record<string, string> = {},
  ) {}

  /** Runs a compose subcommand and returns stdout. */
  async compose(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
    const [bin, ...pre] = this.cmd;
    const { stdout } = await run(bin!, [...pre, "-p", this.name, "-f", FILE, ...args], {
      env: { ...process.env, ...this.env, ...extraEnv },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  /** Container ids of a service (running or not). */
  async containers(service: string, all = false): Promise<string[]> {
    const out = await this.compose(["ps", ...(all ? ["-a"] : []), "-q", service]);
    return out.split("\n").filter(Boolean);
  }

  /** `docker inspect` of one field. */
  async inspect(container: string, format: string): Promise<string> {
    return (await run("docker", ["inspect", "-f", format, container])).stdout.trim();
  }

  /** The IP address of a container on the project network. */
  async ip(container: string): Promise<string> {
    return this.inspect(container, "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}").then((s) => s.split(" ")[0]!);
  }

  /** The logs of a service. */
  async logs(service: string): Promise<string> {
    return this.compose(["logs", "--no-color", service]);
  }

  /** /cluster of every running worker, by container id (unreachable ones omitted). */
  async workerInfos(): Promise<Map<string, ClusterInfo>> {
    const out = new Map<string, ClusterInfo>();
    for (const c of await this.containers("worker")) {
      try {
        const ip = await this.ip(c);
        if (!ip) continue;
        const res = await fetch(`http://${ip}:8080/cluster`, { signal: AbortSignal.timeout(1500) });
        out.set(c, (await res.json()) as ClusterInfo);
      } catch {
        // not reachable right now
      }
    }
    return out;
  }

  /** Waits for a one-shot service's container to exit; resolves with its exit code. */
  async waitExit(service: string, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [c] = await this.containers(service, true);
      if (c) {
        const state = await this.inspect(c, "{{.State.Status}} {{.State.ExitCode}}");
        if (state.startsWith("exited")) return Number(state.split(" ")[1]);
      }
      if (Date.now() > deadline) throw new Error(`${service} did not exit within ${timeoutMs} ms:\n${(await this.logs(service)).slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Stops and removes everything, volumes included. */
  async down(): Promise<void> {
    await this.compose(["down", "-v", "--remove-orphans", "-t", "5"]).catch(() => undefined);
  }
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

import { execFileSync } from "node:child_process";
import {
  BoundPorts,
  DockerComposeEnvironment,
  getContainerRuntimeClient,
  Wait,
  type ContainerRuntimeClient,
  type StartedDockerComposeEnvironment,
  type WaitStrategy,
} from "testcontainers";
import { afterEach } from "vitest";
import type { ClusterInfo } from "../../runtime/index.js";
import { COMPOSE_FILES, composeCommand, DEPLOY_DIR, NUMBER_LABEL, PROJECT_LABEL, PROJECT_PREFIX, removeProjectSync, runId, SERVICE_LABEL } from "./docker.js";

/**
 * The docker suite's compose driver: testcontainers' `DockerComposeEnvironment` on the real
 * deploy/docker-compose.yml (plus, for a test, deploy/docker-compose.nats-cluster.yml), with a
 * test-only override that publishes the ports the tests read on ephemeral loopback ports of the
 * host. Readiness is testcontainers' wait strategies (NATS "Server is ready" and its /healthz, each
 * worker's /readyz); containers are reached on their mapped host ports, never by container IP.
 *
 * Clean-up: every project is named `troupe-e2e-<run>-<test>` where <run> is the pid of the
 * vitest main process. A test downs its project in `afterEach` (and `[Symbol.asyncDispose]`, for
 * `await using`); test/e2e/global-setup.ts downs this run's projects on exit, SIGINT and SIGTERM,
 * and removes the projects of earlier runs whose process is gone. Where testcontainers' reaper
 * (Ryuk) can run, it also removes a project whose test process died.
 */

/** A running container of the project, as the engine lists it. */
export interface ServiceContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** compose's replica number (worker 1, 2, ...) */
  readonly number: number;
  readonly state: string;
  /** Container port -> mapped host port (published ports only). */
  readonly ports: ReadonlyMap<number, number>;
  /** Container port -> the host address it is published on. */
  readonly hosts: ReadonlyMap<number, string>;
}

/** The startup-timeout part of testcontainers' WaitStrategy, shared by the waits below. */
abstract class TimedWait implements WaitStrategy {
  protected timeoutMs = 60_000;
  private timeoutSet = false;

  abstract waitUntilReady(...args: Parameters<WaitStrategy["waitUntilReady"]>): Promise<void>;

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}

/** One wait strategy per compose service, chosen by the container's service label (names differ between v1 and v2). */
class ByService extends TimedWait {
  constructor(
    private readonly byService: Record<string, () => WaitStrategy>,
    private readonly fallback: () => WaitStrategy,
  ) {
    super();
  }

  async waitUntilReady(...[container, boundPorts, startTime]: Parameters<WaitStrategy["waitUntilReady"]>): Promise<void> {
    const info = await container.inspect();
    const service = info.Config.Labels[SERVICE_LABEL] ?? "";
    const make = this.byService[service] ?? this.fallback;
    try {
      await make().withStartupTimeout(this.timeoutMs).waitUntilReady(container, boundPorts, startTime);
    } catch (err) {
      // testcontainers removes the container (and downs the project) next: keep what it said.
      const state = await container.inspect().then((i) => `${i.State.Status} (exit ${i.State.ExitCode}, restarts ${i.RestartCount})`, () => "gone");
      const logs = await container.logs({ stdout: true, stderr: true, follow: false, tail: 40 }).then((b) => demux(b as unknown as Buffer), (e: Error) => e.message);
      throw new Error(`${info.Name.replace(/^\//, "")} (${service}) not ready: ${(err as Error).message}; container ${state}\nlast log lines:\n${logs}`, { cause: err });
    }
  }

}

/**
 * An HTTP endpoint of a container answers 200. Unlike `Wait.forHttp` it reads the container's port
 * mapping on every try, and calls the address the port is published on: testcontainers' own host is the
 * bridge gateway when the tests run inside a container (/.dockerenv), which a port published on
 * 127.0.0.1 does not answer on every engine. A worker that exits while JetStream elects its leaders
 * is restarted by the engine, on a new host port.
 */
export class HttpReady extends TimedWait {

  constructor(
    private readonly port: number,
    private readonly path: string,
  ) {
    super();
  }

  async waitUntilReady(...[container]: Parameters<WaitStrategy["waitUntilReady"]>): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    let last = "not started";
    for (;;) {
      const i = await container.inspect();
      const binding = i.NetworkSettings.Ports?.[`${this.port}/tcp`]?.[0];
      if (i.State.Running && binding?.HostPort) {
        const host = binding.HostIp && binding.HostIp !== "0.0.0.0" && binding.HostIp !== "::" ? binding.HostIp : "localhost";
        last = await fetch(`http://${host}:${binding.HostPort}${this.path}`, { signal: AbortSignal.timeout(1000) }).then(
          (r) => (r.status === 200 ? "" : `${this.path} ${r.status}`),
          (e: Error) => e.message,
        );
        if (last === "") return;
      } else last = `container ${i.State.Status} (restarts ${i.RestartCount})`;
      if (Date.now() > deadline) throw new Error(`${this.path} not 200 after ${this.timeoutMs} ms (${last})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

}

/** NATS: the server logged it is ready and its JetStream answers /healthz (in a cluster: a meta leader is known). */
const natsReady = (): WaitStrategy => Wait.forAll([Wait.forLogMessage(/Server is ready/), new HttpReady(8222, "/healthz")]);
/** A worker answers /readyz with 200: joined, no slot of its in handoff. */
export const workerReady = (): WaitStrategy => new HttpReady(8080, "/readyz");
const WAITS: Record<string, () => WaitStrategy> = {
  nats: natsReady,
  "nats-2": natsReady,
  "nats-3": natsReady,
  // A worker is ready once it joined and no slot of its is in handoff.
  worker: workerReady,
  "email-sink": () => Wait.forLogMessage(/email-sink: listening on/),
};

export interface ComposeClusterOptions {
  /** A short name for the test; the project is `troupe-e2e-<run>-<name>`. */
  readonly name: string;
  /** Variables for the compose files (workload size, state mode, timeouts, ...). */
  readonly env?: Record<string, string>;
  /** Workers to start (`--scale worker=N`; compose 1.29 ignores `deploy.replicas`). */
  readonly workers: number;
  /** Adds deploy/docker-compose.nats-cluster.yml: three NATS servers, KV replicas 3. */
  readonly natsCluster?: boolean;
}

/** A compose project of the real deploy files, brought up by testcontainers. */
export class ComposeCluster implements AsyncDisposable {
  private env: Record<string, string>;
  private down_: Promise<void> | undefined;
  /** The last environment testcontainers started (its containers as of that `up`). */
  started: StartedDockerComposeEnvironment | undefined;

  private constructor(
    readonly project: string,
    private readonly files: string[],
    env: Record<string, string>,
    private readonly client: ContainerRuntimeClient,
  ) {
    this.env = env;
  }

  /** Brings the project up with `workers` workers and waits until every container is ready. */
  static async up(o: ComposeClusterOptions): Promise<ComposeCluster> {
    const files = o.natsCluster
      ? [COMPOSE_FILES.base, COMPOSE_FILES.natsCluster, COMPOSE_FILES.ports, COMPOSE_FILES.natsClusterPorts]
      : [COMPOSE_FILES.base, COMPOSE_FILES.ports];
    const project = `${PROJECT_PREFIX}${runId()}-${o.name}`.toLowerCase().replace(/[^a-z0-9_-]/g, "");
    // The demo (email sink, load generator) is the compose profile "demo"; COMPOSE_PROFILES is read by 1.29 and v2.
    const c = new ComposeCluster(project, files, { COMPOSE_PROFILES: "demo", ...(o.env ?? {}) }, await getContainerRuntimeClient());
    live.add(c);
    // The NATS servers first, until JetStream answers /healthz on each (on a cluster: a meta leader is
    // elected). A worker started earlier can time out opening its buckets and exit (see the README).
    await c.upServices([], o.natsCluster ? ["nats", "nats-2", "nats-3"] : ["nats"]);
    await c.upServices(["--scale", `worker=${o.workers}`]);
    return c;
  }

  /** `compose up -d [options] [services]` through testcontainers, then every running container's wait strategy. */
  async upServices(commandOptions: string[], services?: string[], env: Record<string, string> = {}): Promise<StartedDockerComposeEnvironment> {
    if (aborted) throw new Error("the test run was aborted: no compose command starts any more");
    this.env = { ...this.env, ...env };
    const environment = new DockerComposeEnvironment(DEPLOY_DIR, this.files)
      .withProjectName(this.project)
      .withEnvironment(this.env)
      .withDefaultWaitStrategy(new ByService(WAITS, () => Wait.forListeningPorts()))
      .withStartupTimeout(120_000)
      .withClientOptions({ commandOptions, ...(composeCommand().length === 1 ? { executable: { standalone: true as const } } : {}) });
    this.started = await environment.up(services);
    return this.started;
  }

  /** `compose up -d --scale worker=N worker`, as a user scales a running cluster; waits until every worker is ready. */
  async scale(workers: number): Promise<void> {
    await this.upServices(["--scale", `worker=${workers}`], ["worker"]);
  }

  /** `compose up -d --scale worker=N` with no profile, as a user scales the cluster without the demo (README). */
  async scaleClusterOnly(workers: number): Promise<void> {
    await this.upServices(["--scale", `worker=${workers}`], undefined, { COMPOSE_PROFILES: "" });
  }

  /** When the engine last started a container (a restarted one-shot service has a later time). */
  async startedAt(c: ServiceContainer): Promise<string> {
    return (await this.client.container.getById(c.id).inspect()).State.StartedAt;
  }

  /** Recreates one-shot services (a second job) with changed variables; the workers are left alone. */
  async rerun(services: string[], env: Record<string, string>): Promise<void> {
    await this.upServices(["--no-deps", "--force-recreate"], services, env);
  }

  /** How often the engine restarted a container (a restart policy hides a crash otherwise). */
  async restartCount(c: ServiceContainer): Promise<number> {
    return (await this.client.container.getById(c.id).inspect()).RestartCount;
  }

  /** The project's containers (running ones, or all with `all`), by service, in replica order. */
  async containers(service?: string, all = false): Promise<ServiceContainer[]> {
    const filters = { label: [`${PROJECT_LABEL}=${this.project}`, ...(service ? [`${SERVICE_LABEL}=${service}`] : [])] };
    const list = await this.client.container.dockerode.listContainers({ all, filters });
    return list
      .map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ""),
        service: c.Labels[SERVICE_LABEL] ?? "",
        number: Number(c.Labels[NUMBER_LABEL] ?? 0),
        state: c.State,
        ports: new Map(c.Ports.filter((p) => p.PublicPort && p.Type === "tcp").map((p) => [p.PrivatePort, p.PublicPort])),
        hosts: new Map(c.Ports.filter((p) => p.PublicPort && p.Type === "tcp" && p.IP && p.IP !== "0.0.0.0" && p.IP !== "::").map((p) => [p.PrivatePort, p.IP])),
      }))
      .sort((a, b) => a.service.localeCompare(b.service) || a.number - b.number);
  }

  /** host:port on this machine of a container's published port. */
  address(c: ServiceContainer, port: number): string {
    const host = c.ports.get(port);
    if (!host) throw new Error(`${c.name}: port ${port} is not published (test/e2e/docker-compose.ports.yml)`);
    return `${c.hosts.get(port) ?? "localhost"}:${host}`;
  }

  /** Runs a testcontainers wait strategy against one container now (e.g. a log line that has not been written yet). */
  async waitFor(c: ServiceContainer, strategy: WaitStrategy, timeoutMs = 120_000): Promise<void> {
    const bound = new BoundPorts();
    for (const [inner, outer] of c.ports) bound.setBinding(inner, outer);
    await strategy.withStartupTimeout(timeoutMs).waitUntilReady(this.client.container.getById(c.id), bound);
  }

  /** The logs (stdout and stderr) of one container. */
  async logs(c: ServiceContainer | string, tail?: number): Promise<string> {
    const id = typeof c === "string" ? c : c.id;
    const raw = (await this.client.container.getById(id).logs({ stdout: true, stderr: true, follow: false, ...(tail ? { tail } : {}) })) as unknown as Buffer;
    return demux(raw);
  }

  /**
   * Follows one container's log from now on (it keeps what a container wrote even after compose
   * removed it, e.g. the workers a scale-down stops). `text()` is what arrived so far.
   */
  async follow(c: ServiceContainer): Promise<{ text(): string; stop(): void }> {
    const stream = await this.client.container.logs(this.client.container.getById(c.id), { since: Math.floor(Date.now() / 1000) - 1 });
    const chunks: string[] = [];
    stream.on("data", (d: string | Buffer) => chunks.push(d.toString()));
    stream.on("error", () => undefined);
    return { text: () => chunks.join(""), stop: () => stream.destroy() };
  }

  /** The logs of every container of a service (running or not), each line prefixed with its container name. */
  async serviceLogs(service: string, tail?: number): Promise<string> {
    const out: string[] = [];
    for (const c of await this.containers(service, true)) {
      const text = await this.logs(c, tail).catch((e: Error) => `(logs unavailable: ${e.message})`);
      for (const line of text.split("\n")) if (line) out.push(`${c.name} | ${line}`);
    }
    return out.join("\n");
  }

  /** /cluster of every running worker, by container name (unreachable ones omitted). */
  async workerInfos(): Promise<Map<string, ClusterInfo>> {
    const out = new Map<string, ClusterInfo>();
    await Promise.all(
      (await this.containers("worker")).map(async (c) => {
        try {
          const res = await fetch(`http://${this.address(c, 8080)}/cluster`, { signal: AbortSignal.timeout(1500) });
          out.set(c.name, (await res.json()) as ClusterInfo);
        } catch {
          // not reachable right now
        }
      }),
    );
    return out;
  }

  /** Open connections of a source per running worker (`troupe_source_connections{source}` in /metrics), by container name. */
  async sourceConnections(source: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const c of await this.containers("worker")) {
      const text = await fetch(`http://${this.address(c, 8080)}/metrics`, { signal: AbortSignal.timeout(1500) }).then((r) => r.text(), () => "");
      const m = new RegExp(`^troupe_source_connections\\{[^}]*source="${source}"[^}]*\\} (\\d+)`, "m").exec(text);
      out.set(c.name, Number(m?.[1] ?? 0));
    }
    return out;
  }

  /** Waits for a one-shot service's (single) container to exit; resolves with its exit code. */
  async waitExit(service: string, timeoutMs: number): Promise<number> {
    const [c] = await this.containers(service, true);
    if (!c) throw new Error(`${this.project}: no ${service} container`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.logs(c, 20).then(
          (l) => reject(new Error(`${service} did not exit within ${timeoutMs} ms:\n${l}`)),
          () => reject(new Error(`${service} did not exit within ${timeoutMs} ms`)),
        );
      }, timeoutMs);
    });
    try {
      const r = (await Promise.race([this.client.container.getById(c.id).wait(), timeout])) as { StatusCode: number };
      return r.StatusCode;
    } finally {
      clearTimeout(timer);
    }
  }

  /** `docker kill` of one container (SIGKILL: a crash). */
  async kill(c: ServiceContainer): Promise<void> {
    await this.client.container.getById(c.id).kill();
  }

  /**
   * `docker start` of a stopped container (the same container: same name, volume and replica number);
   * returns it as listed now (a restart publishes its ports on new host ports).
   */
  async start(c: ServiceContainer): Promise<ServiceContainer> {
    await this.client.container.getById(c.id).start();
    const now = (await this.containers(c.service)).find((x) => x.id === c.id);
    if (!now) throw new Error(`${c.name} stopped again right after it was started`);
    return now;
  }

  /** Cuts a container off the project network, or connects it again. */
  async network(c: ServiceContainer, connected: boolean): Promise<void> {
    const net = this.client.container.dockerode.getNetwork(`${this.project}_default`);
    if (connected) await net.connect({ Container: c.id });
    else await net.disconnect({ Container: c.id });
  }

  /** `compose down -v -t 1`: containers, network and volumes gone (idempotent). */
  async down(): Promise<void> {
    this.down_ ??= (async () => {
      live.delete(this);
      try {
        if (this.started) await this.started.down({ timeout: 1000, removeVolumes: true });
      } catch {
        // fall through to the CLI removal
      }
      // Also what an `up` that failed half-way left behind (testcontainers downs those itself, but not always all).
      removeProjectSync(this.project);
    })();
    await this.down_;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }
}

/** Projects this process brought up and has not downed yet. */
const live = new Set<ComposeCluster>();
/** Set once this process is told to stop: no compose command starts after it. */
let aborted = false;
const removeLive = (): void => {
  for (const c of live) removeProjectSync(c.project);
};
process.once("exit", removeLive);
/**
 * A test worker whose run was aborted (Ctrl-C or a CI timeout ends the vitest main process and leaves
 * the worker running its test, or signals it): take this process's projects down, again a few times
 * (a compose command already running may still start containers), then end at once. All synchronous:
 * an orphaned worker's event loop is not to be relied on.
 */
const abort = (): void => {
  if (aborted) return;
  aborted = true;
  removeLive();
  for (let i = 0; i < 5; i++) {
    execFileSync("sleep", ["2"]);
    removeLive();
  }
  process.kill(process.pid, "SIGKILL");
};
process.once("disconnect", abort);
// The IPC channel does not always report the main process's end: a new parent (init) does.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) abort();
}, 1000).unref();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, abort);

/** Decodes the engine's multiplexed log stream (8-byte frame headers) into text; plain text passes through. */
function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0 && buf[i + 2] === 0 && buf[i + 3] === 0) {
    const len = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  if (i === 0) return buf.toString("utf8");
  return Buffer.concat(parts).toString("utf8");
}

/** The email sink's summary line, or "(no summary)". */
export function summaryOf(logs: string): string {
  return (
    logs
      .split("\n")
      .find((l) => l.includes("email-sink summary:"))
      ?.replace(/^.*?email-sink summary:/, "email-sink summary:")
      .trim() ?? "(no summary)"
  );
}

/** The numbers of a summary line. */
export function summaryNumbers(summary: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of summary.matchAll(/(\w+) (\d+)/g)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Warn and error lines of pino JSON logs (level >= 40), and any plain line that says error. */
export function problemLines(logs: string): string[] {
  return logs.split("\n").filter((l) => /"level":(4|5|6)0/.test(l) || /\b(Error|FATAL)\b/.test(l));
}

/**
 * Registers an `afterEach` that downs every project the test brought up; when the test failed it
 * first prints the workers' warn and error lines.
 */
export function downAfterEach(): void {
  afterEach(async (ctx) => {
    for (const c of [...live]) {
      if (ctx.task.result?.state === "fail") {
        const logs = await c.serviceLogs("worker").catch((e: Error) => e.message);
        console.log(`[${c.project}] worker warn/error lines (last 80):\n${problemLines(logs).slice(-80).join("\n")}`);
      }
      await c.down();
    }
  });
}

/** Owned slots per member at each epoch must not overlap; returns the overlaps found. */
export function overlaps(infos: Iterable<ClusterInfo>): string[] {
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

/** Every running worker answers, all agree on one epoch with `members` members, and the 256 slots are owned once each. */
export async function converged(c: ComposeCluster, members: number): Promise<boolean> {
  const infos = [...(await c.workerInfos()).values()];
  if (infos.length !== members) return false;
  const epoch = infos[0]!.epoch;
  const slots = infos.flatMap((i) => i.apps[0]!.partitions[0]!.ownedSlots);
  return infos.every((i) => i.epoch === epoch && i.members.length === members && i.slotsInHandoff === 0) && slots.length === 256 && new Set(slots).size === 256;
}

/**
 * Waits until `converged(c, members)`, recording each change of what the workers report on the way
 * (node: epoch, members, owned, in handoff, lease) with its time since the start: a slow convergence
 * comes with its timeline.
 */
export async function convergeWithTimeline(c: ComposeCluster, members: number, timeoutMs: number): Promise<{ ms: number; timeline: string[] }> {
  const t0 = Date.now();
  const timeline: string[] = [];
  let last = "";
  for (;;) {
    const infos = [...(await c.workerInfos()).values()];
    const state = infos
      .map((i) => `${i.node}: epoch ${i.epoch}, ${i.members.length} members, owned ${i.slotsOwned}, in handoff ${i.slotsInHandoff}, state ${i.state}${i.lease ? `, lease ${i.lease.msLeft ?? "-"} ms` : ""}`)
      .sort()
      .join(" | ");
    const sig = state.replace(/lease -?\d+ ms/g, "");
    if (sig !== last) {
      timeline.push(`+${((Date.now() - t0) / 1000).toFixed(1)} s ${state}`);
      last = sig;
    }
    if (await converged(c, members)) return { ms: Date.now() - t0, timeline };
    if (Date.now() - t0 > timeoutMs) throw new Error(`not converged to ${members} workers after ${timeoutMs} ms:\n${timeline.join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits for the email sink to exit; returns its exit code and summary line (printed). */
export async function sinkResult(c: ComposeCluster, timeoutMs = 180_000): Promise<{ code: number; summary: string; n: Record<string, number> }> {
  const code = await c.waitExit("email-sink", timeoutMs);
  const summary = summaryOf(await c.serviceLogs("email-sink"));
  console.log(`[${c.project}] ${summary}`);
  return { code, summary, n: summaryNumbers(summary) };
}

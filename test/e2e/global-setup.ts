import { execFileSync } from "node:child_process";
import { COMPOSE_FILES, composeCommand, DEPLOY_DIR, dockerAvailable, removeLeftoverProjects, removeRunProjects } from "../helpers/docker.js";

// The docker suite needs a Docker engine: say so and fail, never pass silently without one.
export default function setup(): () => void {
  if (!dockerAvailable()) {
    throw new Error(
      "npm run test:docker needs a running Docker engine and none answers `docker info`. On a machine without a registry run `eval \"$(../shared/docker/prepare.sh)\"` first (it starts dockerd and builds NODE_IMAGE/NATS_IMAGE).",
    );
  }
  // Every project of this run is named troupe-e2e-<this pid>-<test>: the test files inherit the id.
  process.env.TROUPE_E2E_RUN = String(process.pid);
  const leftovers = removeLeftoverProjects();
  if (leftovers.length) process.stdout.write(`[docker e2e] removed ${leftovers.length} project(s) left by an aborted run: ${leftovers.join(", ")}\n`);

  // An aborted run (Ctrl-C, a CI timeout's SIGTERM) still takes its containers down.
  const cleanup = (): void => {
    const removed = removeRunProjects();
    if (removed.length) process.stdout.write(`[docker e2e] removed ${removed.join(", ")}\n`);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", cleanup);

  // The compose files run NATS with auth and TLS: a local CA, certificates and role passwords in deploy/local/.
  execFileSync("bash", ["tls/make-local-secrets.sh"], { cwd: DEPLOY_DIR, stdio: "inherit" });

  const [bin, ...pre] = composeCommand();
  process.stdout.write(`[docker e2e] using ${[bin, ...pre].join(" ")} through testcontainers; NODE_IMAGE=${process.env.NODE_IMAGE ?? "(default)"} NATS_IMAGE=${process.env.NATS_IMAGE ?? "(default)"}\n`);
  // One image (troupe:local) serves the worker, the email sink and the load generator: build it once.
  execFileSync(bin!, [...pre, "-f", COMPOSE_FILES.base, "build", "worker"], { cwd: DEPLOY_DIR, stdio: "inherit" });
  return () => {
    cleanup();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    process.removeListener("exit", cleanup);
  };
}

import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { composeCommand, dockerAvailable } from "../helpers/compose.js";

// The docker suite needs a Docker engine: say so and fail, never pass silently without one.
export default function setup(): void {
  if (!dockerAvailable()) {
    throw new Error(
      "npm run test:docker needs a running Docker engine and none answers `docker info`. On a machine without a registry run `eval \"$(../shared/docker/prepare.sh)\"` first (it starts dockerd and builds NODE_IMAGE/NATS_IMAGE).",
    );
  }
  const [bin, ...pre] = composeCommand();
  process.stdout.write(`[docker e2e] using ${[bin, ...pre].join(" ")}; NODE_IMAGE=${process.env.NODE_IMAGE ?? "(default)"} NATS_IMAGE=${process.env.NATS_IMAGE ?? "(default)"}\n`);
  execFileSync(bin!, [...pre, "-f", resolve("deploy/docker-compose.yml"), "build"], { stdio: "inherit" });
}

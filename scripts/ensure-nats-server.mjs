#!/usr/bin/env node
// `npm test`'s pretest: the integration tests start real nats-server processes. Finds nats-server on
// PATH, or installs it the way .ci/run does (Debian's package, through apt-get as root or passwordless
// sudo), saying so; anywhere else it says how to install it and fails before any test runs.
import { spawnSync } from "node:child_process";

const say = (line) => process.stderr.write(`[pretest] ${line}\n`);
const version = () => {
  const r = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

const found = version();
if (found) {
  say(`${found} found on PATH`);
  process.exit(0);
}
let prefix;
if (process.platform === "linux" && has("apt-get")) {
  if (process.getuid?.() === 0) prefix = [];
  else if (has("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0) prefix = ["sudo", "-n"];
}
if (!prefix) {
  say("nats-server is not on PATH and cannot be installed here without a password.");
  say("Install it, then run npm test again: Debian/Ubuntu `sudo apt-get install -y nats-server`, macOS `brew install nats-server`,");
  say("or a release binary from https://github.com/nats-io/nats-server/releases on PATH.");
  process.exit(1);
}
say(`nats-server is not on PATH: installing Debian's nats-server package with ${[...prefix, "apt-get"].join(" ")} (as .ci/run does)`);
const run = (args) => {
  const [cmd, ...rest] = [...prefix, ...args];
  return spawnSync(cmd, rest, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
};
if (!run(["apt-get", "update", "-qq"]) || !run(["apt-get", "install", "-y", "-qq", "nats-server"]) || !version()) {
  say("installing nats-server failed (see above); install it by hand and run npm test again");
  process.exit(1);
}
say(`installed ${version()}`);

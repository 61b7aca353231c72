import { describe, expect, it } from "vitest";
import { readClusterView } from "../../../runtime/nats/nats-cluster.js";
import { runCli } from "../../helpers/cli.js";
import { natsServerPerFile } from "../../helpers/nats-per-file.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";

// Issue 19: `troupe drain --wait` returns once the node has left, and exits non-zero when it has not in time.
const server = natsServerPerFile();

describe("troupe drain --wait", () => {
  it("returns once the node has left; exits 2 naming the node when a (paused) node cannot take the request", async () => {
    const cluster = new ProcessCluster({ nats: server().url, apps: ["loyalty"], sinks: { emails: "127.0.0.1:9" }, args: ["--cluster", "drainwait"] });
    try {
      for (let i = 0; i < 3; i++) await cluster.addNode();
      await cluster.waitForStable();
      const members = (await readClusterView({ url: server().url }, "drainwait")).members.map((m) => m.id);
      const [, second, third] = members;
      const left = await runCli(["drain", second!, "--nats", server().url, "--cluster", "drainwait", "--wait"]);
      expect(left.stderr).toBe("");
      expect(left.code).toBe(0);
      expect(left.stdout).toMatch(new RegExp(`^${second} has left \\(epoch \\d+, 2 member\\(s\\) remain\\)$`, "m"));
      // Checked right after the command returned, not later: it did not return early.
      expect((await readClusterView({ url: server().url }, "drainwait")).members.map((m) => m.id)).not.toContain(second);

      // A paused (SIGSTOPped) node cannot answer the drain request (issue 17: a drain is a request the node
      // answers); the failure timeout (5 s) is longer than the request's, so it is still a member.
      cluster.pause(third!);
      const late = await runCli(["drain", third!, "--nats", server().url, "--cluster", "drainwait", "--wait", "--wait-timeout-ms", "1500"]);
      cluster.resume(third!);
      expect(late.code).toBe(2);
      expect(late.stderr).toMatch(new RegExp(`${third} did not answer on troupe\\.drainwait\\.drain\\.${third} in time \\[TROUPE_NATS_UNAVAILABLE\\]`));
    } finally {
      await cluster.stop();
    }
  });
});

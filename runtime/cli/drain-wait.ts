import type { Command } from "commander";
import { DEFAULT_DRAIN_WAIT_MS } from "../defaults.js";
import { LifecycleError, WaitTimeoutError } from "../errors.js";
import { readClusterView } from "../nats/nats-cluster.js";
import { flag, parseIntFlag } from "./options.js";
import { requireNatsTarget, type NatsFlags } from "./nats-connection-options.js";

interface DrainWaitFlags extends NatsFlags {
  cluster: string;
  wait?: boolean;
  waitTimeoutMs: number;
}

// How often the membership is read while waiting (one short NATS connection each time).
const POLL_MS = 500;

/**
 * Adds `--wait` to `troupe drain`: after asking, wait until the node is no longer a member (its slots
 * handed off); exit non-zero if it has not left within `--wait-timeout-ms`. A hook, so the drain command
 * itself stays as it is.
 */
export function addDrainWait(program: Command): void {
  const drain = program.commands.find((c) => c.name() === "drain");
  if (!drain) throw new LifecycleError("troupe drain is not registered: register the status commands first");
  drain
    .option("--wait", "return only once the node has left the cluster (exit non-zero on timeout)")
    .addOption(flag("--wait-timeout-ms <ms>", "how long --wait waits", (v, w) => parseIntFlag(v, w, 1)).default(DEFAULT_DRAIN_WAIT_MS))
    .hook("postAction", async (cmd) => {
      const f = cmd.opts<DrainWaitFlags>();
      const nodeId = cmd.args[0]!;
      if (!f.wait) return;
      const target = requireNatsTarget(f, "drain");
      const deadline = Date.now() + f.waitTimeoutMs;
      for (;;) {
        const view = await readClusterView(target, f.cluster);
        if (!view.members.some((m) => m.id === nodeId)) {
          process.stdout.write(`${nodeId} has left (epoch ${view.epoch}, ${view.members.length} member(s) remain)\n`);
          return;
        }
        if (Date.now() >= deadline) throw new WaitTimeoutError(`${nodeId} is still a member after ${f.waitTimeoutMs} ms (status ${view.members.find((m) => m.id === nodeId)?.status}); see its logs, or raise --wait-timeout-ms`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    });
}

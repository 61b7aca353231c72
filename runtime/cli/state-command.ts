import type { Command } from "commander";
import { NatsPermissionError, NatsUnavailableError, NotFoundError, TroupeError } from "../errors.js";
import { connectNats, readClusterView } from "../nats/nats-cluster.js";
import { permissionError } from "../nats/request-errors.js";
import { askState } from "../nats/state-query.js";
import { checkClusterName, replyInboxPrefix } from "../nats/subjects.js";
import type { StateAnswer } from "../node/state-lookup.js";
import { clusterFlag } from "./options.js";
import { addNatsOptions, requireNatsTarget, type NatsFlags } from "./nats-connection-options.js";

/** `troupe state get`: one key's state, slot, owner and epoch, from any machine that reaches NATS. */
export function registerStateCommands(program: Command): void {
  const state = program.command("state").description("look at actor state");
  addNatsOptions(state.command("get <key>").description("print a key's state (as JSON), slot, owner and epoch; asks any member, which asks the owner (needs the troupe-admin role on a NATS with auth)"))
    .addOption(clusterFlag())
    .requiredOption("--app <name>", "the app")
    .requiredOption("--partition <name>", "the state partition")
    .option("--json", "print the whole answer as JSON")
    .action(async (key: string, f: NatsFlags & { cluster: string; app: string; partition: string; json?: boolean }) => {
      const target = requireNatsTarget(f, "state get");
      const cluster = checkClusterName(f.cluster);
      const view = await readClusterView(target, cluster);
      if (view.members.length === 0) throw new NatsUnavailableError(`cluster "${cluster}" has no members; start a node first`);
      const nc = await connectNats(target, "troupe-cli", replyInboxPrefix(cluster, "cli"));
      let answer: StateAnswer | undefined;
      try {
        // Any member answers (it asks the owner); the next is tried when one does not answer.
        for (const m of view.members) {
          try {
            answer = await askState(nc, cluster, m.id, { app: f.app, partition: f.partition, key });
            if (answer.status !== 503) break;
          } catch (err) {
            // A refused permission is the same at every member: say so rather than try them all.
            const refused = permissionError(err, "look up state", "troupe-admin");
            if (refused instanceof NatsPermissionError) throw refused;
            continue;
          }
        }
      } finally {
        await nc.close();
      }
      if (!answer) throw new NatsUnavailableError(`no member of cluster "${cluster}" answered the state lookup (${view.members.map((m) => m.id).join(", ")})`);
      if (answer.status !== 200) {
        const body = answer.body as { error: string; code: string };
        if (answer.status === 404) throw new NotFoundError(body.error);
        throw new TroupeError(body.code, body.error);
      }
      if (f.json) {
        process.stdout.write(JSON.stringify(answer.body, null, 2) + "\n");
        return;
      }
      const b = answer.body as Exclude<StateAnswer["body"], { error: string }>;
      process.stdout.write(`${b.app}/${b.partition} "${b.key}": slot ${b.slot}, owner ${b.owner}, epoch ${b.epoch}, ${b.actor}\n${JSON.stringify(b.state, null, 2)}\n`);
    });
}

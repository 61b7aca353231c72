import type { Command } from "commander";
import { ConfigError } from "../errors.js";
import { DeadLetterStream, type StoredDeadLetter } from "../nats/dead-letter-stream.js";
import { connectNats } from "../nats/nats-cluster.js";
import { replyInboxPrefix } from "../nats/subjects.js";
import { permissionError } from "../nats/request-errors.js";
import { clusterFlag, flag, parseIntFlag, repeatableFlag } from "./options.js";
import { addNatsOptions, requireNatsTarget, type NatsFlags } from "./nats-connection-options.js";

interface DlqFlags extends NatsFlags {
  cluster: string;
  app?: string;
  limit: number;
  json?: boolean;
  seq?: number[];
  all?: boolean;
  keep?: boolean;
}

/** `troupe dlq list` and `troupe dlq replay`: the dead-letter stream from any machine that reaches NATS. */
export function registerDlqCommands(program: Command): void {
  const dlq = program.command("dlq").description("dead letters: events whose decoder or step threw, kept in JetStream");
  const common = (c: Command) =>
    addNatsOptions(c)
      .addOption(clusterFlag())
      .option("--app <name>", "only this app's dead letters")
      .addOption(flag("--limit <n>", "at most this many", (v, what) => parseIntFlag(v, what, 1)).default(100));
  common(dlq.command("list").description("print dead letters, oldest first").option("--json", "print JSON lines")).action(async (f: DlqFlags) => {
    await withStream(f, "dlq list", async (stream) => {
      const letters = await stream.list(f.limit, f.app);
      if (f.json) {
        for (const l of letters) process.stdout.write(JSON.stringify(toJson(l)) + "\n");
        return;
      }
      if (letters.length === 0) {
        process.stdout.write("no dead letters\n");
        return;
      }
      const rows = letters.map((l) => {
        const j = toJson(l);
        return [String(j.seq), j.at, j.node, j.app, j.reason, j.where, j.replay ?? "-", j.detail.slice(0, 60)];
      });
      const head = ["seq", "at", "node", "app", "reason", "where", "replay into", "detail"];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [head, ...rows]) process.stdout.write(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd() + "\n");
    });
  });
  common(
    dlq
      .command("replay")
      .description("send dead letters back in through a running node (each one a node takes is deleted)")
      .addOption(repeatableFlag<number[]>("--seq <n>", "replay this one (repeatable)", (items, what, previous = []) => [...previous, ...items.map((v) => parseIntFlag(v, what, 1))]))
      .option("--all", "replay every replayable dead letter (up to --limit)")
      .option("--keep", "keep them in the stream after a replay"),
  ).action(async (f: DlqFlags) => {
    if (!f.all && !f.seq?.length) throw new ConfigError("troupe dlq replay needs --seq N (repeatable) or --all");
    await withStream(f, "dlq replay", async (stream) => {
      const wanted = f.seq ? new Set(f.seq) : undefined;
      const letters = (await stream.list(wanted ? Number.MAX_SAFE_INTEGER : f.limit, f.app)).filter((l) => !wanted || wanted.has(l.seq));
      let ok = 0;
      let failed = 0;
      for (const l of letters) {
        const r = await stream.replay(l, f.keep);
        if (r.ok) ok++;
        else {
          failed++;
          process.stderr.write(`dead letter ${l.seq}: ${r.error}\n`);
        }
      }
      process.stdout.write(`replayed ${ok}, failed ${failed}\n`);
      if (failed > 0) process.exitCode = 1;
    });
  });
  registerDlqDelete(dlq, common);
}

/** `troupe dlq delete`: drops dead letters that will never be replayed. */
function registerDlqDelete(dlq: Command, common: (c: Command) => Command): void {
  common(
    dlq
      .command("delete")
      .description("delete dead letters from the stream (--seq N, repeatable, or --all; --app narrows --all)")
      .addOption(repeatableFlag<number[]>("--seq <n>", "delete this one (repeatable)", (items, what, previous = []) => [...previous, ...items.map((v) => parseIntFlag(v, what, 1))]))
      .option("--all", "delete every dead letter (of --app, if given)"),
  ).action(async (f: DlqFlags) => {
    if (!f.all === !f.seq?.length) throw new ConfigError("troupe dlq delete needs --seq N (repeatable) or --all, not both");
    await withStream(f, "dlq delete", async (stream) => {
      const seqs = f.seq ?? (await stream.list(Number.MAX_SAFE_INTEGER, f.app)).map((l) => l.seq);
      let deleted = 0;
      for (const seq of seqs) {
        if (await stream.delete(seq)) deleted++;
        else process.stderr.write(`dead letter ${seq}: not in the stream\n`);
      }
      process.stdout.write(`deleted ${deleted}\n`);
      if (deleted < seqs.length && f.seq) process.exitCode = 1;
    });
  });
}

async function withStream(f: DlqFlags, command: string, run: (s: DeadLetterStream) => Promise<void>): Promise<void> {
  const nc = await connectNats(requireNatsTarget(f, command), "troupe-cli", replyInboxPrefix(f.cluster, "cli"));
  try {
    const stream = new DeadLetterStream(nc, f.cluster);
    // Only finds the stream: the nodes create it, and the read-only and admin roles may not.
    await stream.open(false);
    await run(stream);
  } catch (err) {
    const what = command === "dlq list" ? "list dead letters" : command === "dlq delete" ? "delete dead letters" : "replay dead letters";
    throw permissionError(err, what, command === "dlq list" ? "troupe-viewer or troupe-admin" : "troupe-admin");
  } finally {
    await nc.close();
  }
}

function toJson(l: StoredDeadLetter) {
  const r = l.record;
  return {
    seq: l.seq,
    at: new Date(r.atMs).toISOString(),
    node: r.nodeId,
    app: r.app,
    reason: r.reason,
    where: r.where,
    detail: r.detail,
    replay: l.replay ? ("source" in l.replay ? `source ${l.replay.source}` : `stage ${l.replay.stage}`) : undefined,
    payloadBytes: r.payload.length,
  };
}

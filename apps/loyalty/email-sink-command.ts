import type { Command } from "commander";
import { flag, parseAddress, parseIntFlag } from "../../runtime/cli/options.js";
import { progressLine } from "../../runtime/cli/progress.js";
import type { Address } from "../../runtime/types.js";
import { EmailSinkReceiver } from "./email-sink.js";
import { expectedEmails } from "./workload.js";
import { workloadFlags, workloadOf, type WorkloadFlags } from "./workload-flags.js";

interface EmailSinkFlags extends WorkloadFlags {
  readonly listen: Address;
  readonly timeout: number;
  readonly linger: number;
}

/** `troupe email-sink`: receives PromotionEmail frames, checks them against the workload, prints a summary. */
export function registerEmailSinkCommand(program: Command): void {
  workloadFlags(
    program
      .command("email-sink")
      .description("receive promotion emails and check every expected one arrives exactly once")
      .addOption(flag("--listen <host:port>", "where to listen", parseAddress).env("TROUPE_LISTEN").default({ host: "0.0.0.0", port: 7100 }, "0.0.0.0:7100"))
      .addOption(flag("--timeout <s>", "give up after this many seconds", (v, what) => parseIntFlag(v, what)).env("TROUPE_TIMEOUT").default(300))
      .addOption(flag("--linger <s>", "after all arrived, keep counting repeats this long", (v, what) => parseIntFlag(v, what, 0)).default(2)),
    true,
  ).action(async (f: EmailSinkFlags) => {
    const expected = expectedEmails(workloadOf(f));
    const sink = new EmailSinkReceiver(expected);
    const bound = await sink.start(f.listen.host, f.listen.port);
    process.stdout.write(`email-sink: listening on ${bound.host}:${bound.port}, expecting ${expected.size} emails\n`);
    const timer = setInterval(() => progressLine(`emails ${sink.seen.size}/${expected.size} (repeats ${sink.duplicates})`, sink.seen.size / Math.max(1, expected.size)), 500);
    const ok = await sink.waitForAll(f.timeout * 1000, f.linger * 1000);
    clearInterval(timer);
    progressLine("", 1, true);
    const s = sink.summary();
    process.stdout.write(
      `email-sink summary: received ${s.received}, unique ${s.unique}, expected ${s.expected}, missing ${s.missing}, repeats ${s.duplicates}, unexpected ${s.unexpected}, malformed ${s.malformed}\n` +
        (ok && s.missing === 0 && s.unexpected === 0 ? "email-sink: OK, every expected email arrived\n" : "email-sink: FAILED\n"),
    );
    await sink.close();
    process.exitCode = ok && s.missing === 0 && s.unexpected === 0 ? 0 : 1;
  });
}

import type { Command } from "commander";
import { EmailSinkReceiver } from "../../apps/loyalty/email-sink.js";
import { expectedEmails } from "../../apps/loyalty/workload.js";
import { parseAddress, parseIntFlag } from "./options.js";
import { progressLine } from "./progress.js";
import { workloadFlags, workloadOf } from "./workload-flags.js";

/** `troupe email-sink`: receives PromotionEmail frames, checks them against the workload, prints a summary. */
export function registerEmailSinkCommand(program: Command): void {
  workloadFlags(
    program
      .command("email-sink")
      .description("receive promotion emails and check every expected one arrives exactly once")
      .option("--listen <host:port>", "where to listen (env TROUPE_LISTEN)", process.env.TROUPE_LISTEN ?? "0.0.0.0:7100")
      .option("--timeout <s>", "give up after this many seconds (env TROUPE_TIMEOUT)", process.env.TROUPE_TIMEOUT ?? "300")
      .option("--linger <s>", "after all arrived, keep counting repeats this long", "2"),
  ).action(async (f: Record<string, string>) => {
    const spec = workloadOf(f);
    const expected = expectedEmails(spec);
    const sink = new EmailSinkReceiver(expected);
    const addr = parseAddress(f.listen!, "--listen");
    const bound = await sink.start(addr.host, addr.port);
    process.stdout.write(`email-sink: listening on ${bound.host}:${bound.port}, expecting ${expected.size} emails\n`);
    const timer = setInterval(() => progressLine(`emails ${sink.seen.size}/${expected.size} (repeats ${sink.duplicates})`, sink.seen.size / Math.max(1, expected.size)), 500);
    const ok = await sink.waitForAll(parseIntFlag(f.timeout!, "--timeout") * 1000, parseIntFlag(f.linger!, "--linger", 0) * 1000);
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

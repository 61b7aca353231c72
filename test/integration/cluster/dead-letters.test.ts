import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { DeadLetterStream } from "../../../runtime/nats/dead-letter-stream.js";
import { runCli } from "../../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster } from "../../helpers/process-cluster.js";
import { waitUntil } from "../../helpers/wait.js";

// Dead letters go to a JetStream stream; `troupe dlq list` shows them, `troupe dlq replay` sends them back in.
let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

interface Listed {
  seq: number;
  reason: string;
  app: string;
  where: string;
  replay?: string;
  detail: string;
}

async function list(cluster: string): Promise<Listed[]> {
  const r = await runCli(["dlq", "list", "--nats", nats.url, "--cluster", cluster, "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Listed);
}

describe("dead-letter stream", () => {
  it("stores a bad frame with its reason, lists it, and replays a dead letter into the pipeline", async () => {
    const cluster = "dlq";
    const expected = new Set(["replayed-click"]);
    const emails = new EmailSinkReceiver(expected);
    const sink = await emails.start();
    const nodes = new ProcessCluster({ nats: nats.url, apps: ["loyalty"], sinks: { emails: `${sink.host}:${sink.port}` }, args: ["--cluster", cluster] });
    const nc = await connect({ servers: nats.url });
    try {
      const n1 = await nodes.addNode({ sources: ["loyal", "clicks"] });
      await nodes.waitForStable();
      await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, [loyalCustomerCodec.encode({ customerId: "cust-1", email: "c1@x", name: "", tier: "gold" })], 0);
      // A frame that is not a Click: the decoder throws, the node dead-letters it and keeps serving.
      await sendAll({ host: "127.0.0.1", port: n1.sources.clicks! }, [Uint8Array.from([0xff, 0xff, 0xff, 0x07])], 0);
      let letters: Listed[] = [];
      await waitUntil(async () => (letters = await list(cluster)).length >= 1, 10_000, "the dead letter in the stream");
      expect(letters[0]).toMatchObject({ reason: "decode_error", app: "loyalty", where: "clicks", replay: "source clicks" });
      expect(letters[0]!.detail.length).toBeGreaterThan(0);

      // Replaying it runs the decoder again: it fails again, so it is reported and kept.
      const again = await runCli(["dlq", "replay", "--nats", nats.url, "--cluster", cluster, "--seq", String(letters[0]!.seq)]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/failed again/);
      expect((await list(cluster)).some((l) => l.seq === letters[0]!.seq)).toBe(true);

      // A dead letter whose payload is good now (as after a fixed decoder is deployed) goes through the pipeline.
      const stream = new DeadLetterStream(nc, cluster);
      await stream.open();
      stream.publish(
        { reason: "decode_error", app: "loyalty", where: "clicks", message: "simulated", payload: clickCodec.encode({ clickId: "replayed-click", customerId: "cust-1", adId: "a", tsMs: 1 }), atMs: Date.now(), replay: { source: "clicks" } },
        "test",
      );
      await nc.flush();
      let good: Listed | undefined;
      await waitUntil(async () => (good = (await list(cluster)).find((l) => l.detail === "simulated")) !== undefined, 10_000, "the simulated dead letter");
      const replay = await runCli(["dlq", "replay", "--nats", nats.url, "--cluster", cluster, "--seq", String(good!.seq)]);
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toMatch(/replayed 1, failed 0/);
      expect(await emails.waitForAll(10_000, 200)).toBe(true);
      expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
      expect((await list(cluster)).some((l) => l.seq === good!.seq)).toBe(false); // taken back in: deleted from the stream
    } finally {
      await nc.close();
      await nodes.stop();
      await emails.close();
    }
  });

  it("dlq delete removes the dead letters named by --seq, or --all; a missing one exits 1", async () => {
    const cluster = "dlqdelete";
    const nc = await connect({ servers: nats.url });
    try {
      const stream = new DeadLetterStream(nc, cluster);
      await stream.open();
      for (const message of ["one", "two", "three"]) stream.publish({ reason: "decode_error", app: "loyalty", where: "clicks", message, payload: Uint8Array.of(1), atMs: Date.now(), replay: { source: "clicks" } }, "test");
      await nc.flush();
      let letters: Listed[] = [];
      await waitUntil(async () => (letters = await list(cluster)).length === 3, 10_000, "three dead letters");
      const args = ["--nats", nats.url, "--cluster", cluster];
      const one = await runCli(["dlq", "delete", ...args, "--seq", String(letters[0]!.seq)]);
      expect([one.code, one.stdout]).toEqual([0, "deleted 1\n"]);
      expect((await list(cluster)).map((l) => l.detail)).toEqual(["two", "three"]);
      const gone = await runCli(["dlq", "delete", ...args, "--seq", String(letters[0]!.seq)]);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/not in the stream/);
      const all = await runCli(["dlq", "delete", ...args, "--all"]);
      expect([all.code, all.stdout]).toEqual([0, "deleted 2\n"]);
      expect(await list(cluster)).toEqual([]);
      expect((await runCli(["dlq", "delete", ...args])).stderr).toMatch(/needs --seq N \(repeatable\) or --all/);
    } finally {
      await nc.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { connect, errors, nkeys, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import loyaltyApp from "../../../apps/loyalty/app.js";
import { EmailSinkReceiver } from "../../../apps/loyalty/email-sink.js";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { clicks, expectedEmails, loyalCustomers, type WorkloadSpec } from "../../../apps/loyalty/workload.js";
import { DEFAULT_CLUSTER_NAME } from "../../../runtime/defaults.js";
import { natsServerConfig } from "../../../runtime/nats/nats-server-config.js";
import type { Role } from "../../../runtime/nats/permissions.js";
import { deadLetterStream, drainSubject, reinjectSubject, replyInboxPrefix } from "../../../runtime/nats/subjects.js";
import { deadLetterCodec } from "../../../runtime/wire/messages.js";
import { runCli } from "../../helpers/cli.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { startSecureNats, type SecureNats } from "../../helpers/secure-nats.js";
import { waitUntil } from "../../helpers/wait.js";

// A real nats-server started with the shipped deploy/nats/nats-server.conf (TLS, the three roles), real node
// processes connecting as troupe-node, and the real CLI as each role. The cluster is the config's ("troupe").
const spec: WorkloadSpec = { customers: 400, loyalFraction: 0.3, clicks: 2_000, seed: 17 };
const cluster = DEFAULT_CLUSTER_NAME;
let nats: SecureNats;
let nodes: ProcessCluster;
let emails: EmailSinkReceiver;
let n1: NodeProcess;
let n2: NodeProcess;
// Every line a CLI run or a refused node printed, for the test that looks for secrets.
const cliOutput: string[] = [];

async function cli(args: readonly string[], env: Record<string, string>) {
  const r = await runCli(args, 30_000, env);
  cliOutput.push(r.stdout, r.stderr);
  return r;
}

async function client(role: Role): Promise<NatsConnection> {
  // Each role may receive replies only on its own inboxes (see replyInboxPrefix).
  const inboxPrefix = replyInboxPrefix(cluster, role === "troupe-node" ? "node" : "cli");
  return connect({ servers: nats.server.url, user: role, pass: nats.passwords[role], tls: { caFile: nats.certs.ca }, inboxPrefix });
}

const violations = (role: Role) => nats.server.logs.filter((l) => /Violation/.test(l) && l.includes(`User "${role}"`));

beforeAll(async () => {
  nats = await startSecureNats();
  emails = new EmailSinkReceiver(expectedEmails(spec));
  const sink = await emails.start();
  // Durable state: the node role must cover the event stream, checkpoints and state buckets too.
  nodes = new ProcessCluster({ nats: nats.server.url, apps: ["loyalty"], sinks: { emails: `${sink.host}:${sink.port}` }, env: nats.env("troupe-node"), args: ["--state", "durable"] });
  n1 = await nodes.addNode({ sources: ["loyal", "clicks"] });
  n2 = await nodes.addNode({ sources: ["clicks"] });
  await nodes.waitForStable();
});

afterAll(async () => {
  await nodes?.stop();
  await emails?.close();
  await nats?.stop();
});

describe("NATS with TLS and the shipped least-privilege roles", () => {
  it("runs the reference job with nodes connected as troupe-node over TLS, without one permission violation", async () => {
    const loyal = [...loyalCustomers(spec)].map((c) => loyalCustomerCodec.encode(c));
    await sendAll({ host: "127.0.0.1", port: n1.sources.loyal! }, loyal, 0);
    await waitUntil(async () => (await Promise.all([n1, n2].map((n) => n.info()))).reduce((a, i) => a + (i.apps[0]!.steps["saveLoyalCustomer"] ?? 0), 0) >= loyal.length, 20_000, "loyal records applied");
    const all = [...clicks(spec)].map((c) => clickCodec.encode(c));
    await Promise.all([sendAll({ host: "127.0.0.1", port: n1.sources.clicks! }, all.slice(0, 1000), 0), sendAll({ host: "127.0.0.1", port: n2.sources.clicks! }, all.slice(1000), 0)]);
    expect(await emails.waitForAll(30_000, 300)).toBe(true);
    expect(emails.summary()).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0 });
    expect(violations("troupe-node")).toEqual([]);
    expect(nats.server.logs.some((l) => /TLS required/.test(l))).toBe(true);
  });

  it("stops a node with no credentials or a wrong password at once, with a message naming the server and the fix", async () => {
    const anonymous = new ProcessCluster({ nats: nats.server.url, apps: ["loyalty"], sinks: { emails: "127.0.0.1:9" }, env: { TROUPE_NATS_TLS_CA: nats.certs.ca } });
    const wrong = new ProcessCluster({ nats: nats.server.url, apps: ["loyalty"], sinks: { emails: "127.0.0.1:9" }, env: { ...nats.env("troupe-node"), TROUPE_NATS_PASS: "wrong-pass-7f3a" } });
    // A password in the URL is used (not ignored) and never printed: here a wrong one.
    const inUrl = new ProcessCluster({ nats: nats.server.url.replace("nats://", "nats://troupe-node:url-pass-9c2e@"), apps: ["loyalty"], sinks: { emails: "127.0.0.1:9" }, env: { TROUPE_NATS_TLS_CA: nats.certs.ca } });
    try {
      for (const [pc, who] of [
        [anonymous, "a client without credentials"],
        [wrong, 'user "troupe-node"'],
        [inUrl, 'user "troupe-node"'],
      ] as const) {
        const refusals = () => nats.server.logs.filter((l) => /authentication error/.test(l)).length;
        const before = refusals();
        const t0 = Date.now();
        const node = await pc.addNode({ id: "intruder", waitReady: false });
        await waitUntil(() => node.exitCode !== null, 10_000, "the node without valid credentials to exit");
        expect(Date.now() - t0).toBeLessThan(8_000);
        expect(node.exitCode).not.toBe(0);
        const out = node.logs.join("\n");
        cliOutput.push(out); // for the test that looks for secrets
        expect(out).toContain(`NATS at ${nats.server.url} refused`);
        expect(out).toContain(who);
        expect(out).toMatch(/--nats-user\/--nats-pass.*\[TROUPE_NATS_AUTH\]/);
        // Refused once: the client does not retry refused credentials.
        await waitUntil(() => refusals() > before, 2_000, "the server's log of the refusal");
        expect(refusals() - before).toBe(1);
      }
      expect(await n1.info()).toMatchObject({ ready: true });
      expect((await n1.info()).members.map((m) => m.id)).not.toContain("intruder");
    } finally {
      for (const pc of [anonymous, wrong, inUrl]) await pc.stop();
    }
    // A right password in the URL works, and is not printed either.
    const status = await cli(["status", "--json", "--nats", nats.server.url.replace("nats://", `nats://troupe-viewer:${nats.passwords["troupe-viewer"]}@`)], { TROUPE_NATS_TLS_CA: nats.certs.ca });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).members).toHaveLength(2);
  });

  it("keeps the node role from draining or replaying and from deleting a dead letter", async () => {
    await sendAll({ host: "127.0.0.1", port: n1.sources.clicks! }, [Uint8Array.from([0xff, 0xff, 0xff, 0x07])], 0);
    let seq = 0;
    await waitUntil(
      async () => {
        const r = await cli(["dlq", "list", "--json", "--nats", nats.server.url], nats.env("troupe-viewer"));
        seq = badFrameSeq(r.stdout);
        return seq > 0;
      },
      15_000,
      "the dead letter, listed as troupe-viewer",
    );
    const nc = await client("troupe-node");
    try {
      await expect(nc.request(drainSubject(cluster, n2.id), new Uint8Array(0), { timeout: 3_000 })).rejects.toSatisfy(isPermissionError);
      await expect(nc.request(reinjectSubject(cluster), new TextEncoder().encode(JSON.stringify({ seq })), { timeout: 3_000 })).rejects.toSatisfy(isPermissionError);
      const jsm = await jetstreamManager(nc);
      await expect(jsm.streams.deleteMessage(deadLetterStream(cluster), seq)).rejects.toThrow();
      expect((await jsm.streams.getMessage(deadLetterStream(cluster), { seq }))?.seq).toBe(seq);
    } finally {
      await nc.close();
    }
    expect(violations("troupe-node").length).toBeGreaterThanOrEqual(2);
  });

  it("replays only records of the dead-letter stream, and only for troupe-admin: a forged request is refused", async () => {
    const listed = await cli(["dlq", "list", "--json", "--nats", nats.server.url], nats.env("troupe-viewer"));
    const seq = badFrameSeq(listed.stdout);
    expect(seq, listed.stdout).toBeGreaterThan(0);
    const asViewer = await cli(["dlq", "replay", "--seq", String(seq), "--nats", nats.server.url], nats.env("troupe-viewer"));
    expect(asViewer.code, listed.stdout).not.toBe(0);
    expect(asViewer.stderr).toMatch(/permission to publish to troupe\.troupe\.reinject.*troupe-admin.*\[TROUPE_NATS_PERMISSION\]/);

    const nc = await client("troupe-admin");
    try {
      // A record made up by the sender (a loyal customer with the forger's address) is never taken.
      const forged = deadLetterCodec.encode({ reason: "decode_error", app: "loyalty", where: "loyal", detail: "", payload: loyalCustomerCodec.encode({ customerId: "cust-0", email: "forger@evil", name: "", tier: "gold" }), nodeId: "x", atMs: Date.now(), source: "loyal", stage: -1 });
      for (const body of [forged, new TextEncoder().encode(JSON.stringify({ seq: 999_999 }))]) {
        const reply = (await nc.request(reinjectSubject(cluster), body, { timeout: 5_000 })).json<{ ok: boolean; error: string }>();
        expect(reply.ok).toBe(false);
        expect(reply.error).toMatch(/dead-letter stream/);
      }
    } finally {
      await nc.close();
    }
    // The real record, by sequence, as admin: the node reads it from the stream and runs it (the bad frame fails again, so it is kept).
    const asAdmin = await cli(["dlq", "replay", "--seq", String(seq), "--nats", nats.server.url], nats.env("troupe-admin"));
    expect(asAdmin.stderr).toMatch(/failed again/);
    expect(violations("troupe-admin")).toEqual([]);
  });

  it("refuses `troupe drain` as troupe-viewer and troupe-node (the node keeps running), and drains as troupe-admin", async () => {
    for (const role of ["troupe-viewer", "troupe-node"] as const) {
      const r = await cli(["drain", n2.id, "--nats", nats.server.url], nats.env(role));
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/permission to publish to troupe\.troupe\.drain\..*connect as troupe-admin.*\[TROUPE_NATS_PERMISSION\]/);
    }
    expect((await (await fetch(`${n2.http}/readyz`)).json()) as { ready: boolean; state: string }).toMatchObject({ ready: true, state: "running" });
    expect((await n1.info()).members.map((m) => m.id).sort()).toEqual([n1.id, n2.id].sort());

    const r = await cli(["drain", n2.id, "--nats", nats.server.url], nats.env("troupe-admin"));
    expect(r.code, r.stderr).toBe(0);
    await waitUntil(() => n2.exitCode !== null, 30_000, "the drained node to exit");
    expect(n2.exitCode).toBe(0);
    nodes.nodes.delete(n2.id);
    await nodes.waitForStable();
  });

  it("prints no secret in any log line, error message or /cluster of this run", async () => {
    const cluster = JSON.stringify(await n1.info());
    const text = [...nodes.history.flatMap((n) => n.logs), ...cliOutput, ...nats.server.logs, cluster].join("\n");
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [...Object.values(nats.passwords), "wrong-pass-7f3a", "url-pass-9c2e"]) expect(text).not.toContain(secret);
  });
});

describe("NATS with mutual TLS (deploy/nats/nats-server-mtls.conf)", () => {
  let mtls: SecureNats;
  beforeAll(async () => {
    mtls = await startSecureNats({ mutualTls: true });
  });
  afterAll(async () => {
    await mtls?.stop();
  });

  it("takes a node that presents the client certificate and refuses a client without one, saying what to pass", async () => {
    const pc = new ProcessCluster({ nats: mtls.server.url, apps: ["loyalty"], sinks: { emails: "127.0.0.1:9" }, env: mtls.env("troupe-node", true) });
    try {
      const node = await pc.addNode();
      expect((await node.info()).ready).toBe(true);
      const without = await cli(["status", "--nats", mtls.server.url], mtls.env("troupe-viewer"));
      expect(without.code).toBe(2);
      expect(without.stderr).toMatch(/NATS at nats:\/\/127\.0\.0\.1:\d+/);
      expect(without.stderr).toMatch(/client certificates.*--nats-tls-cert\/--nats-tls-key/);
      const withCert = await cli(["status", "--json", "--nats", mtls.server.url], mtls.env("troupe-viewer", true));
      expect(withCert.code, withCert.stderr).toBe(0);
      expect(JSON.parse(withCert.stdout).members).toHaveLength(1);
    } finally {
      await pc.stop();
    }
  });
});

// The sequence of the dead letter of the bad click frame in `troupe dlq list --json` output (0 if not there yet).
describe("an nkey user (troupe nats-config --nkey troupe-node=U...)", () => {
  it("runs a node that signs in with --nats-nkey, warns that others can read its seed file, and never prints the seed", async () => {
    const user = nkeys.createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    const apps = [{ name: loyaltyApp.name, partitions: loyaltyApp.partitions.map((p) => p.name) }];
    const secure = await startSecureNats({ configText: natsServerConfig({ cluster, apps, nkeys: { "troupe-node": user.getPublicKey() } }) });
    const seedFile = join(secure.certs.dir, "node.nk");
    writeFileSync(seedFile, seed + "\n", { mode: 0o644 });
    const pc = new ProcessCluster({ nats: secure.server.url, apps: ["loyalty"], sinks: { emails: "127.0.0.1:9" }, env: { TROUPE_NATS_NKEY: seedFile, TROUPE_NATS_TLS_CA: secure.certs.ca } });
    try {
      const node = await pc.addNode();
      expect((await node.info()).ready).toBe(true);
      expect(node.logs.join("\n")).toMatch(/--nats-nkey \S+node\.nk can be read by other users: chmod 600 it/);
      expect([...node.logs, ...secure.server.logs].join("\n")).not.toContain(seed);
      expect(secure.server.logs.filter((l) => /Violation|authentication error/.test(l))).toEqual([]);
    } finally {
      await pc.stop();
      await secure.stop();
    }
  });
});

function badFrameSeq(listJson: string): number {
  const letters = listJson
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { seq: number; reason: string; replay?: string });
  return letters.find((l) => l.reason === "decode_error" && l.replay === "source clicks")?.seq ?? 0;
}

function isPermissionError(err: unknown): boolean {
  return err instanceof errors.PermissionViolationError || (err as Error).cause instanceof errors.PermissionViolationError;
}

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendAll } from "../../../apps/loyalty/load-generator.js";
import { clickCodec, loyalCustomerCodec } from "../../../apps/loyalty/messages.js";
import { runCli } from "../../helpers/cli.js";
import { startNatsServer, type NatsServer } from "../../helpers/nats-server.js";
import { ProcessCluster, type NodeProcess } from "../../helpers/process-cluster.js";
import { startSinkCollector, type SinkCollector } from "../../helpers/sink-collector.js";
import { waitUntil } from "../../helpers/wait.js";

// Debian's chromium (apt-get install -y chromium; .ci/run installs it), driven by puppeteer-core.
const CHROMIUM = process.env.TROUPE_CHROMIUM ?? "/usr/bin/chromium";
// Where the test writes its screenshot of the page (docs/dashboard.png was taken this way).
const SCREENSHOT = process.env.TROUPE_DASHBOARD_SCREENSHOT ?? join(tmpdir(), "troupe-dashboard.png");
const CUSTOMERS = 300;
const loyal = (i: number) => i % 3 === 0;
const PARTITION = "loyalty customers";

let nats: NatsServer;
let sink: SinkCollector;
let cluster: ProcessCluster;
let browser: Browser | undefined;
let clicking = true;
let load: Promise<number> | undefined;

// Clicks until the suite ends, a third of them for one loyal customer (a hot key the page should show).
function* clicks(): Generator<Uint8Array> {
  for (let n = 0; clicking; n++) {
    const customer = n % 3 === 0 ? 9 : Math.floor(n / 3) % CUSTOMERS;
    yield clickCodec.encode({ clickId: `click-${n}`, customerId: `cust-${customer}`, adId: "ad-1", tsMs: Date.now() });
  }
}

async function applied(step: string): Promise<number> {
  const infos = await Promise.all([...cluster.nodes.values()].map((n) => n.info()));
  return infos.reduce((a, i) => a + (i.apps.find((x) => x.name === "loyalty")?.steps[step] ?? 0), 0);
}

const getState = async (node: NodeProcess, app: string, partition: string, key: string) => {
  const res = await fetch(`${node.http}/state/${encodeURIComponent(app)}/${encodeURIComponent(partition)}/${encodeURIComponent(key)}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  nats = await startNatsServer();
  sink = await startSinkCollector();
  cluster = new ProcessCluster({ nats: nats.url, apps: ["loyalty"], sinks: { emails: `${sink.host}:${sink.port}` }, args: ["--cluster", "dashboard"] });
  const n1 = await cluster.addNode({ sources: ["loyal", "clicks"] });
  await Promise.all([cluster.addNode(), cluster.addNode()]);
  await cluster.waitForStable();
  const records = Array.from({ length: CUSTOMERS }, (_, i) => i)
    .filter(loyal)
    .map((i) => loyalCustomerCodec.encode({ customerId: `cust-${i}`, email: `c${i}@example.com`, name: `C ${i}`, tier: "gold" }));
  await sendAll({ host: "127.0.0.1", port: n1.sources["loyal"]! }, records, 0);
  await waitUntil(async () => (await applied("saveLoyalCustomer")) >= records.length, 20_000, "the loyal records to be applied");
  load = sendAll({ host: "127.0.0.1", port: n1.sources["clicks"]! }, clicks(), 400);
});

afterAll(async () => {
  clicking = false;
  await browser?.close();
  await load?.catch(() => 0);
  await cluster?.stop();
  await sink?.close();
  await nats?.stop();
});

describe("the dashboard in a real browser", () => {
  it("shows a 3-node cluster under load (every node id, 256 slots, rates above zero) without console errors, then a 4th node and its slots within 5 s of its joining (the slots that moved marked), and the hottest key first", async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set TROUPE_CHROMIUM)`);
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    const page: Page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    // Served by node-2: the page shows every member, not just the node it came from.
    await page.goto(`${cluster.nodes.get("node-2")!.http}/dashboard`, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(
      (ids: string[]) => {
        const s = document.getElementById("summary");
        return ids.every((id) => document.querySelector(`tr[data-node-id="${id}"]`)) && document.querySelectorAll("path.slot").length === 256 && Number(s?.dataset.rateIn) > 0 && Number(s?.dataset.rateApplied) > 0;
      },
      { timeout: 15_000 },
      ["node-1", "node-2", "node-3"],
    );
    const owners = await page.$$eval("path.slot", (ps) => [...new Set(ps.map((p) => p.getAttribute("data-owner")))].sort());
    expect(owners).toEqual(["node-1", "node-2", "node-3"]);

    // Slots in motion: in handoff when a frame catches them, or changed owner in the last 3 s. Counted on
    // every change of the page (a MutationObserver: a headless page's timers may be throttled, and a timer
    // that had not run since the frame that marked them would report none).
    // (A string: the test's transpiler may wrap a function's inner functions in helpers the page lacks.)
    await page.evaluate('window.maxMoving = 0; new MutationObserver(() => { window.maxMoving = Math.max(window.maxMoving, document.querySelectorAll("path.slot.moving").length); }).observe(document.body, { childList: true, subtree: true, attributes: true });');
    const joined = cluster.addNode({ id: "node-4", waitReady: false });
    const t0 = Date.now();
    await joined;
    await page.waitForFunction(() => document.querySelector('tr[data-node-id="node-4"]') && document.querySelectorAll('path.slot[data-owner="node-4"]').length > 0, { timeout: 5_000 });
    const ms = Date.now() - t0;
    console.log(`dashboard: node-4 and its slots shown ${ms} ms after it started (its join included)`);
    expect(ms).toBeLessThan(5_000);
    await cluster.waitForStable();
    const maxMoving = (await page.evaluate("window.maxMoving")) as number;
    console.log(`dashboard: at most ${maxMoving} slots shown in motion during the join`);
    expect(maxMoving).toBeGreaterThanOrEqual(60);
    // The hot key (a third of the clicks) heads the hot-keys table.
    await page.waitForFunction(() => document.querySelectorAll('path.slot[data-owner="node-4"]').length >= 60 && document.querySelector("table.hot tr:nth-child(2) td")?.textContent === "cust-9", { timeout: 10_000 });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`dashboard: screenshot written to ${SCREENSHOT}`);
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe("state lookup", () => {
  // A loyal customer whose owner is not node-1 (the first member, which `troupe state get` asks).
  async function loyalKeyOwnedElsewhere(): Promise<{ key: string; i: number; owner: string }> {
    for (let i = 3; i < CUSTOMERS; i += 3) {
      const a = await getState(cluster.nodes.get("node-1")!, "loyalty", PARTITION, `cust-${i}`);
      if (a.status === 200 && a.body["owner"] !== "node-1") return { key: `cust-${i}`, i, owner: a.body["owner"] as string };
    }
    throw new Error("every loyal customer is owned by node-1");
  }

  it("GET /state on a node that is not the owner returns a loyal customer's state (loyal, email), slot, owner and epoch", async () => {
    const { key, i, owner } = await loyalKeyOwnedElsewhere();
    const asked = [...cluster.nodes.values()].find((n) => n.id !== owner)!;
    const a = await getState(asked, "loyalty", PARTITION, key);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ app: "loyalty", partition: PARTITION, key, owner, actor: expect.stringMatching(/^(active|stored)$/) });
    expect(a.body["owner"]).not.toBe(asked.id);
    expect(a.body["slot"]).toBeTypeOf("number");
    expect(a.body["epoch"]).toBeGreaterThan(0);
    expect(a.body["state"]).toMatchObject({ loyal: true, email: `c${i}@example.com` });
  });

  it("troupe state get prints the state from the owner when the node it asks is not the owner; --json for scripts", async () => {
    const { key, i, owner } = await loyalKeyOwnedElsewhere();
    const r = await runCli(["state", "get", "--nats", nats.url, "--cluster", "dashboard", "--app", "loyalty", "--partition", PARTITION, key, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ key, owner, state: { loyal: true, email: `c${i}@example.com` } });
    const text = await runCli(["state", "get", "--nats", nats.url, "--cluster", "dashboard", "--app", "loyalty", "--partition", PARTITION, key]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`owner ${owner}`);
  });

  it("an unknown app, partition or key is a 404 (a malformed path a 400) and a CLI error exit, and every node keeps serving", async () => {
    const n3 = cluster.nodes.get("node-3")!;
    for (const [app, partition, key, says] of [
      ["nope", PARTITION, "cust-3", 'no app "nope"'],
      ["loyalty", "nope", "cust-3", 'no partition "nope"'],
      ["loyalty", PARTITION, "never-seen", 'no state for key "never-seen"'],
    ] as const) {
      const a = await getState(n3, app, partition, key);
      expect(a.status).toBe(404);
      expect(a.body).toMatchObject({ code: "TROUPE_NOT_FOUND" });
      expect(a.body["error"]).toContain(says);
      const r = await runCli(["state", "get", "--nats", nats.url, "--cluster", "dashboard", "--app", app, "--partition", partition, key]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(says);
      expect(r.stderr).toContain("[TROUPE_NOT_FOUND]");
    }
    expect((await fetch(`${n3.http}/state/loyalty/only-two`)).status).toBe(400);
    for (const n of cluster.nodes.values()) expect((await fetch(`${n.http}/healthz`)).status).toBe(200);
  });
});

describe("troupe status --watch", () => {
  it("redraws the table in place every second (ANSI clear), with every member and the slots in motion", async () => {
    const watch = spawn(process.execPath, ["bin/troupe.js", "status", "--watch", "--nats", nats.url, "--cluster", "dashboard"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    watch.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    try {
      await waitUntil(() => out.split("\x1b[H\x1b[2J").length >= 4, 10_000, "three redraws");
      const last = out.split("\x1b[H\x1b[2J").at(-2)!;
      for (const id of cluster.nodes.keys()) expect(last).toMatch(new RegExp(`^${id}\\s+up`, "m"));
      expect(last).toContain("slots in motion:");
    } finally {
      watch.kill("SIGINT");
    }
  });
});

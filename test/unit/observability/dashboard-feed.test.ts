import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { DashboardFeed } from "../../../runtime/internal.js";
import { silentLogger } from "../../../runtime/logger.js";
import type { NodeSnapshot } from "../../../runtime/index.js";

const snapshot = { node: "n1", members: [{ id: "n1", status: "up", http: undefined }] } as unknown as NodeSnapshot;
let server: Server | undefined;
afterEach(() => server?.close());

describe("DashboardFeed (Server-Sent Events)", () => {
  it("streams a frame to each browser at once, and refuses browsers beyond its bound with 503", async () => {
    const feed = new DashboardFeed(() => snapshot, silentLogger(), 2);
    server = createServer((req, res) => feed.attach(req, res));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const aborts = [new AbortController(), new AbortController()];
    const open = await Promise.all(aborts.map((a) => fetch(url, { signal: a.signal })));
    for (const res of open) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/event-stream");
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes("data: ")) text += new TextDecoder().decode((await reader.read()).value);
      const frame = JSON.parse(text.slice(text.indexOf("data: ") + 6).split("\n")[0]!) as { servedBy: string; nodes: unknown[] };
      expect(frame.servedBy).toBe("n1");
      expect(frame.nodes).toHaveLength(1);
    }
    expect(feed.size).toBe(2);
    const third = await fetch(url);
    expect(third.status).toBe(503);
    expect(await third.text()).toContain("at most 2 browsers");
    for (const a of aborts) a.abort();
    feed.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../../runtime/logger.js";
import { HttpServer, type HttpStatus } from "../../../runtime/observability/http-server.js";

const status: HttpStatus = {
  lifecycle: "running",
  ready: true,
  handoff: { epoch: 3, inTransition: () => 0 },
  metrics: { text: async () => "troupe_up 1\n", registry: { contentType: "text/plain" } },
  clusterInfo: () => ({ members: ["n1"] }),
  resetStats: () => undefined,
};
// A stand-in for the dashboard's routes: answers /dashboard and /dashboard/events.
const routes = {
  handle: (_req: unknown, res: { writeHead(code: number): void; end(body: string): void }, path: string) => {
    if (!path.startsWith("/dashboard")) return false;
    res.writeHead(200);
    res.end("dashboard");
    return true;
  },
};
const server = new HttpServer(status, silentLogger(), "t0ken-abc", routes as never);
let base = "";

beforeAll(async () => {
  await server.start({ host: "127.0.0.1", port: 0 });
  base = `http://127.0.0.1:${server.address!.port}`;
});
afterAll(() => server.close());

describe("--http-token", () => {
  it("asks for the bearer token on /cluster, /metrics and /stats/reset, and leaves health checks open", async () => {
    for (const path of ["/cluster", "/metrics", "/stats/reset"]) {
      const res = await fetch(base + path, { method: path === "/stats/reset" ? "POST" : "GET" });
      expect(res.status, path).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await fetch(base + path, { headers: { authorization: "Bearer wrong-abc" } })).status).toBe(401);
    }
    expect((await fetch(`${base}/cluster`, { headers: { authorization: "Bearer t0ken-abc" } })).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it("a browser opens /dashboard?token=T and keeps the token as an HttpOnly same-site cookie for the feed; a wrong token or no cookie is refused", async () => {
    expect((await fetch(`${base}/dashboard`)).status).toBe(401);
    expect((await fetch(`${base}/dashboard?token=wrong-abc`)).status).toBe(401);
    const opened = await fetch(`${base}/dashboard?token=t0ken-abc`);
    expect(opened.status).toBe(200);
    const cookie = opened.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^troupe_token=t0ken-abc; HttpOnly; SameSite=Strict; Path=\//);
    expect((await fetch(`${base}/dashboard/events`, { headers: { cookie: cookie.split(";")[0]! } })).status).toBe(200);
    expect((await fetch(`${base}/dashboard/events`, { headers: { cookie: "troupe_token=nope-abcd" } })).status).toBe(401);
    // The token in the address opens the page only, not the other endpoints.
    expect((await fetch(`${base}/cluster?token=t0ken-abc`)).status).toBe(401);
  });
});

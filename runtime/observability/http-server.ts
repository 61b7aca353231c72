import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ConfigError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Address } from "../types.js";

/** What the HTTP server shows of a node. */
export interface HttpStatus {
  readonly lifecycle: string;
  readonly ready: boolean;
  readonly handoff: { readonly epoch: number; inTransition(): number };
  readonly metrics: { text(): Promise<string>; readonly registry: { readonly contentType: string } };
  clusterInfo(): unknown;
  /** Clears the distributions `/cluster` shows (counters stay). */
  resetStats(): void;
}

// Compared in constant time: how long a wrong token takes to refuse says nothing about the right one.
function tokenMatches(given: string | undefined, token: string): boolean {
  const a = Buffer.from(given ?? "");
  const want = Buffer.from(token);
  return a.length === want.length && timingSafeEqual(a, want);
}

const TOKEN_COOKIE = "troupe_token";

// The token a request carries: `Authorization: Bearer`, or (a browser, which cannot set headers on an
// EventSource) the cookie set when the dashboard was opened as /dashboard?token=...
function requestToken(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (bearer) return bearer;
  const cookie = req.headers.cookie?.split(";").find((c) => c.trim().startsWith(`${TOKEN_COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.trim().slice(TOKEN_COOKIE.length + 1)) : undefined;
}

/** More routes, tried for any path the server does not serve itself (the dashboard's). */
export interface HttpRoutes {
  /** Serves `path` and returns true, or returns false to leave it. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

/** Serves `/metrics`, `/healthz`, `/readyz`, `/cluster` and `POST /stats/reset` for one node. */
export class HttpServer {
  private server: Server | undefined;
  /** The bound address (after start). */
  address: Address | undefined;

  constructor(
    private readonly node: HttpStatus,
    private readonly log: Logger,
    private readonly token?: string,
    private readonly routes?: HttpRoutes,
  ) {}

  /** Listens on `addr` (port 0 picks a free port). */
  async start(addr: Address): Promise<void> {
    const server = createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      const send = (code: number, type: string, body: string) => {
        res.writeHead(code, { "content-type": type });
        res.end(body);
      };
      // Health checks stay open (probes carry no token); everything else shows topology and counters.
      if (this.token && path === "/dashboard" && tokenMatches(new URL(req.url ?? "/", "http://x").searchParams.get("token") ?? undefined, this.token)) {
        // Opened with its token in the address: the browser keeps it as a cookie for the feed and lookups.
        res.setHeader("set-cookie", `${TOKEN_COOKIE}=${encodeURIComponent(this.token)}; HttpOnly; SameSite=Strict; Path=/`);
      } else if (this.token && path !== "/healthz" && path !== "/readyz" && !tokenMatches(requestToken(req), this.token)) {
        res.writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="troupe"' });
        res.end("unauthorized: send Authorization: Bearer <the node's --http-token> (a browser: open /dashboard?token=<token>)\n");
        return;
      }
      switch (path) {
        case "/metrics":
          this.node.metrics.text().then(
            (t) => send(200, this.node.metrics.registry.contentType, t),
            (err: unknown) => send(500, "text/plain", String(err)),
          );
          return;
        case "/healthz": {
          const ok = this.node.lifecycle === "running" || this.node.lifecycle === "draining" || this.node.lifecycle === "starting";
          send(ok ? 200 : 503, "application/json", JSON.stringify({ status: ok ? "ok" : "down", state: this.node.lifecycle }));
          return;
        }
        case "/readyz": {
          const ready = this.node.ready;
          send(ready ? 200 : 503, "application/json", JSON.stringify({ ready, state: this.node.lifecycle, epoch: this.node.handoff.epoch, slotsInHandoff: this.node.handoff.inTransition() }));
          return;
        }
        case "/cluster":
          send(200, "application/json", JSON.stringify(this.node.clusterInfo(), null, 2));
          return;
        case "/stats/reset":
          if (req.method !== "POST") {
            send(405, "text/plain", "POST /stats/reset clears the latency, pause, event-loop and GC distributions of /cluster\n");
            return;
          }
          this.node.resetStats();
          send(200, "application/json", JSON.stringify({ reset: true }));
          return;
        default:
          if (this.routes?.handle(req, res, path ?? "/")) return;
          send(404, "text/plain", "not found: try /dashboard, /metrics, /healthz, /readyz, /cluster or /state/APP/PARTITION/KEY\n");
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) =>
        reject(new ConfigError(`cannot serve HTTP on ${addr.host}:${addr.port}: ${err.code === "EADDRINUSE" ? "address in use; choose another --http port" : err.message}`, { cause: err })),
      );
      server.listen(addr.port, addr.host, () => resolve());
    });
    const a = server.address();
    this.address = typeof a === "object" && a ? { host: addr.host, port: a.port } : addr;
    this.server = server;
    this.log.info({ http: this.address }, "http listening");
  }

  /** Stops serving. */
  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { StateLookup } from "../../node/state-lookup.js";
import type { HttpRoutes } from "../http-server.js";
import type { DashboardFeed } from "./dashboard-feed.js";
import type { NodeSnapshot } from "./node-snapshot.js";

// The page's files, served from the package (no CDN): next to this module when run from source, and
// under the package root's runtime/ when run from dist/ (tsc does not copy them; package.json ships them).
const STATIC_DIR = findStatic();
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  "/dashboard": { file: "index.html", type: "text/html; charset=utf-8" },
  "/dashboard/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/dashboard/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/dashboard/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

function findStatic(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, "static");
  if (existsSync(beside)) return beside;
  return resolve(here, "../../../../runtime/observability/dashboard/static");
}

/** The dashboard's routes: the page, its live stream, this node's snapshot, and state lookup. */
export class DashboardRoutes implements HttpRoutes {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly snapshot: () => NodeSnapshot,
    private readonly feed: DashboardFeed,
    private readonly state: StateLookup,
  ) {}

  /** Serves `path` if it is one of these routes; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const file = FILES[path];
    if (file) {
      send(res, 200, file.type, this.read(file.file));
      return true;
    }
    if (path === "/dashboard/node.json") {
      send(res, 200, "application/json", JSON.stringify(this.snapshot()));
      return true;
    }
    if (path === "/dashboard/events") {
      this.feed.attach(req, res);
      return true;
    }
    if (path.startsWith("/state/")) {
      this.lookup(path, res);
      return true;
    }
    return false;
  }

  private lookup(path: string, res: ServerResponse): void {
    const parts = path.slice("/state/".length).split("/");
    let segments: string[];
    try {
      segments = parts.map((p) => decodeURIComponent(p));
    } catch {
      segments = [];
    }
    if (segments.length !== 3 || segments.some((s) => s === "")) {
      send(res, 400, "application/json", JSON.stringify({ error: "use GET /state/APP/PARTITION/KEY, each part URL-encoded (a space is %20, a slash %2F)", code: "TROUPE_BAD_REQUEST" }));
      return;
    }
    const [app, partition, key] = segments as [string, string, string];
    void this.state.lookup({ app, partition, key }).then((a) => send(res, a.status, "application/json", JSON.stringify(a.body, null, 2)));
  }

  private read(file: string): string {
    let text = this.cache.get(file);
    if (text === undefined) this.cache.set(file, (text = readFileSync(join(STATIC_DIR, file), "utf8")));
    return text;
  }
}

function send(res: ServerResponse, code: number, type: string, body: string): void {
  res.writeHead(code, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

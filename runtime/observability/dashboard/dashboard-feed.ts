import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_DASHBOARD_MAX_CLIENTS, DEFAULT_PEER_ASK_TIMEOUT_MS } from "../../defaults.js";
import type { Logger } from "../../logger.js";
import type { NodeSnapshot } from "./node-snapshot.js";

/** What the page receives once a second: every member's snapshot that answered, and who did not. */
export interface ClusterFrame {
  readonly servedBy: string;
  readonly at: number;
  readonly nodes: readonly NodeSnapshot[];
  readonly unreachable: readonly string[];
}

// A browser that reads slower than this many bytes behind is dropped (its buffer is bounded).
const MAX_CLIENT_BACKLOG_BYTES = 1024 * 1024;

/**
 * The dashboard's live stream (Server-Sent Events): while at least one browser listens, once a second
 * it gathers this node's snapshot and every other member's (`/dashboard/node.json` at the address the
 * member advertises) and pushes one frame to each browser. At most `maxClients` browsers at once; no
 * work at all while none listens. The members come from this node's view, so the page follows joins
 * and leaves.
 */
export class DashboardFeed {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private gathering = false;

  constructor(
    private readonly self: () => NodeSnapshot,
    private readonly log: Logger,
    private readonly maxClients = DEFAULT_DASHBOARD_MAX_CLIENTS,
    private readonly peerTimeoutMs = DEFAULT_PEER_ASK_TIMEOUT_MS,
    /** The nodes' `--http-token` (one per cluster), sent to the other members. */
    private readonly httpToken?: string,
  ) {}

  /** Browsers listening now. */
  get size(): number {
    return this.clients.size;
  }

  /** Takes a browser's `GET /dashboard/events`: the stream, or 503 when `maxClients` already listen. */
  attach(_req: IncomingMessage, res: ServerResponse): void {
    if (this.clients.size >= this.maxClients) {
      res.writeHead(503, { "content-type": "text/plain", "retry-after": "5" });
      res.end(`this node streams the dashboard to at most ${this.maxClients} browsers; close one or open another node's /dashboard\n`);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write("retry: 1000\n\n");
    this.clients.add(res);
    res.on("close", () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopTimer();
    });
    void this.tick();
    this.timer ??= setInterval(() => void this.tick(), 1_000);
  }

  /** Ends every stream. */
  close(): void {
    this.stopTimer();
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.gathering) return; // a slow peer: the next second's tick is skipped, not stacked
    this.gathering = true;
    try {
      const frame = await this.gather();
      const data = `data: ${JSON.stringify(frame)}\n\n`;
      for (const c of this.clients) {
        if (c.writableLength > MAX_CLIENT_BACKLOG_BYTES) {
          this.log.warn("dashboard browser reads too slowly; dropping its stream");
          this.clients.delete(c);
          c.destroy();
          continue;
        }
        c.write(data);
      }
    } catch (err) {
      this.log.warn({ err }, "dashboard frame failed");
    } finally {
      this.gathering = false;
    }
  }

  private async gather(): Promise<ClusterFrame> {
    const own = this.self();
    const peers = own.members.filter((m) => m.id !== own.node);
    const unreachable: string[] = [];
    const answers = await Promise.all(
      peers.map(async (m) => {
        if (!m.http) {
          unreachable.push(m.id);
          return undefined;
        }
        try {
          const res = await fetch(`http://${m.http.replace(/^0\.0\.0\.0:/, "127.0.0.1:")}/dashboard/node.json`, {
            signal: AbortSignal.timeout(this.peerTimeoutMs),
            ...(this.httpToken ? { headers: { authorization: `Bearer ${this.httpToken}` } } : {}),
          });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          return (await res.json()) as NodeSnapshot;
        } catch {
          unreachable.push(m.id);
          return undefined;
        }
      }),
    );
    return { servedBy: own.node, at: Date.now(), nodes: [own, ...answers.filter((a): a is NodeSnapshot => a !== undefined)], unreachable };
  }
}

import type { Logger } from "../../logger.js";
import type { NodeStatus } from "../../node/node-status.js";
import type { StateLookup } from "../../node/state-lookup.js";
import { DashboardFeed } from "./dashboard-feed.js";
import { DashboardRoutes } from "./dashboard-routes.js";
import { NodeHistory, type SampledApp } from "./node-history.js";
import { nodeSnapshot } from "./node-snapshot.js";

/** A node's dashboard: its rate history (always sampled), its live feed and its HTTP routes. */
export class Dashboard {
  /** The node's per-second rates and hot-key windows. */
  readonly history: NodeHistory;
  /** The routes the node's HTTP server adds: `/dashboard...` and `/state/...`. */
  readonly routes: DashboardRoutes;
  private readonly feed: DashboardFeed;

  constructor(node: NodeStatus, lookup: StateLookup, log: Logger, httpToken?: string) {
    this.history = new NodeHistory(() => sampledApps(node));
    this.feed = new DashboardFeed(() => nodeSnapshot(node, this.history), log, undefined, undefined, httpToken);
    this.routes = new DashboardRoutes(() => nodeSnapshot(node, this.history), this.feed, lookup);
  }

  /** Starts sampling. */
  start(): void {
    this.history.start();
  }

  /** Stops sampling and ends every browser's stream. */
  close(): void {
    this.history.stop();
    this.feed.close();
  }
}

function* sampledApps(node: NodeStatus): Iterable<SampledApp> {
  for (const app of node.apps.values()) {
    yield {
      name: app.name,
      hotKeys: app.hotKeys,
      counts: () => {
        let inn = 0;
        let out = 0;
        for (const n of app.counters.eventsIn.values()) inn += n;
        for (const n of app.counters.eventsOut.values()) out += n;
        return { in: inn, out, stages: app.counters.stageEvents };
      },
    };
  }
}

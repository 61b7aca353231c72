// The one seam tests may use to reach internals.
export { RoutingTable } from "./placement/routing-table.js";
export { ActorHost } from "./actors/actor-host.js";
export { SlotTable } from "./rebalance/slot-table.js";
export { HandoffCoordinator } from "./rebalance/handoff-coordinator.js";
export { Router } from "./cluster/router.js";
export { LatencyHistogram } from "./observability/latency-histogram.js";
export { DeadLetters } from "./observability/dead-letters.js";
export { assertTransition } from "./cluster/membership.js";
export { loadApp } from "./cli/app-loader.js";
export { HotKeys } from "./observability/hot-keys.js";
export { NodeHistory } from "./observability/dashboard/node-history.js";
export { DashboardFeed } from "./observability/dashboard/dashboard-feed.js";
export { motionLines, renderStatus, statusRows } from "./cli/status-table.js";
export { ActiveActors } from "./actors/active-actors.js";
export { CopyStaging } from "./rebalance/copy-staging.js";
export { PreCopy } from "./rebalance/pre-copy.js";
export { WarmJoin } from "./rebalance/warm-join.js";
export { SlotChanges } from "./actors/slot-changes.js";

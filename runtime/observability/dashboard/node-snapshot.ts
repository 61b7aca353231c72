import type { NodeStatus } from "../../node/node-status.js";
import type { HotKey } from "../hot-keys.js";
import type { AppHistory, NodeHistory } from "./node-history.js";

// Dead letters each node shows in full (the rest are counted by reason).
const RECENT_DEAD_LETTERS = 5;

/** One partition of one app as this node sees it: the ring (owner per slot), its own slots in motion, its hottest keys. */
export interface PartitionSnapshot {
  readonly name: string;
  readonly slots: number;
  /** Owner of each slot in this node's current epoch ("" when none). */
  readonly owners: readonly string[];
  /** Slots this node is waiting to be handed (gaining) or is handing off (losing). */
  readonly gaining: readonly number[];
  readonly losing: readonly number[];
  readonly actors: number;
  /** This node's hottest keys of the partition, by events/s over the last full window. */
  readonly hot: readonly HotKey[];
}

/** One node's part of the dashboard (`GET /dashboard/node.json`); the page merges every member's. */
export interface NodeSnapshot {
  readonly node: string;
  readonly state: string;
  readonly ready: boolean;
  readonly epoch: number;
  readonly at: number;
  readonly members: ReadonlyArray<{ readonly id: string; readonly status: string; readonly http: string | undefined }>;
  readonly slotsOwned: number;
  readonly slotsInHandoff: number;
  readonly activeActors: number;
  /** Source read to sink write (ms), and how late the event loop ran (ms). */
  readonly latency: { readonly p50Ms: number; readonly p99Ms: number };
  readonly eventLoop: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  readonly deadLetters: {
    readonly total: number;
    readonly byReason: Readonly<Record<string, number>>;
    readonly recent: ReadonlyArray<{ readonly reason: string; readonly app: string; readonly where: string; readonly atMs: number; readonly message: string }>;
  };
  readonly apps: ReadonlyArray<{ readonly name: string; readonly stages: readonly string[]; readonly history: AppHistory; readonly partitions: readonly PartitionSnapshot[] }>;
}

/** Builds this node's dashboard snapshot. */
export function nodeSnapshot(node: NodeStatus, history: NodeHistory): NodeSnapshot {
  const health = node.health.info();
  return {
    node: node.id,
    state: node.lifecycle,
    ready: node.ready,
    epoch: node.handoff.epoch,
    at: Date.now(),
    members: node.handoff.view.members.map((m) => ({ id: m.id, status: m.status, http: m.http })),
    slotsOwned: node.ownedSlots(),
    slotsInHandoff: node.handoff.inTransition(),
    activeActors: node.activeActors(),
    latency: { p50Ms: node.latency.quantile(0.5), p99Ms: node.latency.quantile(0.99) },
    eventLoop: health.eventLoopDelay,
    deadLetters: {
      total: node.deadLetters.total(),
      byReason: Object.fromEntries(node.deadLetters.counts),
      recent: node.deadLetters
        .recent()
        .slice(-RECENT_DEAD_LETTERS)
        .map((d) => ({ reason: d.reason, app: d.app, where: d.where, atMs: d.atMs, message: d.message })),
    },
    apps: [...node.apps.values()].map((app) => ({
      name: app.name,
      stages: app.app.stages.map((s) => s.name),
      history: history.of(app.name),
      partitions: app.app.partitions.map((p) => {
        const table = app.tables[p.index]!;
        return { name: p.name, slots: p.slots, owners: table.owners, gaining: table.list("gaining"), losing: table.list("losing"), actors: app.hosts[p.index]!.size, hot: app.hotKeys[p.index]?.top(10) ?? [] };
      }),
    })),
  };
}

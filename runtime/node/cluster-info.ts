import type { NodeStatus } from "./node-status.js";
import type { WarmJoins } from "./warm-joins.js";
import type { ProcessHealthInfo } from "../observability/process-health.js";
import type { LatencyHistogram } from "../observability/latency-histogram.js";

/** One member as `/cluster` shows it. */
export interface ClusterMemberInfo {
  readonly id: string;
  readonly status: string;
  readonly http: string | undefined;
  /** Slots this member owns in the current epoch, summed over partitions. */
  readonly slots: number;
}

/** The JSON of `/cluster`. */
export interface ClusterInfo {
  readonly node: string;
  readonly state: string;
  readonly ready: boolean;
  readonly epoch: number;
  readonly members: readonly ClusterMemberInfo[];
  readonly slotsOwned: number;
  readonly slotsInHandoff: number;
  readonly activeActors: number;
  readonly eventsIn: number;
  readonly eventsOut: number;
  readonly forwards: number;
  readonly parked: number;
  /** Actors with events waiting for the node to act again (its lease ran out): 0 once it resumed. */
  readonly stalled: number;
  readonly deadLetters: number;
  /**
   * State mode, actor states written by write-behind so far, evicted actors not yet passive, failed loads
   * and writes (retried), actors dropped as a stale owner's copy, and the store's own counters.
   */
  readonly stateStore: { readonly mode: string; readonly writes: number; readonly evicting: number; readonly loadFailures: number; readonly writeFailures: number; readonly fencedDrops: number; readonly store?: Readonly<Record<string, number>> };
  /** The ownership lease: ms left (null without leases), suspensions (ran out), resumes (renewed while still a member), fences (rejoined as a new member), outputs dropped by fences. */
  readonly lease?: { readonly msLeft: number | null; readonly suspensions: number; readonly resumes: number; readonly fenced: number; readonly outputsDropped: number };
  /** Durable mode: the event log's counters, slots being read, and replayed events skipped as already applied. */
  readonly eventLog?: Readonly<Record<string, number>>;
  /** Transport counters (NATS: messages, retransmitted, duplicatesDropped, undeliverable...). */
  readonly transport: Readonly<Record<string, number>>;
  /** Outbound batches: how many, their mean size, and why each was sent (full, end of I/O turn, delay timer, explicit flush); acknowledgement round trips (ms). */
  readonly batches: { readonly sent: number; readonly meanEnvelopes: number; readonly flushes: Readonly<Record<string, number>>; readonly ackRtt: Quantiles | null };
  /** Source-read to sink-write latency of outputs written by this node (ms). */
  readonly latency: Quantiles;
  /** This process's event-loop delay and GC pauses (since start or the last `POST /stats/reset`). */
  readonly process: ProcessHealthInfo;
  /** Per-slot handoff pauses seen by this node (ms), and the last rebalance's duration. */
  readonly handoff: {
    readonly count: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly maxMs: number;
    readonly rebalances: number;
    readonly lastRebalanceMs: number;
    /** Handoffs sent and received, and bytes of actor state sent (handoffs and pre-copies). */
    readonly sent: number;
    readonly received: number;
    readonly stateBytesSent: number;
    /** Warm joins: pre-copies sent from here, and this node's own join (joining now, how long its last one waited). */
    readonly warmJoin: ReturnType<WarmJoins["info"]>;
  };
  readonly apps: ReadonlyArray<{ name: string; steps: Record<string, number>; partitions: ReadonlyArray<{ name: string; slots: number; owned: number; gaining: number; losing: number; actors: number; ownedSlots: number[] }> }>;
}

/** A latency distribution as `/cluster` shows it (ms). */
export interface Quantiles {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

function quantiles(h: LatencyHistogram): Quantiles {
  return { count: h.count, p50Ms: h.quantile(0.5), p99Ms: h.quantile(0.99), p999Ms: h.quantile(0.999), maxMs: h.max };
}

/** Builds the `/cluster` picture of a node. */
export function clusterInfo(node: NodeStatus): ClusterInfo {
  const view = node.handoff.view;
  const perMember = new Map<string, number>();
  let eventsIn = 0;
  let eventsOut = 0;
  const apps = [...node.apps.values()].map((app) => {
    for (const n of app.counters.eventsIn.values()) eventsIn += n;
    for (const n of app.counters.eventsOut.values()) eventsOut += n;
    const steps: Record<string, number> = {};
    app.app.stages.forEach((s, i) => (steps[s.name] = (steps[s.name] ?? 0) + (app.counters.stageEvents[i] ?? 0)));
    return {
      name: app.name,
      steps,
      partitions: app.app.partitions.map((p) => {
        const st = app.tables[p.index]!;
        for (const o of st.owners) perMember.set(o, (perMember.get(o) ?? 0) + 1);
        const c = st.counts();
        return { name: p.name, slots: p.slots, owned: c.owned, gaining: c.gaining, losing: c.losing, actors: app.hosts[p.index]!.size, ownedSlots: st.list("owned") };
      }),
    };
  });
  return {
    node: node.id,
    state: node.lifecycle,
    ready: node.ready,
    epoch: node.handoff.epoch,
    members: view.members.map((m) => ({ id: m.id, status: m.status, http: m.http, slots: perMember.get(m.id) ?? 0 })),
    slotsOwned: node.ownedSlots(),
    slotsInHandoff: node.handoff.inTransition(),
    activeActors: node.activeActors(),
    eventsIn,
    eventsOut,
    forwards: node.dispatcher.forwards,
    parked: node.dispatcher.parkedCount(),
    stalled: node.stalledActors(),
    deadLetters: node.deadLetters.total(),
    stateStore: stateStoreInfo(node),
    lease: { msLeft: Number.isFinite(node.seat.leftMs()) ? Math.round(node.seat.leftMs()) : null, ...node.seat.stats },
    ...(node.eventLog && node.durable
      ? { eventLog: { ...node.eventLog.stats, pending: node.eventLog.pending(), slotsReading: node.durable.reading(), ...readProgress(node.durable.progress()), repeatsSkipped: [...node.apps.values()].reduce((a, app) => a + app.hosts.reduce((b, h) => b + h.repeatsSkipped, 0), 0) } }
      : {}),
    transport: { ...(node.transport.stats ?? {}), inFlight: node.transport.inFlight() },
    batches: {
      sent: node.router.batches,
      meanEnvelopes: node.router.batches ? Math.round((node.router.envelopes / node.router.batches) * 10) / 10 : 0,
      flushes: { ...node.router.flushes },
      ackRtt: node.transport.ackRtt ? quantiles(node.transport.ackRtt) : null,
    },
    latency: quantiles(node.latency),
    process: node.health.info(),
    handoff: {
      count: node.pauses.count,
      p50Ms: node.pauses.quantile(0.5),
      p99Ms: node.pauses.quantile(0.99),
      maxMs: node.pauses.max,
      rebalances: node.handoff.rebalances,
      lastRebalanceMs: node.handoff.lastRebalanceMs,
      sent: node.handoff.sent,
      received: node.handoff.received,
      stateBytesSent: node.transport.stateBytesSent ?? 0,
      warmJoin: node.warm.info(),
    },
    apps,
  };
}

function stateStoreInfo(node: NodeStatus): ClusterInfo["stateStore"] {
  let evicting = 0;
  let loadFailures = 0;
  let writeFailures = 0;
  let fencedDrops = 0;
  for (const app of node.apps.values()) {
    for (const h of app.hosts) {
      evicting += h.evictingCount;
      loadFailures += h.storeStats.loadFailures;
      writeFailures += h.storeStats.writeFailures;
      fencedDrops += h.storeStats.fencedDrops;
    }
  }
  return { mode: node.mode, writes: node.writeBehind.writes, evicting, loadFailures, writeFailures, fencedDrops, ...(node.store.stats ? { store: { ...node.store.stats } } : {}) };
}

// readPosition: the lowest stream sequence the readers delivered up to (-1: no owned slots);
// readersStarting: apps whose readers are not yet reading for every owned slot.
function readProgress(p: { position: number; starting: number }): { readPosition: number; readersStarting: number } {
  return { readPosition: Number.isFinite(p.position) ? p.position : -1, readersStarting: p.starting };
}

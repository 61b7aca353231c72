import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { NodeStatus } from "./node-status.js";

/**
 * The Prometheus metrics of one node. Hot-path counts are plain numbers on the
 * node; the metrics read them at scrape time (`collect`), so events cost no metric calls.
 */
export class NodeMetrics {
  readonly registry = new Registry();
  /** Seconds each slot was paused by a handoff. */
  readonly handoffPause: Histogram;
  /** Envelopes per outbound batch. */
  readonly batchSize: Histogram;

  constructor(node: NodeStatus) {
    const r = this.registry;
    r.setDefaultLabels({ node: node.id });
    // Process metrics (resident memory, heap, event-loop lag, GC) beside Troupe's own.
    collectDefaultMetrics({ register: r });
    const counter = (name: string, help: string, labelNames: string[], read: (set: (labels: Record<string, string>, v: number) => void) => void) =>
      new Counter({
        name,
        help,
        labelNames,
        registers: [r],
        collect() {
          this.reset();
          read((labels, v) => this.inc(labels, v));
        },
      });
    const gauge = (name: string, help: string, labelNames: string[], read: (set: (labels: Record<string, string>, v: number) => void) => void) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [r],
        collect() {
          this.reset();
          read((labels, v) => this.set(labels, v));
        },
      });
    counter("troupe_events_in_total", "Events accepted per source", ["app", "source"], (set) => {
      for (const a of node.apps.values()) for (const [s, n] of a.counters.eventsIn) set({ app: a.name, source: s }, n);
    });
    counter("troupe_step_events_total", "Events run per step", ["app", "pipeline", "step"], (set) => {
      for (const a of node.apps.values())
        a.app.stages.forEach((st, i) => set({ app: a.name, pipeline: st.pipeline, step: st.name }, a.counters.stageEvents[i] ?? 0));
    });
    counter("troupe_events_out_total", "Outputs written per sink", ["app", "sink"], (set) => {
      for (const a of node.apps.values()) for (const [s, n] of a.counters.eventsOut) set({ app: a.name, sink: s }, n);
    });
    counter("troupe_sink_dropped_total", "Outputs a sink dropped because its buffer was full", ["sink"], (set) => {
      for (const [name, s] of node.sinkWriters()) set({ sink: name }, s.stats.dropped);
    });
    gauge("troupe_source_connections", "Open connections per source", ["source"], (set) => {
      for (const s of node.tcpSources()) set({ source: s.name }, s.connectionCount());
    });
    gauge("troupe_source_connections_silent", "Open connections per source that have not sent a complete first frame yet", ["source"], (set) => {
      for (const s of node.tcpSources()) set({ source: s.name }, s.silentCount());
    });
    counter(
      "troupe_source_connections_refused_total",
      "Connections a source refused (max_connections, max_connections_per_address: no silent one to evict) or closed without losing input (evicted_silent, first_frame_timeout, idle_timeout); not dead letters",
      ["source", "reason"],
      (set) => {
        for (const s of node.tcpSources()) for (const [reason, n] of Object.entries(s.stats.refused)) set({ source: s.name, reason }, n);
      },
    );
    counter("troupe_dead_letters_total", "Dead letters per reason", ["reason"], (set) => {
      for (const [reason, n] of node.deadLetters.counts) set({ reason }, n);
    });
    counter("troupe_forwards_total", "Envelopes forwarded to their owner", [], (set) => set({}, node.dispatcher.forwards));
    counter("troupe_transport_events_total", "Transport counters (messages, retransmitted, duplicatesDropped, undeliverable, ...)", ["counter"], (set) => {
      for (const [k, v] of Object.entries(node.transport.stats ?? {})) set({ counter: k }, v);
    });
    counter("troupe_event_log_total", "Durable mode: event log counters (appended, batches, alreadyStored, republished, appendFailed, eventsRead, checkpoints, trimmed, ...)", ["counter"], (set) => {
      for (const [k, v] of Object.entries(node.eventLog?.stats ?? {})) set({ counter: k }, v);
    });
    gauge("troupe_event_log_pending", "Durable mode: events appended and not yet stored", [], (set) => set({}, node.eventLog?.pending() ?? 0));
    counter("troupe_state_writes_total", "Actor states written behind to the state store", [], (set) => set({}, node.writeBehind.writes));
    counter("troupe_batches_sent_total", "Batches sent to other nodes", [], (set) => set({}, node.router.batches));
    counter("troupe_batch_flushes_total", "Outbound batches by why they were sent: full, turn (end of an I/O turn), timer (batch delay), explicit (handoff, drain)", ["reason"], (set) => {
      for (const [reason, n] of Object.entries(node.router.flushes)) set({ reason }, n);
    });
    gauge("troupe_transport_ack_rtt_seconds", "Acknowledgement round trips of node-to-node messages since start or the last POST /stats/reset", ["quantile"], (set) => {
      const h = node.transport.ackRtt;
      if (!h || h.count === 0) return;
      for (const q of [0.5, 0.99, 0.999]) set({ quantile: String(q) }, h.quantile(q) / 1000);
      set({ quantile: "1" }, h.max / 1000);
    });
    gauge("troupe_latency_seconds", "Source read to sink write of outputs this node wrote, since start or the last POST /stats/reset", ["quantile"], (set) => {
      if (node.latency.count === 0) return;
      for (const q of [0.5, 0.99, 0.999]) set({ quantile: String(q) }, node.latency.quantile(q) / 1000);
      set({ quantile: "1" }, node.latency.max / 1000);
    });
    gauge("troupe_event_loop_delay_seconds", "Event-loop delay at 1 ms resolution since start or the last POST /stats/reset", ["quantile"], (set) => {
      const d = node.health.info().eventLoopDelay;
      set({ quantile: "0.5" }, d.p50Ms / 1000);
      set({ quantile: "0.99" }, d.p99Ms / 1000);
      set({ quantile: "1" }, d.maxMs / 1000);
    });
    counter("troupe_passivations_total", "Actors passivated to the state store", ["app", "partition"], (set) => {
      for (const a of node.apps.values()) a.hosts.forEach((h) => set({ app: a.name, partition: h.partition.name }, h.passivations));
    });
    gauge("troupe_actors_active", "Active actors", ["app", "partition"], (set) => {
      for (const a of node.apps.values()) a.hosts.forEach((h) => set({ app: a.name, partition: h.partition.name }, h.size));
    });
    gauge("troupe_slots_owned", "Slots this node owns", ["app", "partition"], (set) => {
      for (const a of node.apps.values()) a.tables.forEach((t, i) => set({ app: a.name, partition: a.app.partitions[i]!.name }, t.counts().owned));
    });
    gauge("troupe_slots_in_handoff", "Slots being handed to or from this node", [], (set) => set({}, node.handoff.inTransition()));
    counter("troupe_handoff_state_bytes_total", "Bytes of actor state sent to other nodes in handoffs and pre-copies", [], (set) => set({}, node.transport.stateBytesSent ?? 0));
    counter("troupe_precopy_total", "Pre-copies for warm joins sent from this node: slots, rounds, actors, refused, cancelled, deltas (handoffs that sent only what changed), deltaActors, whole (handoffs of a pre-copied slot sent whole)", ["counter"], (set) => {
      for (const [k, v] of Object.entries(node.warm.preCopy.stats)) set({ counter: k }, v);
    });
    gauge("troupe_precopy_slots", "Slots this node is pre-copying to joining members", [], (set) => set({}, node.warm.preCopy.pending));
    gauge("troupe_precopy_staged_actors", "Actor states pre-copied to this node, staged until their slots' handoffs", [], (set) => set({}, node.warm.staging.actors));
    gauge("troupe_epoch", "Current placement epoch", [], (set) => set({}, node.handoff.epoch));
    counter("troupe_rebalances_total", "Rebalances completed on this node", [], (set) => set({}, node.handoff.rebalances));
    gauge("troupe_last_rebalance_seconds", "Duration of the last completed rebalance", [], (set) => set({}, node.handoff.lastRebalanceMs / 1000));
    gauge("troupe_members", "Members in this node's view", [], (set) => set({}, node.handoff.view.members.length));
    gauge("troupe_parked_envelopes", "Envelopes parked until the view catches up", [], (set) => set({}, node.dispatcher.parkedCount()));
    gauge("troupe_stalled_actors", "Actors whose events wait for the node to act again (its lease ran out)", [], (set) => set({}, node.stalledActors()));
    gauge("troupe_transport_in_flight_envelopes", "Envelopes sent to other nodes and not yet acknowledged (sources pause above a high-water mark)", [], (set) => set({}, node.transport.inFlight()));
    gauge("troupe_transport_in_flight_bytes", "Bytes sent to other nodes and not yet acknowledged (sources pause above a high-water mark)", [], (set) => set({}, (node.transport.inFlightBytes?.() ?? 0)));
    gauge("troupe_transport_reassembly_bytes", "Bytes held to reassemble fragmented messages from other nodes", [], (set) => set({}, (node.transport.reassemblyBytes?.() ?? 0)));
    gauge("troupe_event_log_pending_bytes", "Durable mode: bytes of events appended and not yet stored", [], (set) => set({}, node.eventLog?.pendingBytes() ?? 0));
    gauge("troupe_sink_buffered_bytes", "Output bytes a sink holds, its socket's buffer included (sources pause above its high-water mark)", ["sink"], (set) => {
      for (const [name, s] of node.sinkWriters()) set({ sink: name }, s.bufferedBytes?.() ?? 0);
    });
    gauge("troupe_actors_evicting", "Evicted actors not yet passive (work or a state write in flight, or a write to retry)", ["app", "partition"], (set) => {
      for (const a of node.apps.values()) a.hosts.forEach((h) => set({ app: a.name, partition: h.partition.name }, h.evictingCount));
    });
    counter("troupe_state_store_total", "State store counters: reads, writes, conflicts, reapplied, fenced (store); loadFailures, writeFailures, fencedDrops, tooLarge (actors)", ["counter"], (set) => {
      for (const [k, v] of Object.entries(node.store.stats ?? {})) set({ counter: k }, v);
      const sums: Record<string, number> = {};
      for (const a of node.apps.values()) for (const h of a.hosts) for (const [k, v] of Object.entries(h.storeStats)) sums[k] = (sums[k] ?? 0) + v;
      for (const [k, v] of Object.entries(sums)) set({ counter: k }, v);
    });
    gauge("troupe_lease_seconds_left", "Seconds left on this node's ownership lease (negative: ran out; it acts only while positive)", [], (set) => {
      const left = node.seat.leftMs();
      if (Number.isFinite(left)) set({}, left / 1000);
    });
    counter("troupe_lease_events_total", "Lease events: suspensions (ran out), resumes (renewed while a member), fenced (removed: rejoined), outputsDropped", ["event"], (set) => {
      for (const [k, v] of Object.entries(node.seat.stats)) set({ event: k }, v);
    });
    gauge("troupe_suspended_events", "Events held while the lease was out (run on renewal, re-routed after a fence)", [], (set) => set({}, node.seat.heldCount()));
    counter("troupe_sink_pauses_total", "Times a full sink stopped this node taking events from other nodes", [], (set) => set({}, node.intake.pauses));
    this.handoffPause = new Histogram({
      name: "troupe_handoff_pause_seconds",
      help: "How long each slot was paused by a handoff",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [r],
    });
    this.batchSize = new Histogram({
      name: "troupe_batch_envelopes",
      help: "Envelopes per outbound batch",
      buckets: [1, 4, 16, 64, 256, 1024, 4096],
      registers: [r],
    });
    node.router.onBatch = (n) => this.batchSize.observe(n);
  }

  /** The metrics in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

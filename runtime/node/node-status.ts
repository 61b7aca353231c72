import type { Router } from "../cluster/router.js";
import type { NodeState } from "../cluster/membership.js";
import type { SinkWriter } from "../io/sink-writer.js";
import type { TcpSource } from "../io/tcp-source.js";
import type { DeadLetters } from "../observability/dead-letters.js";
import type { LatencyHistogram } from "../observability/latency-histogram.js";
import type { ProcessHealth } from "../observability/process-health.js";
import type { HandoffCoordinator } from "../rebalance/handoff-coordinator.js";
import type { WarmJoins } from "./warm-joins.js";
import type { EventLog } from "../state/event-log.js";
import type { StateStore } from "../state/state-store.js";
import type { StateMode } from "../types.js";
import type { AppRuntime } from "./app-runtime.js";
import type { Dispatcher } from "./dispatcher.js";
import type { DurableSlots } from "./durable-slots.js";
import type { Intake } from "./intake.js";
import type { MembershipSeat } from "./membership-seat.js";
import type { NodeOptions } from "./node-options.js";
import type { WriteBehind } from "./write-behind.js";

/**
 * What the node's metrics and its `/cluster` picture read: the parts `Node` wires, not the class
 * itself, so that observability depends on this shape and `Node` imports observability, not back.
 */
export interface NodeStatus {
  readonly id: string;
  readonly mode: StateMode;
  readonly lifecycle: NodeState;
  readonly ready: boolean;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly store: StateStore;
  readonly deadLetters: DeadLetters;
  readonly latency: LatencyHistogram;
  /** How long each slot was paused by a handoff (ms). */
  readonly pauses: LatencyHistogram;
  /** This process's event-loop delay and GC pauses. */
  readonly health: ProcessHealth;
  readonly router: Router;
  readonly handoff: HandoffCoordinator;
  /** Warm joins: pre-copies to joining members and this node's own join. */
  readonly warm: WarmJoins;
  readonly eventLog: EventLog | undefined;
  readonly durable: DurableSlots | undefined;
  readonly seat: MembershipSeat;
  readonly dispatcher: Dispatcher;
  readonly intake: Intake;
  readonly writeBehind: WriteBehind;
  readonly transport: NodeOptions["transport"];
  ownedSlots(): number;
  /** Actors waiting for the node to act again (its lease ran out). */
  stalledActors(): number;
  activeActors(): number;
  sinkWriters(): ReadonlyMap<string, SinkWriter>;
  tcpSources(): readonly TcpSource[];
}

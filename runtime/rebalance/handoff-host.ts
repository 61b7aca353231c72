import type { Application } from "../builder/application.js";
import type { MembershipView } from "../cluster/membership.js";
import type { Router } from "../cluster/router.js";
import type { Logger } from "../logger.js";
import type { Transport } from "../transport/transport.js";
import type { Envelope, StateMode } from "../types.js";
import type { SlotTable } from "./slot-table.js";

// What the handoff coordinator needs from the node around it, narrowly: the node implements these.

/** The actors of one partition, as a handoff needs them. */
export interface HandoffActors {
  /** Memory mode: takes the slot's actors (and stored states) out, to travel with the handoff. */
  takeSlot(slot: number): Promise<Array<[string, unknown]>>;
  /** Installs actor states that arrived in a handoff. */
  install(slot: number, actors: ReadonlyArray<{ key: string; state: unknown }>): void;
  /** Takes the events queued (not yet started) in the slot's actors, in order. */
  detachQueued(slot: number): Envelope[];
  /** Writes the slot's dirty states (snapshot and durable modes: the next owner reads them from the store). */
  flushDirty(slot: number): Promise<number>;
  /** Drops the slot's actors without writing (their state is stored). */
  dropSlot(slot: number): number;
  isSlotIdle(slot: number): boolean;
  /** Drops every actor (a fence). */
  clear(): void;
}

/** One app as the coordinator sees it: its partitions, a slot table and actors per partition. */
export interface HandoffApp {
  readonly name: string;
  readonly app: Pick<Application, "partitions">;
  readonly tables: readonly SlotTable[];
  readonly hosts: readonly HandoffActors[];
  partitionIndex(name: string): number | undefined;
}

/** What the coordinator needs from its node. */
export interface HandoffHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, HandoffApp>;
  readonly transport: Transport;
  readonly router: Router;
  readonly mode: StateMode;
  readonly timeoutMs: number;
  /** Delivers an envelope through the node's owner check (after a transition ends). */
  deliver(env: Envelope): void;
  /** Reports how long a slot was paused by a handoff. */
  paused(ms: number): void;
  /** Called after every applied view (for parked envelopes and readiness). */
  viewApplied(view: MembershipView): void;
  /** Writes out the sinks' buffered outputs (a slot's outputs here go out before its next owner's). */
  flushOutputs?(): Promise<unknown>;
  /** False while the node may not act (its lease ran out): no handoff is sent then. */
  mayAct?(): boolean;
  /** A slot's ownership code changed here (gained, lost, handed over, given up): durable mode follows it. */
  slotsChanged?(): void;
  /** Durable mode: records where the slot's next owner replays from; returns the held events still to send. */
  settle?(app: string, partition: number, slot: number, held: Envelope[], idle: boolean): Promise<Envelope[]>;
}

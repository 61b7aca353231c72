import type { Application } from "../builder/application.js";
import type { MembershipView } from "../cluster/membership.js";
import type { Router } from "../cluster/router.js";
import type { Logger } from "../logger.js";
import type { Transport } from "../transport/transport.js";
import type { ActorHandoff, Envelope, StagedStates, StateMode } from "../types.js";
import type { SlotTable } from "./slot-table.js";

// What the handoff coordinator needs from the node around it, narrowly: the node implements these.

/** A slot's states taken out for its handoff: all its next owner needs, or those of some keys (a pre-copy's delta) and the keys not here. */
export interface SlotStates {
  all(): ActorHandoff[];
  pick(keys: ReadonlySet<string>): { states: ActorHandoff[]; missing: string[] };
}

/** The actors of one partition, as a handoff needs them. */
export interface HandoffActors {
  /** Takes the slot's actors out once its writes in flight are done, for the handoff (the slot must be idle). */
  takeSlot(slot: number): Promise<SlotStates>;
  /** Installs states pre-copied to this node without activating them: each activates on its first event. */
  installStored(slot: number, staged: StagedStates): void;
  /** Installs actor states that arrived in a handoff. */
  install(slot: number, actors: readonly ActorHandoff[]): void;
  /** Takes the events queued (not yet started) in the slot's actors, in order. */
  detachQueued(slot: number): Envelope[];
  /** Writes the slot's dirty states (snapshot and durable modes: the next owner reads them from the store). */
  flushDirty(slot: number): Promise<number>;
  /** Drops the slot's actors without writing (their state is stored). */
  dropSlot(slot: number): number;
  isSlotIdle(slot: number): boolean;
  /** Pre-copy: per slot, the keys that ran a step or whose write landed since `track` (actors/slot-changes.ts). */
  readonly changes: {
    track(slot: number): Set<string>;
    count(slot: number): number;
    untrack(slot: number): Set<string>;
  };
  /** The states of the slot's actors in memory (or of `keys`, and which of them are not), left in place (pre-copy). */
  copyStates(slot: number, keys?: ReadonlySet<string>): { states: ActorHandoff[]; missing: string[] };
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
  /** Warm joins: the slots this node pre-copies to a joiner (a handoff then sends only what changed since). */
  readonly preCopy?: {
    /** Whether the slot is being (or was) pre-copied from here, not yet handed over. */
    copying(app: string, partition: number, slot: number): boolean;
    /** A losing slot's handoff goes to `target` now: the copy it completes and the keys changed since, or undefined (it goes whole). */
    complete(app: string, partition: number, slot: number, target: string, targetSeq: number): { copy: number; changed: ReadonlySet<string> } | undefined;
  };
  /** Warm joins: the states pre-copied to this node (a handoff completes them). */
  readonly staging?: {
    /** A slot's handoff arrived: the staged states it completes (without the keys it carries), if any. */
    complete(from: string, app: string, partition: string, slot: number, copy: number, changed: readonly ActorHandoff[], stale: readonly string[]): StagedStates | undefined;
  };
  /**
   * Durable mode: the offset up to which the slot's events are in the states it leaves (0: unknown);
   * with nothing `travelling` unstored, also its checkpoint. The held events are not sent: the next owner reads them.
   */
  settle?(app: string, partition: number, slot: number, held: Envelope[], idle: boolean, travelling: boolean): Promise<number>;
  /** Durable mode: a handoff made this node the slot's owner, its events up to `offset` in the states it brought or the store. */
  handedOver?(app: string, partition: number, slot: number, offset: number): void;
}

// The node-facing side of an app runtime: what it needs from its node (a narrow host interface, as HandoffHost).
import type { DeadLetters } from "../observability/dead-letters.js";
import type { SlotTable } from "../rebalance/slot-table.js";
import type { StateStore } from "../state/state-store.js";
import type { Envelope } from "../types.js";
import type { Origin } from "./origin.js";

/** What an app runtime needs from its node. */
export interface NodeServices {
  readonly nodeId: string;
  readonly store: StateStore;
  readonly maxActors: number;
  /** Longest actor key in UTF-8 bytes (default `DEFAULT_MAX_KEY_BYTES`). */
  readonly maxKeyBytes?: number;
  readonly deadLetters: DeadLetters;
  /** The node's current epoch. */
  epoch(): number;
  /** Sends an envelope to the owner of its slot (locally or over the transport); `origin`: where it came in, if from a source. */
  route(env: Envelope, table: SlotTable, origin: Origin | undefined): void;
  /** Writes one output to a sink. */
  writeSink(sink: string, payload: Uint8Array, acceptedMs: number): void;
  /** Called after each applied event (optional observer). */
  applied?(app: string, partition: string, env: Envelope): void;
  /** Durable mode: writes outputs out before states that reflect them are stored. */
  beforeWrite?(): Promise<boolean>;
  /** A state load or write failed (it is retried; logged, rate-limited). */
  storeFailed(app: string, key: string, error: unknown): void;
  /** False while the node may not run steps (its lease ran out). */
  mayRun?(): boolean;
  /** An actor finished what was in flight (see ActorHostContext.actorIdle). */
  actorIdle?(): void;
  /** An actor was evicted over the bound (see ActorHostContext.evicted). */
  actorEvicted?(): void;
  /** Keep a hot-keys sketch per partition (default true). */
  readonly hotKeys?: boolean;
}

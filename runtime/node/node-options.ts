import type { LevelWithSilent } from "pino";
import type { Application } from "../builder/application.js";
import type { Membership } from "../cluster/membership.js";
import type { OutputFormat } from "../io/output-format.js";
import type { SinkWriter } from "../io/sink-writer.js";
import type { Logger } from "../logger.js";
import type { DeadLetter } from "../observability/dead-letters.js";
import type { StateStore } from "../state/state-store.js";
import type { EventLog } from "../state/event-log.js";
import type { Transport } from "../transport/transport.js";
import type { Address, StateMode } from "../types.js";

/** Where a sink writes: a TCP address, stdout, or a writer you provide. */
export type SinkTarget = Address | { readonly kind: "stdout"; readonly format?: OutputFormat } | SinkWriter;

/** Everything a node is made of; `Node.create` fills in defaults. */
export interface NodeOptions {
  readonly nodeId: string;
  readonly apps: readonly Application[];
  readonly transport: Transport;
  readonly membership: Membership;
  readonly store?: StateStore;
  /** The durable event log (required by `mode: "durable"`). */
  readonly eventLog?: EventLog;
  readonly mode?: StateMode;
  /** Sources this node listens on, by source name. */
  readonly sources?: Readonly<Partial<Record<string, Address>>>;
  /** Sink targets by sink name; every sink an app uses needs one. */
  readonly sinks?: Readonly<Record<string, SinkTarget>>;
  /** HTTP address for /metrics, /healthz, /readyz, /cluster. */
  readonly http?: Address;
  /** The HTTP address other machines should use (default: `http`, with 0.0.0.0 replaced by the host name). */
  readonly advertiseHttp?: string;
  /** When set, every HTTP endpoint but /healthz and /readyz needs `Authorization: Bearer <httpToken>`. */
  readonly httpToken?: string;
  readonly logger?: Logger;
  readonly logLevel?: LevelWithSilent;
  /** Active actors per state partition (LRU bound). */
  readonly maxActors?: number;
  readonly maxFrameBytes?: number;
  /** Most connections each source accepts. */
  readonly maxConnections?: number;
  /** Most connections each source accepts from one remote address. */
  readonly maxConnectionsPerAddress?: number;
  /** A source connection with no complete first frame (or hello) this long is closed. */
  readonly sourceFirstFrameTimeoutMs?: number;
  readonly batchMaxEnvelopes?: number;
  readonly batchMaxDelayMs?: number;
  /** Outbound envelopes in flight above which sources pause. */
  readonly highWaterEnvelopes?: number;
  /** Outbound bytes not yet acknowledged above which sources pause. */
  readonly highWaterBytes?: number;
  readonly handoffTimeoutMs?: number;
  /**
   * Join as `joining` while the owners pre-copy this node's future slots, then become an owner: the
   * epoch switch moves only what changed since (default false here; the CLI's `troupe node` turns it on).
   */
  readonly warmJoin?: boolean;
  /** A warm join becomes an owner after this even if not every slot is pre-copied. */
  readonly preCopyTimeoutMs?: number;
  /** Write-behind interval of dirty actor state (snapshot and durable modes). */
  readonly snapshotIntervalMs?: number;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  /** Keep a hot-keys sketch per partition for the dashboard (default true; the benchmark compares off). */
  readonly hotKeys?: boolean;
  /** Observer called as a step starts on an event, with the epoch it runs under (single-owner and order tests). */
  readonly onApplied?: (info: AppliedEvent) => void;
}

/** One applied event, as `onApplied` sees it. */
export interface AppliedEvent {
  readonly node: string;
  readonly app: string;
  readonly partition: string;
  readonly slot: number;
  readonly epoch: number;
  readonly key: string;
  readonly source: string;
  readonly seq: number;
}

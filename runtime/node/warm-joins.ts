import type { Membership, MembershipView } from "../cluster/membership.js";
import { DEFAULT_PRECOPY_MAX_STAGED_ACTORS, DEFAULT_PRECOPY_TIMEOUT_MS } from "../defaults.js";
import type { Logger } from "../logger.js";
import { CopyStaging } from "../rebalance/copy-staging.js";
import type { HandoffApp } from "../rebalance/handoff-host.js";
import { PreCopy } from "../rebalance/pre-copy.js";
import { WarmJoin } from "../rebalance/warm-join.js";
import type { Transport } from "../transport/transport.js";
import type { ControlMessage, StateMode } from "../types.js";

/** What warm joins need from their node. */
export interface WarmJoinsHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, HandoffApp>;
  readonly transport: Transport;
  readonly membership: Membership;
  readonly mode: StateMode;
  readonly timeoutMs?: number;
  readonly maxStagedActors?: number;
  mayAct(): boolean;
}

/**
 * A node's three parts of warm joins, wired together: as an owner it pre-copies slots to joining
 * members (PreCopy); as a joiner it stages what it is sent (CopyStaging) and becomes `up` once its
 * future slots are copied (WarmJoin). The node passes it the views and the pre-copy control messages.
 */
export class WarmJoins {
  readonly preCopy: PreCopy;
  readonly staging: CopyStaging;
  readonly join: WarmJoin;

  constructor(private readonly host: WarmJoinsHost) {
    this.preCopy = new PreCopy(host);
    this.staging = new CopyStaging(host.maxStagedActors ?? DEFAULT_PRECOPY_MAX_STAGED_ACTORS, host.mode === "memory");
    this.join = new WarmJoin({ ...host, timeoutMs: host.timeoutMs ?? DEFAULT_PRECOPY_TIMEOUT_MS });
  }

  /** True while this node is joining (it owns nothing yet; not ready). */
  get joining(): boolean {
    return this.join.joining;
  }

  /** After the coordinator applied `view`. */
  viewApplied(view: MembershipView): void {
    const members = new Set(view.members.map((m) => m.id));
    for (const from of this.staging.senders()) if (!members.has(from)) this.staging.forget(from);
    this.preCopy.applyView(view);
    this.join.onView(view);
  }

  /** Handles a pre-copy control message; false for any other. */
  onControl(from: string, msg: ControlMessage): boolean {
    switch (msg.type) {
      case "slot-copy": {
        const ok = this.staging.onCopy(from, msg);
        if (ok !== undefined) this.host.transport.sendControl(from, { type: "slot-copy-ack", app: msg.app, partition: msg.partition, slot: msg.slot, copy: msg.copy, round: msg.round, ok });
        return true;
      }
      case "slot-copy-ack":
        this.preCopy.onAck(from, msg);
        return true;
      case "slot-copy-cancel":
        this.staging.cancel(from, msg.app, msg.partition, msg.slot, msg.copy);
        return true;
      case "copy-ready":
        this.join.onReady(from, msg.epoch);
        return true;
      default:
        return false;
    }
  }

  /** The node fenced itself: nothing staged or copied survives it. */
  fenced(): void {
    this.staging.forget();
  }

  /** For /cluster: what was pre-copied from and to this node. */
  info(): { joining: boolean; lastJoinMs: number; timedOut: number; sent: PreCopy["stats"]; copying: number; staged: number; received: CopyStaging["stats"] } {
    return { joining: this.joining, lastJoinMs: Math.round(this.join.lastMs), timedOut: this.join.timedOut, sent: { ...this.preCopy.stats }, copying: this.preCopy.pending, staged: this.staging.actors, received: { ...this.staging.stats } };
  }

  /** Stops (the node stops). */
  close(): void {
    this.join.close();
    this.preCopy.close();
    this.staging.forget();
  }
}

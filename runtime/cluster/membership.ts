import { LifecycleError } from "../errors.js";

/**
 * Statuses of a member: `up` members own slots; `joining` members own none yet while the owners
 * pre-copy the slots they will take (see rebalance/pre-copy.ts); `leaving` members hand theirs off.
 */
export const MEMBER_STATUSES = ["joining", "up", "leaving"] as const;
/** A member's status. */
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** One node in the cluster view. */
export interface Member {
  readonly id: string;
  /** Membership sequence at which the node joined (placement order). */
  readonly joinedSeq: number;
  readonly status: MemberStatus;
  /** The node's HTTP address, if it serves one. */
  readonly http?: string;
}

/** A versioned snapshot of the cluster: each change is a new epoch. */
export interface MembershipView {
  readonly epoch: number;
  readonly members: readonly Member[];
  /**
   * The members of the view this one was changed from, where known (the view a `join` returns has
   * it): a joining node takes its slots over from their owners in that view, which may list a dead
   * earlier incarnation of itself.
   */
  readonly previous?: readonly Member[];
}

/** Membership: a versioned snapshot plus a stream of changes, in epoch order. */
export interface Membership {
  /**
   * Adds `nodeId` and resolves with the view that contains it: status `up`, or with `warm` and another
   * member up, `joining` (it owns nothing until `markUp`, while its future slots are pre-copied to it).
   */
  join(nodeId: string, info: { http?: string; warm?: boolean }): Promise<MembershipView>;
  /** A joining member becomes `up` (an owner); nothing when it is not joining. Memberships without warm joins leave it out. */
  markUp?(nodeId: string): Promise<void>;
  /** Marks `nodeId` as leaving: it keeps its membership but is given no slots. */
  markLeaving(nodeId: string): Promise<void>;
  /** Removes `nodeId` from the view. */
  leave(nodeId: string): Promise<void>;
  /** The latest view this process knows. */
  current(): MembershipView;
  /** Calls `listener` with every later view, in epoch order; returns an unsubscribe function. */
  subscribe(listener: (view: MembershipView) => void): () => void;
  /** Stops watching and heartbeating. */
  close(): Promise<void>;
  /** Calls `listener` when this node finds itself removed from the view (optional). */
  onEvicted?(listener: () => void): () => void;
  /**
   * The end of this node's ownership lease on the monotonic clock (`performance.now()`): the node may
   * run steps and write only before it. Memberships without leases (one process) leave it out.
   */
  leaseUntil?(): number;
  /** Calls `listener` with the new end of the lease each time it is renewed. */
  onLeaseRenewed?(listener: (until: number) => void): () => void;
  /** Calls `listener` when a renewal failed after the lease had run out. */
  onLeaseLost?(listener: () => void): () => void;
  /** Reads the view from the store itself: true while this node is in it as the member that joined. */
  confirmMember?(): Promise<boolean>;
}

/** The members that own slots in a view. */
export function slotOwners(view: MembershipView): Member[] {
  return view.members.filter((m) => m.status === "up");
}

/** The members that will own slots once the joining ones are up (what pre-copy aims at). */
export function futureSlotOwners(view: MembershipView): Member[] {
  return view.members.filter((m) => m.status === "up" || m.status === "joining");
}

/** A member status as stored (an unknown one reads as `up`: what nodes before `joining` existed wrote). */
export function parseMemberStatus(s: string): MemberStatus {
  return s === "leaving" || s === "joining" ? s : "up";
}

/** An async stream of the views after the current one (for `for await`). */
export async function* membershipChanges(membership: Membership, signal?: AbortSignal): AsyncGenerator<MembershipView> {
  const queue: MembershipView[] = [];
  let wake: (() => void) | undefined;
  const off = membership.subscribe((v) => {
    queue.push(v);
    wake?.();
  });
  try {
    while (!signal?.aborted) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        signal?.addEventListener("abort", () => resolve(), { once: true });
      });
      wake = undefined;
    }
  } finally {
    off();
  }
}

/** Node lifecycle states, in order. */
export const NODE_STATES = ["created", "starting", "running", "draining", "stopping", "stopped"] as const;
/** A node lifecycle state. */
export type NodeState = (typeof NODE_STATES)[number];

const LEGAL: Record<NodeState, readonly NodeState[]> = {
  created: ["starting", "stopped"],
  starting: ["running", "stopping"],
  running: ["draining", "stopping"],
  draining: ["stopping"],
  stopping: ["stopped"],
  stopped: [],
};

/** The one guard against illegal lifecycle transitions. */
export function assertTransition(from: NodeState, to: NodeState): void {
  if (!LEGAL[from].includes(to)) {
    throw new LifecycleError(`a node cannot go from "${from}" to "${to}"; legal next states: ${LEGAL[from].join(", ") || "none"}`);
  }
}

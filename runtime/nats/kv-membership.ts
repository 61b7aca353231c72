// Over 300 lines: one protocol, membership in KV (the view key by compare-and-set, watching heartbeats,
// leave intents); this node's own heartbeat and lease are heartbeat-lease.ts's, judging liveness the
// FailureDetector's, reopening watches kv-watch.ts's.
import type { NatsConnection } from "@nats-io/transport-node";
import { Kvm, type KV, type KvEntry } from "@nats-io/kv";
import { parseMemberStatus, type Member, type Membership, type MembershipView } from "../cluster/membership.js";
import { DEFAULT_FAILURE_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_LEAVE_COALESCE_MS, MEMBERSHIP_OPEN_TIMEOUT_MS } from "../defaults.js";
import { FailureDetector } from "../cluster/failure-detector.js";
import { HeartbeatLease } from "./heartbeat-lease.js";
import { watchForever } from "./kv-watch.js";
import { NatsUnavailableError } from "../errors.js";
import type { Logger } from "../logger.js";
import { clusterViewCodec, type WireMemberRecord } from "../wire/messages.js";
import { backoffDelay, backoffPolicy, sleep } from "../util/backoff.js";
import { heartbeatBucket, heartbeatKey, leaveIntentKey, LEAVE_INTENTS, viewBucket, VIEW_KEY } from "./subjects.js";

// Opening the buckets while a fresh NATS cluster elects its leaders: tried again after this, doubling.
const OPEN_RETRY = backoffPolicy({ minMs: 200, maxMs: 2_000 });

/** Options of KV membership. */
export interface KvMembershipOptions {
  readonly nc: NatsConnection;
  readonly cluster: string;
  readonly logger: Logger;
  readonly heartbeatMs?: number;
  /** A member silent this long is removed (one compare-and-set change). */
  readonly failureTimeoutMs?: number;
  /** JetStream replicas of the membership buckets (3 on a NATS cluster). */
  readonly replicas?: number;
  /** A graceful leave waits this long for others leaving at the same moment (one change for all). */
  readonly leaveCoalesceMs?: number;
}

/**
 * Membership in JetStream KV. The cluster view is one key; every change (join, leave,
 * removal of a silent member) is a compare-and-set on it, so changes are totally ordered
 * and the key's revision is the placement epoch. Liveness is a heartbeat key per node;
 * each node judges silence by its own monotonic clock, so clock skew does not matter.
 *
 * Leases: a node may act as an owner only until `leaseUntil()`, the send time of its last
 * acknowledged heartbeat plus the failure timeout less a margin, by its own monotonic clock.
 * The others remove a member only after its heartbeat has not changed for a whole failure
 * timeout by *their* clocks, read again from the bucket just before they remove it; they saw
 * that heartbeat no earlier than it was sent, so a node's lease always ends before the others
 * can have removed it, however long it was paused.
 */
export class KvMembership implements Membership {
  private view: KV | undefined;
  private beats: KV | undefined;
  private latest: MembershipView = { epoch: 0, members: [] };
  private readonly listeners = new Set<(view: MembershipView) => void>();
  private readonly evictedListeners = new Set<() => void>();
  private readonly detector: FailureDetector;
  private readonly own: HeartbeatLease;
  private readonly coalesceMs: number;
  private readonly log: Logger;
  private readonly heartbeatMs: number;
  private readonly failureMs: number;
  private nodeId: string | undefined;
  // True once a view containing this node was seen: only then does its absence mean removal.
  private member = false;
  private leaving = false;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private stopWatches: Array<() => void> = [];
  /** Members this node removed for silence. */
  removals = 0;

  constructor(private readonly options: KvMembershipOptions) {
    this.log = options.logger.child({ component: "membership" });
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.failureMs = options.failureTimeoutMs ?? DEFAULT_FAILURE_TIMEOUT_MS;
    this.coalesceMs = options.leaveCoalesceMs ?? DEFAULT_LEAVE_COALESCE_MS;
    this.detector = new FailureDetector(this.failureMs, heartbeatKey);
    this.own = new HeartbeatLease({
      heartbeatMs: this.heartbeatMs,
      // The margin covers clock rate differences and the time between the lease check and the act.
      leaseMs: this.failureMs - Math.min(this.heartbeatMs, this.failureMs / 4),
      log: this.log,
      graceAll: (now) => this.detector.graceAll(now),
    });
  }

  /** Opens (creating if needed) the buckets and starts watching the view. */
  async open(): Promise<void> {
    const kvm = new Kvm(this.options.nc);
    const replicas = this.options.replicas ?? 1;
    // A fresh NATS cluster answers before its JetStream has elected leaders: keep trying for a while.
    const deadline = performance.now() + MEMBERSHIP_OPEN_TIMEOUT_MS;
    let entry: KvEntry | null = null;
    for (let attempt = 1; ; attempt++) {
      try {
        this.view = await kvm.create(viewBucket(this.options.cluster), { history: 64, replicas });
        this.beats = await kvm.create(heartbeatBucket(this.options.cluster), { history: 1, replicas });
        entry = await this.view.get(VIEW_KEY);
        break;
      } catch (err) {
        if (performance.now() > deadline) {
          throw new NatsUnavailableError(
            `cannot open the membership buckets on NATS after ${attempt} attempts: ${(err as Error).message}. The server must run with JetStream enabled (nats-server -js)`,
            { cause: err },
          );
        }
        this.log.warn({ err: (err as Error).message, attempt }, "membership buckets not available yet; retrying");
        await sleep(backoffDelay(OPEN_RETRY, attempt - 1));
      }
    }
    if (entry && entry.operation === "PUT") this.latest = { epoch: entry.revision, members: decodeMembers(entry.value) };
    await this.watchView();
    await this.watchBeats();
  }

  async join(nodeId: string, info: { http?: string; warm?: boolean }): Promise<MembershipView> {
    this.nodeId = nodeId;
    this.leaving = false;
    this.member = false;
    const view = await this.change((members, rev) => {
      const others = members.filter((m) => m.id !== nodeId);
      // Joining (no slots yet) only where an owner can pre-copy to it; the first member owns at once.
      const status = info.warm && others.some((m) => m.status === "up") ? ("joining" as const) : ("up" as const);
      return [...others, { id: nodeId, joinedSeq: rev + 1, status, ...(info.http ? { http: info.http } : {}) }];
    });
    this.log.info({ epoch: view.epoch, members: view.members.length }, "joined");
    if (this.timers.length === 0) {
      this.timers.push(setInterval(() => void this.heartbeat(), this.heartbeatMs));
      this.timers.push(setInterval(() => void this.detect(), Math.max(50, this.heartbeatMs / 2)));
      this.timers.push(setInterval(() => void this.checkView(), Math.max(100, this.failureMs / 2)));
      for (const t of this.timers) t.unref();
    }
    await this.heartbeat();
    return view;
  }

  /**
   * Marks `nodeId` leaving. Nodes told to leave at the same moment (a scale-down stops several at
   * once) leave in one change: each posts its intent, waits `leaveCoalesceMs`, and the first to
   * change the view marks every member with a posted intent. Their slots then go only to members
   * that stay, instead of from one leaver to the next.
   */
  async markUp(nodeId: string): Promise<void> {
    // Decided on the stored view (this process's copy may be behind): the member as it joined, if still joining.
    await this.change((ms) => ms.map((m) => (m.id === nodeId && m.status === "joining" ? { ...m, status: "up" as const } : m)));
  }

  async markLeaving(nodeId: string): Promise<void> {
    this.leaving = true;
    const me = this.latest.members.find((m) => m.id === nodeId);
    if (me && me.status === "leaving") return;
    if (me && this.coalesceMs > 0) {
      await this.view!.put(leaveIntentKey(nodeId), new TextEncoder().encode(String(me.joinedSeq))).catch((err: unknown) => this.log.warn({ err: (err as Error).message }, "could not post the leave intent; leaving alone"));
      await new Promise((r) => setTimeout(r, this.coalesceMs));
    }
    const intents = await this.leaveIntents().catch(() => new Map<string, number>());
    await this.change((ms) => ms.map((m) => (m.id === nodeId || intents.get(m.id) === m.joinedSeq ? (m.status === "leaving" ? m : { ...m, status: "leaving" as const }) : m)));
  }

  async leave(nodeId: string): Promise<void> {
    this.leaving = true;
    await this.change((ms) => ms.filter((m) => m.id !== nodeId));
    await this.beats?.delete(heartbeatKey(nodeId)).catch(() => undefined);
    await this.view?.delete(leaveIntentKey(nodeId)).catch(() => undefined);
  }

  leaseUntil(): number {
    return this.own.until();
  }

  onLeaseLost(listener: () => void): () => void {
    return this.own.onLost(listener);
  }

  onLeaseRenewed(listener: (until: number) => void): () => void {
    return this.own.onRenewed(listener);
  }

  async confirmMember(): Promise<boolean> {
    const entry = await this.view!.get(VIEW_KEY);
    if (!entry || entry.operation !== "PUT") return false;
    const members = decodeMembers(entry.value);
    const mine = this.latest.members.find((m) => m.id === this.nodeId);
    const there = members.find((m) => m.id === this.nodeId);
    return there !== undefined && (mine === undefined || mine.joinedSeq === there.joinedSeq);
  }

  // Members with a posted leave intent, by id, with the join sequence they posted it under.
  private async leaveIntents(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const keys: string[] = [];
    for await (const k of await this.view!.keys(`${LEAVE_INTENTS}.>`)) keys.push(k);
    await Promise.all(
      keys.map(async (k) => {
        const e = await this.view!.get(k);
        if (e && e.operation === "PUT") out.set(k.slice(LEAVE_INTENTS.length + 1), Number(new TextDecoder().decode(e.value)));
      }),
    );
    return out;
  }

  current(): MembershipView {
    return this.latest;
  }

  subscribe(listener: (view: MembershipView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` when this node finds itself removed from the view, or cannot renew its liveness in time. */
  onEvicted(listener: () => void): () => void {
    this.evictedListeners.add(listener);
    return () => this.evictedListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const stop of this.stopWatches) stop();
  }

  /** Applies `mutate` to the view with compare-and-set, retrying on conflict. */
  private async change(mutate: (members: Member[], revision: number) => Member[]): Promise<MembershipView> {
    const kv = this.view!;
    for (let attempt = 0; ; attempt++) {
      const entry = await kv.get(VIEW_KEY);
      const rev = entry?.revision ?? 0;
      const current = entry && entry.operation === "PUT" ? decodeMembers(entry.value) : [];
      const next = mutate(current, rev);
      if (entry && sameMembers(current, next)) return { epoch: rev, members: current }; // nothing to change
      const bytes = clusterViewCodec.encode({ members: next.map(toRecord) });
      try {
        const epoch = entry ? await kv.update(VIEW_KEY, bytes, rev) : await kv.create(VIEW_KEY, bytes);
        const view = { epoch, members: next, previous: current };
        this.publish(view);
        return view;
      } catch (err) {
        if (attempt > 50) throw new NatsUnavailableError(`membership change failed after ${attempt} attempts: ${(err as Error).message}`, { cause: err });
        // Another node changed the view first: read it again and reapply.
        await new Promise((r) => setTimeout(r, Math.random() * 20));
      }
    }
  }

  private publish(view: MembershipView): void {
    if (view.epoch <= this.latest.epoch) return;
    const before = new Map(this.latest.members.map((m) => [m.id, m.joinedSeq]));
    this.latest = view;
    this.detector.viewChanged(view.members, before, performance.now());
    for (const l of [...this.listeners]) l(view);
    const present = this.nodeId !== undefined && view.members.some((m) => m.id === this.nodeId);
    if (present) this.member = true;
    else if (this.member && !this.leaving && !this.closed) {
      this.member = false;
      this.log.warn({ node: this.nodeId, epoch: view.epoch }, "this node was removed from the cluster view");
      for (const l of [...this.evictedListeners]) l();
    }
  }

  private async watchView(): Promise<void> {
    this.stopWatches.push(await watchForever("view", () => this.view!.watch({ key: VIEW_KEY }), this.log, (e) => {
      if (e.operation !== "PUT") return;
      try {
        this.publish({ epoch: e.revision, members: decodeMembers(e.value) });
      } catch (err) {
        this.log.error({ err }, "bad cluster view record");
      }
    }));
  }

  private async watchBeats(): Promise<void> {
    // Judged by our own clock: when did we last see each node's heartbeat change?
    this.stopWatches.push(await watchForever("heartbeats", () => this.beats!.watch(), this.log, (e) => {
      if (e.operation === "PUT") this.detector.beat(e.key, e.revision, performance.now());
    }));
  }

  // Reads the view itself now and then: a change a watch missed is still seen within a failure timeout.
  private async checkView(): Promise<void> {
    if (this.closed) return;
    try {
      const e = await this.view!.get(VIEW_KEY);
      if (e && e.operation === "PUT" && e.revision > this.latest.epoch) {
        this.log.warn({ epoch: e.revision, known: this.latest.epoch }, "a view change the watch did not deliver; applying it");
        this.publish({ epoch: e.revision, members: decodeMembers(e.value) });
      }
    } catch {
      // NATS away: the next check, or the watch, catches up.
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.closed || !this.nodeId) return;
    await this.own.renew(this.beats!, heartbeatKey(this.nodeId));
  }

  private async detect(): Promise<void> {
    if (this.closed || !this.nodeId) return;
    // A node that cannot renew its own heartbeat must not judge others: it is the one cut off.
    if (this.own.cutOff()) return;
    const suspects = this.detector.suspects(this.latest.members, this.nodeId, performance.now());
    if (suspects.length === 0) return;
    try {
      // Read each suspect's heartbeat again: one that moved (its update has not reached our watch
      // yet) is alive. A member is removed only for a heartbeat unchanged for a failure timeout.
      const dead = new Map<string, number>();
      for (const m of suspects) {
        const e = await this.beats!.get(heartbeatKey(m.id));
        if (this.detector.stillSilent(m.id, e && e.operation === "PUT" ? e.revision : undefined, performance.now())) dead.set(m.id, m.joinedSeq);
      }
      if (dead.size === 0) return;
      let removed: string[] = [];
      // By id and join sequence: a member that rejoined meanwhile is another member, not removed.
      await this.change((ms) => {
        removed = ms.filter((m) => dead.get(m.id) === m.joinedSeq).map((m) => m.id);
        return ms.filter((m) => dead.get(m.id) !== m.joinedSeq);
      });
      if (removed.length) {
        this.removals++;
        this.log.warn({ removed, silentForMs: this.failureMs }, "removed silent members");
      }
      for (const id of removed) this.detector.forget(id);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "could not remove silent members; will retry");
    }
  }
}

function sameMembers(a: readonly Member[], b: readonly Member[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]!.id && m.joinedSeq === b[i]!.joinedSeq && m.status === b[i]!.status && m.http === b[i]!.http);
}

function toRecord(m: Member): WireMemberRecord {
  return { nodeId: m.id, joinedSeq: m.joinedSeq, status: m.status, heartbeatMs: 0, http: m.http ?? "", incarnation: "" };
}

function decodeMembers(bytes: Uint8Array): Member[] {
  return (clusterViewCodec.decode(bytes).members ?? []).map((r) => ({
    id: r.nodeId,
    joinedSeq: r.joinedSeq,
    status: parseMemberStatus(r.status),
    ...(r.http ? { http: r.http } : {}),
  }));
}

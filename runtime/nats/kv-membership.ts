import type { NatsConnection } from "@nats-io/transport-node";
import { Kvm, type KV } from "@nats-io/kv";
import type { Member, Membership, MembershipView } from "../cluster/membership.js";
import { DEFAULT_FAILURE_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS } from "../defaults.js";
import { NatsUnavailableError } from "../errors.js";
import type { Logger } from "../logger.js";
import { clusterViewCodec, type WireMemberRecord } from "../wire/messages.js";
import { heartbeatBucket, heartbeatKey, viewBucket, VIEW_KEY } from "./subjects.js";

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
}

/**
 * Membership in JetStream KV. The cluster view is one key; every change (join, leave,
 * removal of a silent member) is a compare-and-set on it, so changes are totally ordered
 * and the key's revision is the placement epoch. Liveness is a heartbeat key per node;
 * each node judges silence by its own monotonic clock, so clock skew does not matter.
 */
export class KvMembership implements Membership {
  private view: KV | undefined;
  private beats: KV | undefined;
  private latest: MembershipView = { epoch: 0, members: [] };
  private readonly listeners = new Set<(view: MembershipView) => void>();
  private readonly evictedListeners = new Set<() => void>();
  private readonly lastSeen = new Map<string, number>();
  private readonly log: Logger;
  private readonly heartbeatMs: number;
  private readonly failureMs: number;
  private nodeId: string | undefined;
  // True once a view containing this node was seen: only then does its absence mean removal.
  private member = false;
  private leaving = false;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private lastBeatOk = performance.now();
  private beat = 0;
  private stopWatches: Array<() => void> = [];
  /** Members this node removed for silence. */
  removals = 0;

  constructor(private readonly options: KvMembershipOptions) {
    this.log = options.logger.child({ component: "membership" });
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.failureMs = options.failureTimeoutMs ?? DEFAULT_FAILURE_TIMEOUT_MS;
  }

  /** Opens (creating if needed) the buckets and starts watching the view. */
  async open(): Promise<void> {
    const kvm = new Kvm(this.options.nc);
    try {
      const replicas = this.options.replicas ?? 1;
      this.view = await kvm.create(viewBucket(this.options.cluster), { history: 64, replicas });
      this.beats = await kvm.create(heartbeatBucket(this.options.cluster), { history: 1, replicas });
    } catch (err) {
      throw new NatsUnavailableError(
        `cannot open the membership buckets on NATS: ${(err as Error).message}. The server must run with JetStream enabled (nats-server -js)`,
        { cause: err },
      );
    }
    const entry = await this.view.get(VIEW_KEY);
    if (entry && entry.operation === "PUT") this.latest = { epoch: entry.revision, members: decodeMembers(entry.value) };
    await this.watchView();
    await this.watchBeats();
  }

  async join(nodeId: string, info: { http?: string }): Promise<MembershipView> {
    this.nodeId = nodeId;
    this.leaving = false;
    this.member = false;
    const view = await this.change((members, rev) => [
      ...members.filter((m) => m.id !== nodeId),
      { id: nodeId, joinedSeq: rev + 1, status: "up" as const, ...(info.http ? { http: info.http } : {}) },
    ]);
    this.log.info({ epoch: view.epoch, members: view.members.length }, "joined");
    if (this.timers.length === 0) {
      this.timers.push(setInterval(() => void this.heartbeat(), this.heartbeatMs));
      this.timers.push(setInterval(() => void this.detect(), Math.max(50, this.heartbeatMs / 2)));
      for (const t of this.timers) t.unref();
    }
    await this.heartbeat();
    return view;
  }

  async markLeaving(nodeId: string): Promise<void> {
    this.leaving = true;
    await this.change((ms) => ms.map((m) => (m.id === nodeId ? { ...m, status: "leaving" as const } : m)));
  }

  async leave(nodeId: string): Promise<void> {
    this.leaving = true;
    await this.change((ms) => ms.filter((m) => m.id !== nodeId));
    await this.beats?.delete(heartbeatKey(nodeId)).catch(() => undefined);
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
      const bytes = clusterViewCodec.encode({ members: next.map(toRecord) });
      try {
        const epoch = entry ? await kv.update(VIEW_KEY, bytes, rev) : await kv.create(VIEW_KEY, bytes);
        const view = { epoch, members: next };
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
    // A member that (re)joined gets a fresh grace period: a last-seen time left over from an earlier
    // process with the same id must not get the new one removed before its first heartbeat arrives.
    const now = performance.now();
    for (const m of view.members) if (before.get(m.id) !== m.joinedSeq || !this.lastSeen.has(heartbeatKey(m.id))) this.lastSeen.set(heartbeatKey(m.id), now);
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
    const it = await this.view!.watch({ key: VIEW_KEY });
    this.stopWatches.push(() => it.stop());
    void (async () => {
      for await (const e of it) {
        if (e.operation !== "PUT") continue;
        try {
          this.publish({ epoch: e.revision, members: decodeMembers(e.value) });
        } catch (err) {
          this.log.error({ err }, "bad cluster view record");
        }
      }
    })();
  }

  private async watchBeats(): Promise<void> {
    const it = await this.beats!.watch();
    this.stopWatches.push(() => it.stop());
    void (async () => {
      for await (const e of it) {
        // Judged by our own clock: when did we last see this node's heartbeat change?
        if (e.operation === "PUT") this.lastSeen.set(e.key, performance.now());
      }
    })();
  }

  private async heartbeat(): Promise<void> {
    if (this.closed || !this.nodeId) return;
    try {
      await this.beats!.put(heartbeatKey(this.nodeId), new TextEncoder().encode(String(++this.beat)));
      this.lastBeatOk = performance.now();
    } catch (err) {
      const silent = performance.now() - this.lastBeatOk;
      this.log.warn({ err: (err as Error).message, silentMs: Math.round(silent) }, "heartbeat failed");
      if (silent > this.failureMs && !this.leaving) {
        this.log.warn("cannot renew liveness in time; others may remove this node");
        for (const l of [...this.evictedListeners]) l();
      }
    }
  }

  private async detect(): Promise<void> {
    if (this.closed || !this.nodeId) return;
    // A node that cannot renew its own heartbeat must not judge others: it is the one cut off.
    if (performance.now() - this.lastBeatOk > this.heartbeatMs * 2) return;
    const now = performance.now();
    const dead = this.latest.members.filter((m) => m.id !== this.nodeId && now - (this.lastSeen.get(heartbeatKey(m.id)) ?? now) > this.failureMs);
    if (dead.length === 0) return;
    const ids = new Set(dead.map((m) => m.id));
    try {
      let removed: string[] = [];
      await this.change((ms) => {
        removed = ms.filter((m) => ids.has(m.id)).map((m) => m.id);
        return ms.filter((m) => !ids.has(m.id));
      });
      if (removed.length) {
        this.removals++;
        this.log.warn({ removed, silentForMs: this.failureMs }, "removed silent members");
      }
      for (const id of ids) {
        this.lastSeen.delete(heartbeatKey(id));
        await this.beats!.delete(heartbeatKey(id)).catch(() => undefined);
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "could not remove silent members; will retry");
    }
  }
}

function toRecord(m: Member): WireMemberRecord {
  return { nodeId: m.id, joinedSeq: m.joinedSeq, status: m.status, heartbeatMs: 0, http: m.http ?? "", incarnation: "" };
}

function decodeMembers(bytes: Uint8Array): Member[] {
  return (clusterViewCodec.decode(bytes).members ?? []).map((r) => ({
    id: r.nodeId,
    joinedSeq: r.joinedSeq,
    status: r.status === "leaving" ? ("leaving" as const) : ("up" as const),
    ...(r.http ? { http: r.http } : {}),
  }));
}

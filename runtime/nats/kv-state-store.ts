import type { NatsConnection } from "@nats-io/transport-node";
import { Kvm, type KV } from "@nats-io/kv";
import type { Application } from "../builder/application.js";
import type { Codec } from "../builder/specs.js";
import { FencedError, StateStoreError } from "../errors.js";
import type { StateStore, StoredActor } from "../state/state-store.js";
import { storedStateCodec } from "../wire/messages.js";
import { JetStreamPublisher, JetStreamPublishError, WRONG_LAST_SEQUENCE } from "./jetstream-publisher.js";
import { kvKeySubject, stateBucket } from "./subjects.js";

/** Options of the JetStream KV state store. */
export interface KvStateStoreOptions {
  readonly nc: NatsConnection;
  readonly cluster: string;
  readonly replicas?: number;
  /** The owner epoch recorded with each write. */
  readonly epoch?: () => number;
}

/**
 * Actor state in JetStream KV: a bucket per app and state partition, keys `<slot>.<key>`.
 * Every write is a compare-and-set on the revision this process last saw for the key
 * (create when it saw none), so a writer that lost the key to a newer owner fails with
 * `FencedError` instead of overwriting it.
 */
export class KvStateStore implements StateStore {
  readonly kind = "jetstream-kv" as const;
  private readonly buckets = new Map<string, Promise<KV>>();
  private readonly revisions = new Map<string, number>();
  private codecs = new Map<string, Codec<unknown>>();
  // The last write per key: writes of one key run one after another, each with the revision the previous left.
  private readonly writing = new Map<string, Promise<void>>();
  /** Writes and reads so far, and writes rejected by compare-and-set. */
  readonly stats = { reads: 0, writes: 0, fenced: 0 };

  // State writes are conditional publishes to the bucket's subjects, pipelined (what `kv.update` does, without a request each).
  private readonly publisher: JetStreamPublisher;

  constructor(private readonly options: KvStateStoreOptions) {
    this.publisher = new JetStreamPublisher(options.nc);
  }

  /** Learns the state codecs of the apps this node runs. */
  attach(apps: readonly Application[]): void {
    for (const app of apps) for (const p of app.partitions) this.codecs.set(`${app.name}\u0000${p.name}`, p.state.codec);
  }

  async load(app: string, partition: string, slot: number, key: string): Promise<unknown> {
    return (await this.loadEntry(app, partition, slot, key))?.state;
  }

  async loadEntry(app: string, partition: string, slot: number, key: string): Promise<StoredActor | undefined> {
    const kv = await this.bucket(app, partition);
    const k = kvKey(slot, key);
    this.stats.reads++;
    const e = await kv.get(k);
    const id = revId(app, partition, k);
    if (!e || e.operation !== "PUT") {
      this.revisions.set(id, e?.revision ?? 0);
      return undefined;
    }
    this.revisions.set(id, e.revision);
    const stored = storedStateCodec.decode(e.value);
    return { state: this.codec(app, partition).decode(stored.state), seq: stored.appliedSeq };
  }

  save(app: string, partition: string, slot: number, key: string, state: unknown, seq = 0): Promise<void> {
    return this.saveEncoded(app, partition, slot, key, this.codec(app, partition).encode(state), seq);
  }

  saveEncoded(app: string, partition: string, slot: number, key: string, bytes: Uint8Array, seq: number): Promise<void> {
    const id = revId(app, partition, kvKey(slot, key));
    const prev = this.writing.get(id) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.write(app, partition, slot, key, bytes, seq));
    this.writing.set(id, next);
    void next.finally(() => {
      if (this.writing.get(id) === next) this.writing.delete(id);
    }).catch(() => undefined);
    return next;
  }

  private async write(app: string, partition: string, slot: number, key: string, state: Uint8Array, seq: number): Promise<void> {
    await this.bucket(app, partition); // created (or checked) once; writes go straight to its subjects
    const k = kvKey(slot, key);
    const id = revId(app, partition, k);
    const bytes = storedStateCodec.encode({ state, ownerEpoch: this.options.epoch?.() ?? 0, appliedSeq: seq });
    const seen = this.revisions.get(id);
    this.stats.writes++;
    try {
      // Unknown revision: we never read the key (a fresh actor), so nobody else may have written it.
      const rev = await this.publisher.publish(kvKeySubject(stateBucket(this.options.cluster, app, partition), k), bytes, seen ?? 0);
      this.revisions.set(id, rev);
    } catch (err) {
      if (err instanceof JetStreamPublishError && err.code === WRONG_LAST_SEQUENCE) {
        this.stats.fenced++;
        this.revisions.delete(id);
        throw new FencedError(`state write for ${app}/${partition} key "${key}" rejected: another owner wrote it since this node read it (stale owner); the write is dropped`, { cause: err });
      }
      throw new StateStoreError(`state write for ${app}/${partition} key "${key}" failed: ${(err as Error).message}; is JetStream reachable?`, { cause: err });
    }
  }

  /** KV state is not handed over by the old owner: the new owner reads it from the bucket. */
  takeSlot(): Array<[string, unknown]> {
    return [];
  }

  /** Forgets the revisions of a slot this node no longer owns (its next owner writes them). */
  forgetSlot(app: string, partition: string, slot: number): void {
    const prefix = revId(app, partition, `${slot}.`);
    for (const id of this.revisions.keys()) if (id.startsWith(prefix)) this.revisions.delete(id);
  }

  async close(): Promise<void> {
    this.publisher.close();
    this.revisions.clear();
  }

  private codec(app: string, partition: string): Codec<unknown> {
    const c = this.codecs.get(`${app}\u0000${partition}`);
    if (!c) throw new StateStoreError(`no state codec for ${app}/${partition}: the store was not attached to this app`);
    return c;
  }

  private bucket(app: string, partition: string): Promise<KV> {
    const name = stateBucket(this.options.cluster, app, partition);
    let b = this.buckets.get(name);
    if (!b) {
      b = new Kvm(this.options.nc).create(name, { history: 1, replicas: this.options.replicas ?? 1 }).catch((err: unknown) => {
        this.buckets.delete(name);
        throw new StateStoreError(`cannot open state bucket ${name}: ${(err as Error).message}. JetStream must be enabled (nats-server -js)`, { cause: err });
      });
      this.buckets.set(name, b);
    }
    return b;
  }
}

// KV keys allow [-/_=.a-zA-Z0-9]: actor keys are base64url-encoded after their slot.
function kvKey(slot: number, key: string): string {
  return `${slot}.${Buffer.from(key, "utf8").toString("base64url") || "_"}`;
}

function revId(app: string, partition: string, k: string): string {
  return `${app}\u0000${partition}\u0000${k}`;
}

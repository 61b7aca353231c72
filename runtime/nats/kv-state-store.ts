import type { NatsConnection } from "@nats-io/transport-node";
import { Kvm, type KV } from "@nats-io/kv";
import type { Application } from "../builder/application.js";
import type { Codec } from "../builder/specs.js";
import { FencedError, LeaseExpiredError, StateStoreError, StateTooLargeError } from "../errors.js";
import type { StateStore, StoredActor } from "../state/state-store.js";
import { storedStateCodec, type WireStoredState } from "../wire/messages.js";
import { isWrongLastSequence, PAYLOAD_TOO_LARGE } from "./jetstream-codes.js";
import { JetStreamPublisher, JetStreamPublishError } from "./jetstream-publisher.js";
import { KvReader, type KvRead } from "./kv-reader.js";
import { actorStateKey, kvKeySubject, stateBucket } from "./subjects.js";

/** Options of the JetStream KV state store. */
export interface KvStateStoreOptions {
  readonly nc: NatsConnection;
  readonly cluster: string;
  readonly replicas?: number;
  /** The owner epoch recorded with each write. */
  readonly epoch?: () => number;
  /** False while this node's lease is out: it must not write (fencing). */
  readonly mayWrite?: () => boolean;
  /** This process as a writer (node id and incarnation): a refused write finds its own earlier one by it. */
  readonly writer?: string;
}

// A write refused because the key moved on is read again and, when the stored value is an older
// owner's, written again on the fresh revision; this many times at most.
const MAX_REAPPLY = 3;

/**
 * Actor state in JetStream KV: a bucket per app and state partition, keys `<slot>.<key>` (long keys
 * hashed, see `actorStateKey`). The caller keeps each key's revision (an actor holds the revision it
 * read or last wrote) so this store keeps nothing per key. Every write is a compare-and-set on that
 * revision; when it is refused the store reads the key: this process's own earlier write (whose answer
 * was lost) or a value written under an older owner epoch (a stale owner's late write) is overwritten;
 * another writer's value of this epoch or a newer one means this node is the stale owner (`FencedError`).
 */
export class KvStateStore implements StateStore {
  readonly kind = "jetstream-kv" as const;
  // Per app and partition: its bucket's name, made once (a write named it twice, four regex replaces),
  // and whether it is open (a write then goes straight on, without awaiting an open).
  private readonly buckets = new Map<string, Map<string, BucketRef>>();
  private codecs = new Map<string, Codec<unknown>>();
  /** Writes and reads so far, writes refused by compare-and-set, writes re-applied after a refusal, and fenced writes. */
  readonly stats = { reads: 0, writes: 0, conflicts: 0, reapplied: 0, fenced: 0 };

  // State writes are conditional publishes to the bucket's subjects, pipelined (what `kv.update` does, without a request each).
  private readonly publisher: JetStreamPublisher;

  // ... and reads are pipelined direct gets (what `kv.get` does, without a request each).
  private readonly reader: KvReader;

  constructor(private readonly options: KvStateStoreOptions) {
    this.publisher = new JetStreamPublisher(options.nc);
    this.reader = new KvReader(options.nc);
  }

  /** Learns the state codecs of the apps this node runs. */
  attach(apps: readonly Application[]): void {
    for (const app of apps) for (const p of app.partitions) this.codecs.set(`${app.name}\u0000${p.name}`, p.state.codec);
  }

  async load(app: string, partition: string, slot: number, key: string): Promise<unknown> {
    return (await this.loadEntry(app, partition, slot, key))?.state;
  }

  async loadEntry(app: string, partition: string, slot: number, key: string): Promise<StoredActor | undefined> {
    const b = this.bucket(app, partition);
    if (!b.ready) await this.open(b);
    this.stats.reads++;
    const e = await this.reader.get(b.name, actorStateKey(slot, key));
    const stored = decodeEntry(e, key);
    if (!stored) return e ? { state: undefined, seq: 0, revision: e.revision } : undefined;
    return { state: this.codec(app, partition).decode(stored.state), seq: stored.appliedSeq, revision: e!.revision };
  }

  async save(app: string, partition: string, slot: number, key: string, state: unknown, seq = 0): Promise<void> {
    await this.saveEncoded(app, partition, slot, key, this.codec(app, partition).encode(state), seq, undefined);
  }

  async saveEncoded(app: string, partition: string, slot: number, key: string, state: Uint8Array, seq: number, revision: number | undefined): Promise<number> {
    const b = this.bucket(app, partition);
    if (!b.ready) await this.open(b); // created (or checked) once; writes go straight to its subjects
    const k = actorStateKey(slot, key);
    const subject = kvKeySubject(b.name, k);
    const epoch = this.options.epoch?.() ?? 0;
    const writer = this.options.writer ?? "";
    const bytes = storedStateCodec.encode({ state, ownerEpoch: epoch, appliedSeq: seq, key, writer });
    let expected = revision ?? 0;
    for (let attempt = 0; ; attempt++) {
      if (this.options.mayWrite && !this.options.mayWrite()) {
        throw new LeaseExpiredError(`state write for ${app}/${partition} key "${abbrev(key)}" held back: this node's lease ran out (it could not renew its heartbeat); it writes again once renewed`);
      }
      this.stats.writes++;
      try {
        // Revision 0: the writer never read the key (a fresh actor), so nobody else may have written it.
        return await this.publisher.publish(subject, bytes, expected);
      } catch (err) {
        if (err instanceof JetStreamPublishError && err.code === PAYLOAD_TOO_LARGE) {
          throw new StateTooLargeError(`the state of ${app}/${partition} key "${abbrev(key)}" is ${bytes.length} bytes, over the NATS server's max_payload: it cannot be stored (raise max_payload or keep less state per key); it stays in memory`, { cause: err });
        }
        if (!(err instanceof JetStreamPublishError && isWrongLastSequence(err.code))) {
          throw new StateStoreError(`state write for ${app}/${partition} key "${abbrev(key)}" failed: ${(err as Error).message}; is JetStream reachable?`, { cause: err });
        }
        this.stats.conflicts++;
        // Read the key again: whose value is there now?
        const current = await this.reader.get(b.name, k);
        const stored = decodeEntry(current, key);
        const ours = stored !== undefined && writer !== "" && stored.writer === writer;
        if (attempt < MAX_REAPPLY && (!stored || ours || (stored.ownerEpoch < epoch && stored.appliedSeq <= seq))) {
          // Deleted, this process's own earlier write (its answer was lost), or an older owner's late
          // write: this node owns the key now, and its state is the newest.
          this.stats.reapplied++;
          expected = current?.revision ?? 0;
          continue;
        }
        this.stats.fenced++;
        throw new FencedError(
          `state write for ${app}/${partition} key "${abbrev(key)}" refused: the store holds a write of owner epoch ${stored?.ownerEpoch ?? "?"} (this node: ${epoch}); this node is a stale owner and drops its copy`,
          { cause: err },
        );
      }
    }
  }

  /** KV state is not handed over by the old owner: the new owner reads it from the bucket. */
  takeSlot(): Array<[string, unknown]> {
    return [];
  }

  async close(): Promise<void> {
    this.publisher.close();
    this.reader.close();
  }

  private codec(app: string, partition: string): Codec<unknown> {
    const c = this.codecs.get(`${app}\u0000${partition}`);
    if (!c) throw new StateStoreError(`no state codec for ${app}/${partition}: the store was not attached to this app`);
    return c;
  }

  private bucket(app: string, partition: string): BucketRef {
    let byPartition = this.buckets.get(app);
    if (!byPartition) this.buckets.set(app, (byPartition = new Map()));
    let b = byPartition.get(partition);
    if (!b) byPartition.set(partition, (b = { name: stateBucket(this.options.cluster, app, partition), opening: undefined, ready: false }));
    return b;
  }

  // Creates (or checks) the bucket once; a failed open is tried again by the next read or write.
  private open(b: BucketRef): Promise<KV> {
    b.opening ??= new Kvm(this.options.nc).create(b.name, { history: 1, replicas: this.options.replicas ?? 1 }).then(
      (kv) => {
        b.ready = true;
        return kv;
      },
      (err: unknown) => {
        b.opening = undefined;
        throw new StateStoreError(`cannot open state bucket ${b.name}: ${(err as Error).message}. JetStream must be enabled (nats-server -js)`, { cause: err });
      },
    );
    return b.opening;
  }
}

interface BucketRef {
  readonly name: string;
  opening: Promise<KV> | undefined;
  ready: boolean;
}

// The stored record of an entry (undefined for a missing or deleted key); a hashed key's record must name the key.
function decodeEntry(e: KvRead | null, key: string): WireStoredState | undefined {
  if (!e || e.operation !== "PUT") return undefined;
  const stored = storedStateCodec.decode(e.value);
  if (stored.key && stored.key !== key) {
    throw new StateStoreError(`the state stored under the hash of key "${abbrev(key)}" belongs to key "${abbrev(stored.key)}" (a SHA-256 collision); refusing to use it`);
  }
  return stored;
}

function abbrev(key: string): string {
  return key.length <= 80 ? key : `${key.slice(0, 60)}... (${key.length} chars)`;
}

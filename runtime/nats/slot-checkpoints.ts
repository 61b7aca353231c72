import type { NatsConnection } from "@nats-io/transport-node";
import type { JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { EventLogError } from "../errors.js";
import type { SlotRef } from "../state/event-log.js";
import { slotCheckpointCodec } from "../wire/messages.js";
import type { EventLogStats } from "./event-log-shared.js";
import { eventStream, offsetBucket } from "./subjects.js";

/**
 * Slot checkpoints (a KV bucket per app, keys `<partition>.<slot>`) and the retention they allow:
 * every event of a slot at or below its checkpoint is in the stored actor states, so the stream
 * below the oldest checkpoint can go.
 */
export class SlotCheckpoints {
  private readonly buckets = new Map<string, KV>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly cluster: string,
    private readonly replicas: number,
    private readonly stats: EventLogStats,
  ) {}

  /** Creates (or opens) the checkpoint bucket of `app`. */
  async open(app: string): Promise<void> {
    this.buckets.set(app, await new Kvm(this.nc).create(offsetBucket(this.cluster, app), { history: 1, replicas: this.replicas }));
  }

  /** A slot's checkpoint offset (0 when it has none). */
  async get(ref: SlotRef): Promise<number> {
    const e = await this.kv(ref.app).get(`${ref.partition}.${ref.slot}`);
    if (!e || e.operation !== "PUT") return 0;
    return slotCheckpointCodec.decode(e.value).seq;
  }

  /** Records a slot's checkpoint offset, with the owner epoch and node that took it. */
  async save(ref: SlotRef, offset: number, epoch: number, nodeId: string): Promise<void> {
    await this.kv(ref.app).put(`${ref.partition}.${ref.slot}`, slotCheckpointCodec.encode({ seq: offset, ownerEpoch: epoch, nodeId }));
    this.stats.checkpoints++;
  }

  /** Every slot checkpoint of an app, by `<partition>.<slot>`. */
  async all(app: string): Promise<Map<string, number>> {
    const kv = this.kv(app);
    const out = new Map<string, number>();
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    await Promise.all(
      keys.map(async (k) => {
        const e = await kv.get(k);
        if (e && e.operation === "PUT") out.set(k, slotCheckpointCodec.decode(e.value).seq);
      }),
    );
    return out;
  }

  /** Removes the app's stream messages below sequence `seq`; returns how many. */
  async trim(jsm: JetStreamManager, app: string, seq: number): Promise<number> {
    const r = await jsm.streams.purge(eventStream(this.cluster, app), { seq });
    this.stats.trims++;
    this.stats.trimmed += r.purged;
    return r.purged;
  }

  private kv(app: string): KV {
    const kv = this.buckets.get(app);
    if (!kv) throw new EventLogError(`app "${app}" has no event stream on this node; was it registered?`);
    return kv;
  }
}

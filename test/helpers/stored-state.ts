import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { stateBucket } from "../../runtime/nats/subjects.js";
import { storedStateCodec } from "../../runtime/wire/messages.js";
import type { Codec } from "../../runtime/builder/specs.js";

/** Every actor state stored in one partition's KV bucket, by actor key (read straight from NATS, as an outside checker would). */
export async function readStoredStates<S>(url: string, cluster: string, app: string, partition: string, codec: Codec<S>): Promise<Map<string, { state: S; ownerEpoch: number; appliedSeq: number }>> {
  const nc = await connect({ servers: url });
  try {
    const kv = await new Kvm(nc).open(stateBucket(cluster, app, partition));
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    const out = new Map<string, { state: S; ownerEpoch: number; appliedSeq: number }>();
    for (const k of keys) {
      const e = await kv.get(k);
      if (!e || e.operation !== "PUT") continue;
      const stored = storedStateCodec.decode(e.value);
      const key = stored.key || Buffer.from(k.slice(k.indexOf(".") + 1), "base64url").toString("utf8");
      out.set(key, { state: codec.decode(stored.state), ownerEpoch: stored.ownerEpoch, appliedSeq: stored.appliedSeq });
    }
    return out;
  } finally {
    await nc.close();
  }
}

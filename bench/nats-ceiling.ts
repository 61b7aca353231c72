// The raw NATS pub/sub ceiling with the same client and message sizes the cluster uses.
import { connect } from "@nats-io/transport-node";
import { nodeMessageCodec } from "../runtime/wire/messages.js";
import { clickCodec } from "../apps/loyalty/messages.js";

/** The encoded size of one loyalty click as an envelope in a node message, and of a batch of `n`. */
export function envelopeSizes(n: number): { single: number; batch: number } {
  const payload = clickCodec.encode({ clickId: "click-123456", customerId: "cust-12345", adId: "ad-42", tsMs: 1_700_000_123_456 });
  const env = { app: "loyalty", stage: 1, slot: 200, key: "cust-12345", payload, epoch: 7, source: "node-1/clicks/3", seq: 123456, hops: 0, acceptedMs: 1_700_000_000_000.5 };
  const one = nodeMessageCodec.encode({ from: "node-1", incarnation: "abcdefghij", seq: 99, batch: { envelopes: [env] } });
  const many = nodeMessageCodec.encode({ from: "node-1", incarnation: "abcdefghij", seq: 99, batch: { envelopes: Array.from({ length: n }, () => env) } });
  return { single: one.length, batch: many.length };
}

/** Publishes `messages` messages of `size` bytes from one connection to a subscriber on another; messages/s received. */
export async function natsCeiling(url: string, size: number, messages: number): Promise<number> {
  const pub = await connect({ servers: url });
  const sub = await connect({ servers: url });
  const subject = `bench.ceiling.${size}`;
  let received = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  sub.subscribe(subject, {
    callback: () => {
      if (++received === messages) resolveDone();
    },
  });
  await sub.flush();
  const data = new Uint8Array(size);
  const t0 = performance.now();
  for (let i = 0; i < messages; i++) {
    pub.publish(subject, data);
    // Let the socket drain now and then, as the transport does between turns.
    if (i % 1000 === 999) await pub.flush();
  }
  await pub.flush();
  await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
  const seconds = (performance.now() - t0) / 1000;
  await pub.close();
  await sub.close();
  return received / seconds;
}

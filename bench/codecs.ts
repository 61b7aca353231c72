// The wire codecs side by side on the hot message, a batch of envelopes between nodes: the hand-written
// batch codec (what nodes use), the static code generated from proto/ (what they used before, and what
// every other message uses), and protobufjs reflection over the same .proto (what apps without
// generated code use).
import protobuf from "protobufjs/minimal.js";
import { loadProto } from "../runtime/wire/proto-root.js";
import { generatedNodeMessageCodec, nodeMessageCodec, type WireEnvelope } from "../runtime/wire/messages.js";
import { troupe } from "../runtime/wire/generated/runtime.js";
import { loyalty } from "../runtime/wire/generated/loyalty.js";
import { utf8 } from "../runtime/wire/utf8.js";

/** Encodes and decodes per second of a 256-envelope batch: hand-written, static code and reflection. */
export interface CodecFigures {
  readonly bytes: number;
  readonly handEncode: number;
  readonly handDecode: number;
  readonly staticEncode: number;
  readonly staticDecode: number;
  readonly reflectEncode: number;
  readonly reflectDecode: number;
  /** The static code's encodes per second through its writer (FastWriter) and through protobufjs's: the batch, and one loyalty email (the app's output). */
  readonly writer: { batchFast: number; batchProtobufjs: number; emailFast: number; emailProtobufjs: number };
  /** Reads per second of 64 short ASCII keys out of a buffer: through `wire/utf8.ts` and through Node's decoder. */
  readonly strings: { js: number; native: number };
}

function rate(fn: () => unknown, ms = 1_000): number {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** Measures both codecs on the same message; each figure is the better of `rounds` alternating rounds. */
export function compareCodecs(rounds = 3): CodecFigures {
  const envelopes: WireEnvelope[] = Array.from({ length: 256 }, (_, i) => ({
    app: "loyalty",
    stage: 1,
    slot: i % 256,
    key: `customer-${100_000 + i * 7}`,
    payload: Buffer.from(JSON.stringify({ clickId: `c${i}`, customerId: `customer-${i}`, adId: "ad-17", tsMs: 1_700_000_000_000 + i })),
    epoch: 12,
    source: "node-1/clicks/42",
    seq: 1_000_000 + i,
    hops: 0,
    acceptedMs: 1_700_000_000_123.5 + i,
  }));
  const msg = { from: "node-1", incarnation: "abc123", seq: 77, batch: { envelopes } };
  const type = loadProto("runtime.proto").lookupType("troupe.NodeMessage");
  const bytes = nodeMessageCodec.encode(msg);
  const email = { clickId: "click-123456", customerId: "customer-98765", email: "customer-98765@example.com", adId: "ad-17", promotion: "gold customer offer for ad ad-17", clickTsMs: 1_700_000_000_123 };
  const best = { handEncode: 0, handDecode: 0, staticEncode: 0, staticDecode: 0, reflectEncode: 0, reflectDecode: 0 };
  const writer = { batchFast: 0, batchProtobufjs: 0, emailFast: 0, emailProtobufjs: 0 };
  // Keys and ids as nodes read them: 8-13 ASCII bytes each, at their offsets in one buffer.
  const keys = Array.from({ length: 64 }, (_, i) => (i % 2 ? `cust-${i * 7919}` : `click-${i * 104_729}`));
  const keyBuf = Buffer.from(keys.join(""));
  const cuts = keys.reduce<number[]>((a, k) => (a.push(a[a.length - 1]! + k.length), a), [0]);
  const strings = { js: 0, native: 0 };
  const readAll = (read: (b: Buffer, s: number, e: number) => string) => {
    let n = 0;
    for (let i = 0; i < 64; i++) n += read(keyBuf, cuts[i]!, cuts[i + 1]!).length;
    return n;
  };
  for (let r = 0; r < rounds; r++) {
    best.handEncode = Math.max(best.handEncode, rate(() => nodeMessageCodec.encode(msg)));
    best.staticEncode = Math.max(best.staticEncode, rate(() => generatedNodeMessageCodec.encode(msg)));
    best.reflectEncode = Math.max(best.reflectEncode, rate(() => type.encode(msg).finish()));
    best.handDecode = Math.max(best.handDecode, rate(() => nodeMessageCodec.decode(bytes)));
    best.staticDecode = Math.max(best.staticDecode, rate(() => generatedNodeMessageCodec.decode(bytes)));
    best.reflectDecode = Math.max(best.reflectDecode, rate(() => type.decode(bytes)));
    writer.batchFast = Math.max(writer.batchFast, rate(() => troupe.NodeMessage.encode(msg).finish()));
    writer.batchProtobufjs = Math.max(writer.batchProtobufjs, rate(() => troupe.NodeMessage.encode(msg, protobuf.Writer.create()).finish()));
    writer.emailFast = Math.max(writer.emailFast, rate(() => loyalty.PromotionEmail.encode(email).finish(), 500));
    writer.emailProtobufjs = Math.max(writer.emailProtobufjs, rate(() => loyalty.PromotionEmail.encode(email, protobuf.Writer.create()).finish(), 500));
    strings.js = Math.max(strings.js, 64 * rate(() => readAll(utf8), 500));
    strings.native = Math.max(strings.native, 64 * rate(() => readAll((b, s, e) => b.toString("utf8", s, e)), 500));
  }
  return { bytes: bytes.length, ...best, writer, strings };
}

import { describe, expect, it } from "vitest";
import protobuf from "protobufjs/minimal.js";
import { decodeEventBatch } from "../../../runtime/wire/event-batch-decode.js";
import { envelopeCodec, eventBatchCodec, type WireEnvelope } from "../../../runtime/wire/messages.js";

const envelope = (i: number, over: Partial<WireEnvelope> = {}): WireEnvelope => ({
  app: "loyalty",
  stage: i % 3,
  slot: (i * 37) % 256,
  key: `customer-${i}`,
  payload: Uint8Array.from([i & 255, 1, 2]),
  epoch: 7,
  source: "c.clicks-1",
  seq: 2 ** 33 + i,
  hops: 0,
  acceptedMs: 1_700_000_000_000.25 + i,
  ...over,
});

const plain = (e: { payload: Uint8Array } & Record<string, unknown>) => ({ ...e, payload: [...e.payload] });

describe("the hand-written EventBatch reader (durable mode's stream messages)", () => {
  it("reads what the generated code writes: stages, slots, ids, and each event as a runtime envelope", () => {
    const envs = [...Array.from({ length: 50 }, (_, i) => envelope(i)), envelope(50, { app: "другое", source: "", key: "日本語", payload: new Uint8Array(0) })];
    const bytes = eventBatchCodec.encode({ events: envs.map((e) => envelopeCodec.encode(e)), clientLastSeq: 2 ** 40 + 3, batchId: 99, stages: envs.map((e) => e.stage), slots: envs.map((e) => e.slot) });
    const b = decodeEventBatch(bytes);
    expect([b.count, b.clientLastSeq, b.batchId]).toEqual([51, 2 ** 40 + 3, 99]);
    expect(b.stages).toEqual(envs.map((e) => e.stage));
    expect(b.slots).toEqual(envs.map((e) => e.slot));
    // Any subset, in order (a reader takes only its own slots' events).
    for (const i of [0, 3, 4, 49, 50]) expect(plain(b.event(i) as never)).toEqual({ ...plain(envs[i]! as never), value: undefined, offset: 0 });
    // Equal app and source strings are read once and shared.
    expect(b.event(10).source).toBe(b.event(11).source);
    expect(() => b.event(51)).toThrow(RangeError);
  });

  it("reads an empty batch, and stages and slots written one value per tag (unpacked), as protobuf readers must", () => {
    expect(decodeEventBatch(new Uint8Array(0))).toMatchObject({ count: 0, stages: [], slots: [], clientLastSeq: 0, batchId: 0 });
    const w = protobuf.Writer.create();
    const ev = envelopeCodec.encode(envelope(1));
    w.uint32(10).bytes(ev).uint32(32).uint32(5).uint32(40).uint32(200).uint32(24).uint64(4);
    const b = decodeEventBatch(w.finish());
    expect([b.count, b.stages, b.slots, b.batchId]).toEqual([1, [5], [200], 4]);
    expect(b.event(0).key).toBe("customer-1");
  });

  it("throws on bytes cut short, so the reader counts the message as malformed", () => {
    const bytes = eventBatchCodec.encode({ events: [envelopeCodec.encode(envelope(1))], clientLastSeq: 0, batchId: 1, stages: [1], slots: [2] });
    for (const cut of [1, 5, bytes.length - 1]) expect(() => decodeEventBatch(bytes.subarray(0, cut))).toThrow(RangeError);
  });
});

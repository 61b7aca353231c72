import { describe, expect, it } from "vitest";
import protobuf from "protobufjs/minimal.js";
import { decodeEventBatch } from "../../../runtime/wire/event-batch-decode.js";
import { envelopeCodec, eventBatchCodec, type WireEnvelope } from "../../../runtime/wire/messages.js";
import { envelopePayload } from "../../../runtime/node/envelope-payload.js";
import type { Envelope } from "../../../runtime/types.js";

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
// A decoded event as plain fields: its payload's bytes (read through envelopePayload), its wire fields.
const plainEvent = (e: Envelope) => {
  const { value: _value, offset: _offset, frame: _frame, frameStart: _frameStart, frameEnd: _frameEnd, payload: _payload, ...rest } = e;
  return { ...rest, payload: [...envelopePayload(e)!], value: e.value, offset: e.offset };
};

describe("the hand-written EventBatch reader (durable mode's stream messages)", () => {
  it("reads what the generated code writes: stages, slots, ids, and each event as a runtime envelope", () => {
    const envs = [...Array.from({ length: 50 }, (_, i) => envelope(i)), envelope(50, { app: "другое", source: "", key: "日本語", payload: new Uint8Array(0) })];
    const bytes = eventBatchCodec.encode({ events: envs.map((e) => envelopeCodec.encode(e)), clientLastSeq: 2 ** 40 + 3, batchId: 99, stages: envs.map((e) => e.stage), slots: envs.map((e) => e.slot) });
    const b = decodeEventBatch(bytes);
    expect([b.count, b.clientLastSeq, b.batchId]).toEqual([51, 2 ** 40 + 3, 99]);
    expect(b.stages).toEqual(envs.map((e) => e.stage));
    expect(b.slots).toEqual(envs.map((e) => e.slot));
    // Any subset, in order (a reader takes only its own slots' events).
    for (const i of [0, 3, 4, 49, 50]) expect(plainEvent(b.event(i))).toEqual({ ...plain(envs[i]! as never), value: undefined, offset: 0 });
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

  it("reads a packed field written in two runs (readers concatenate them), and fields around the events in any order", () => {
    const w = protobuf.Writer.create();
    const e = (i: number) => envelopeCodec.encode(envelope(i));
    w.uint32(34).fork().uint32(1).uint32(300).ldelim(); // stages 1, 300
    w.uint32(10).bytes(e(1));
    w.uint32(42).fork().uint32(7).ldelim(); // slots 7
    w.uint32(10).bytes(e(2));
    w.uint32(34).fork().uint32(2).ldelim(); // stages 2: a second run
    w.uint32(42).fork().uint32(2 ** 20).uint32(9).ldelim(); // slots 2^20, 9: a second run
    w.uint32(10).bytes(e(3));
    const b = decodeEventBatch(w.finish());
    expect([b.count, b.stages, b.slots]).toEqual([3, [1, 300, 2], [7, 2 ** 20, 9]]);
    expect([0, 1, 2].map((i) => b.event(i).key)).toEqual(["customer-1", "customer-2", "customer-3"]);
  });

  it("throws on bytes cut short, so the reader counts the message as malformed", () => {
    const bytes = eventBatchCodec.encode({ events: [envelopeCodec.encode(envelope(1))], clientLastSeq: 0, batchId: 1, stages: [1], slots: [2] });
    for (const cut of [1, 5, bytes.length - 1]) expect(() => decodeEventBatch(bytes.subarray(0, cut))).toThrow(RangeError);
    // A packed field whose last varint is cut short inside its own length.
    const cutVarint = Uint8Array.from([34, 2, 5, 0x81]); // stages: 2 bytes, 5 then a varint with no end
    expect(() => decodeEventBatch(cutVarint)).toThrow(RangeError);
  });
});

import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { clickCodec, customerStateCodec } from "../../../apps/loyalty/messages.js";
import { sequencerStateCodec } from "../../../apps/sequencer/app.js";
import { envelopeCodec, eventBatchCodec, generatedNodeMessageCodec, nodeMessageCodec, storedStateCodec, type WireEnvelope } from "../../../runtime/wire/messages.js";
import { loadProto, messageCodec } from "../../../runtime/wire/proto-root.js";
import { decodeAtOf } from "../../../runtime/wire/static-codec.js";

const env: WireEnvelope = { app: "loyalty", stage: 1, slot: 7, key: "cust-1", payload: Uint8Array.from([1, 2, 3]), epoch: 42, source: "n1/clicks/3", seq: 2 ** 40 + 5, hops: 1, acceptedMs: 1_700_000_000_123.5 };

describe("generated codecs", () => {
  it("round-trip 64-bit integers as numbers, short and long varints alike", () => {
    for (const seq of [0, 1, 127, 128, 2 ** 31, 2 ** 32 + 1, 2 ** 49 - 1, 2 ** 49, 2 ** 52 + 3, Number.MAX_SAFE_INTEGER]) {
      const back = envelopeCodec.decode(envelopeCodec.encode({ ...env, seq }));
      expect(back.seq).toBe(seq);
      expect(typeof back.epoch).toBe("number");
    }
    for (const tsMs of [0, 5, -1, -(2 ** 40), 2 ** 50, Number.MIN_SAFE_INTEGER]) {
      expect(clickCodec.decode(clickCodec.encode({ clickId: "c", customerId: "x", adId: "a", tsMs })).tsMs).toBe(tsMs);
    }
  });

  it("decode absent fields to their defaults: numbers (not Longs), empty strings, empty lists, null messages", () => {
    const e = envelopeCodec.decode(new Uint8Array(0));
    expect([e.key, e.app, e.seq, e.epoch, e.hops, e.acceptedMs, e.payload.length]).toEqual(["", "", 0, 0, 0, 0, 0]);
    const m = nodeMessageCodec.decode(nodeMessageCodec.encode({ from: "n1", incarnation: "i", seq: 0, ack: { seq: 0, incarnation: "", reset: false } }));
    expect(m.seq).toBe(0);
    expect(m.ack?.seq).toBe(0);
    expect(m.batch ?? "none").toBe("none");
    expect(m.control ?? "none").toBe("none");
    expect(eventBatchCodec.decode(new Uint8Array(0))).toMatchObject({ events: [], stages: [], slots: [], clientLastSeq: 0, batchId: 0 });
    expect(storedStateCodec.decode(storedStateCodec.encode({ state: new Uint8Array(0), ownerEpoch: 3, appliedSeq: 9, key: "", writer: "" })).key).toBe("");
    const s = customerStateCodec.decode(new Uint8Array(0));
    s.clicks++; // a decoded state is mutated in place by its step
    expect(customerStateCodec.decode(customerStateCodec.encode(s)).clicks).toBe(1);
  });

  it("decode nested messages, oneofs and maps", () => {
    // The generated code (the hand-written batch codec reads envelopes as runtime envelopes: node-message-codec.test.ts).
    const m = generatedNodeMessageCodec.decode(nodeMessageCodec.encode({ from: "n1", incarnation: "i", seq: 9, batch: { envelopes: [env, { ...env, key: "" }] } }));
    expect(m.batch!.envelopes.map((w) => w.key)).toEqual(["cust-1", ""]);
    expect({ ...m.batch!.envelopes[0]!, payload: [...m.batch!.envelopes[0]!.payload] }).toEqual({ ...env, payload: [1, 2, 3] });
    const d = nodeMessageCodec.decode(nodeMessageCodec.encode({ from: "cli", incarnation: "cli", seq: 0, control: { drain: { nodeId: "n2" } } }));
    expect(d.control?.drain?.nodeId).toBe("n2");
    expect(d.control?.handoffDone ?? undefined).toBeUndefined();
    const st = sequencerStateCodec.decode(sequencerStateCodec.encode({ last: { a: 2 ** 45, b: 1 }, count: 3 }));
    expect(st).toMatchObject({ last: { a: 2 ** 45, b: 1 }, count: 3 });
    st.last.c = 4; // the decoded map is the message's own, not a shared empty object
    expect(sequencerStateCodec.decode(sequencerStateCodec.encode({ last: {}, count: 0 })).last).toEqual({});
  });

  it("decode each message whole through the one shared reader, also after a malformed one", () => {
    const good = clickCodec.encode({ clickId: "click-1", customerId: "cust-é-2", adId: "ad-3", tsMs: 4 });
    // A string whose length runs past the end, then a truncated varint: both throw mid-message.
    for (const bad of [Uint8Array.from([0x0a, 0x05, 0x61]), Uint8Array.from([0x20, 0xff])]) {
      try {
        clickCodec.decode(bad);
      } catch {
        // malformed: what matters is the next decode
      }
      expect(clickCodec.decode(good)).toMatchObject({ clickId: "click-1", customerId: "cust-é-2", adId: "ad-3", tsMs: 4 });
    }
    // A plain Uint8Array view inside a larger buffer reads only its own bytes.
    const framed = new Uint8Array(good.length + 6);
    framed.set(good, 3);
    expect(clickCodec.decode(framed.subarray(3, 3 + good.length)).customerId).toBe("cust-é-2");
    const m = generatedNodeMessageCodec.decode(nodeMessageCodec.encode({ from: "n1", incarnation: "i", seq: 9, batch: { envelopes: [env, { ...env, key: "k2" }] } }));
    expect(m.batch!.envelopes.map((w) => [w.key, w.source])).toEqual([["cust-1", "n1/clicks/3"], ["k2", "n1/clicks/3"]]);
  });

  it("decode a frame where it lies in a larger read (DECODE_AT) as a view of it decodes, and never read past its end", () => {
    const decodeAt = decodeAtOf(clickCodec.decode)!;
    expect(decodeAt).toBeTypeOf("function");
    const a = Buffer.from(clickCodec.encode({ clickId: "c-1", customerId: "cust-1", adId: "ad-1", tsMs: 1_700_000_000_000 }));
    const b = Buffer.from(clickCodec.encode({ clickId: "c-2", customerId: "cust-22", adId: "ad-2", tsMs: 5 }));
    const read = Buffer.concat([Buffer.from([7, 7]), a, b, Buffer.from([7])]);
    const at = 2 + a.length;
    expect(decodeAt(read, 2, at)).toEqual(clickCodec.decode(a));
    expect(decodeAt(read, at, at + b.length)).toEqual(clickCodec.decode(b));
    // A frame cut inside a varint is an error, held either way (protobufjs would read on into the next
    // frame's bytes, or past a view's end as zeros, and return a value).
    expect(() => decodeAt(read, 2, at - 3)).toThrow(RangeError);
    expect(() => clickCodec.decode(a.subarray(0, a.length - 3))).toThrow(RangeError);
    // Cut inside its last string: read to the end, as protobufjs reads a string whose length runs past it.
    const cut = decodeAt(read, at, at + b.length - 3);
    expect(cut).toEqual(clickCodec.decode(b.subarray(0, b.length - 3)));
    expect(cut.adId).toBe("ad-");
    // A decode function not made by staticCodec has none.
    expect(decodeAtOf((bytes: Uint8Array) => bytes.length)).toBeUndefined();
  });

  it("write the same bytes as protobufjs reflection over the .proto, and read its bytes", () => {
    const type = loadProto("runtime.proto").lookupType("troupe.NodeMessage");
    const msg = { from: "n1", incarnation: "abc", seq: 77, batch: { envelopes: [env, { ...env, seq: 1, epoch: 2 ** 33 }] } };
    const bytes = nodeMessageCodec.encode(msg);
    expect(Buffer.from(type.encode(msg).finish()).equals(Buffer.from(bytes))).toBe(true);
    const viaReflection = type.toObject(type.decode(bytes), { longs: Number });
    expect(viaReflection.batch.envelopes[1].epoch).toBe(2 ** 33);
    expect(nodeMessageCodec.decode(type.encode(msg).finish()).batch!.envelopes[1]!.epoch).toBe(2 ** 33);
  });
});

describe("messageCodec (runtime reflection, for apps' own .proto files)", () => {
  it("decodes plain objects with defaults and numbers, leaving protobufjs's Long setting alone", () => {
    const codec = messageCodec<WireEnvelope>("runtime.proto", "troupe.Envelope");
    const back = codec.decode(codec.encode({ ...env, key: "", seq: 2 ** 50 }));
    expect(back.seq).toBe(2 ** 50);
    expect(back.key).toBe("");
    expect(Object.hasOwn(back, "key")).toBe(true);
    expect(codec.decode(new Uint8Array(0)).epoch).toBe(0);
    expect(protobuf.util.Long).toBeTruthy(); // nothing turned Long off process-wide
  });

  it("loads a .proto by absolute path", () => {
    const abs = new URL("../../../proto/loyalty.proto", import.meta.url).pathname;
    const codec = messageCodec<{ clickId: string; tsMs: number }>(abs, "loyalty.Click");
    expect(codec.decode(clickCodec.encode({ clickId: "c1", customerId: "x", adId: "a", tsMs: 2 ** 41 }))).toMatchObject({ clickId: "c1", tsMs: 2 ** 41 });
  });
});

import { describe, expect, it } from "vitest";
import { envelopeCodec, generatedEnvelopeCodec, generatedNodeMessageCodec, nodeMessageCodec, type WireEnvelope, type WireNodeMessage } from "../../../runtime/wire/messages.js";
import { batchEnvelopes } from "../../../runtime/wire/node-message-codec.js";
import { envelopeBytes } from "../../../runtime/transport/fragments.js";
import { envelopePayload } from "../../../runtime/node/envelope-payload.js";
import type { Envelope } from "../../../runtime/types.js";

// A decoded envelope as plain fields: its payload's bytes (read through envelopePayload), its wire fields.
const plain = (e: Envelope) => {
  const { value: _value, offset: _offset, frame: _frame, frameStart: _frameStart, frameEnd: _frameEnd, payload: _payload, ...rest } = e;
  return { ...rest, payload: [...envelopePayload(e)!] };
};

const envelope = (over: Partial<WireEnvelope> = {}): WireEnvelope => ({
  app: "loyalty",
  stage: 1,
  slot: 7,
  key: "customer-17",
  payload: Uint8Array.from([1, 2, 3]),
  epoch: 42,
  source: "node-1/clicks/3",
  seq: 2 ** 40 + 5,
  hops: 0,
  acceptedMs: 1_700_000_000_123.5,
  ...over,
});

const batch = (envelopes: WireEnvelope[], over: Partial<WireNodeMessage> = {}): WireNodeMessage => ({ from: "node-2", incarnation: "abc.1", seq: 9, batch: { envelopes }, ...over });

// Keys and strings the hand-written writer must size and write exactly as protobufjs does.
const awkward = ["", "k", "ü-umlaut", "日本語キー", "emoji-😀-key", "x".repeat(63), "y".repeat(64), "z".repeat(300), "é".repeat(40)];

describe("the hand-written NodeMessage codec (batches)", () => {
  it("writes the bytes the generated code writes, for every size of number and kind of string", () => {
    const envs: WireEnvelope[] = [];
    for (const key of awkward) envs.push(envelope({ key }));
    for (const seq of [0, 1, 127, 128, 16_383, 16_384, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 49, Number.MAX_SAFE_INTEGER]) envs.push(envelope({ seq, epoch: seq, stage: seq % 2 ** 32, slot: seq % 1024, hops: seq % 8 }));
    envs.push(envelope({ payload: new Uint8Array(0), acceptedMs: 0 }), envelope({ payload: new Uint8Array(70_000).fill(9), app: "другое", source: "n/s/1" }));
    for (const m of [batch(envs), batch([]), batch(envs.slice(0, 2), { seq: 2 ** 40, piggyback: { seq: 12, incarnation: "peer.3", reset: false } }), batch([envelope()], { from: "ü", incarnation: "" })]) {
      expect(Buffer.from(nodeMessageCodec.encode(m)).equals(Buffer.from(generatedNodeMessageCodec.encode(m)))).toBe(true);
    }
  });

  it("reads what the generated code writes into runtime envelopes, sharing repeated app and source strings", () => {
    const envs = [envelope({ key: "a" }), envelope({ key: "b", source: "node-3/clicks/1" }), envelope({ key: "c", source: "node-3/clicks/1" }), ...awkward.map((key) => envelope({ key }))];
    const m = nodeMessageCodec.decode(generatedNodeMessageCodec.encode(batch(envs, { piggyback: { seq: 5, incarnation: "p.1", reset: false } })));
    expect([m.from, m.incarnation, m.seq, m.piggyback?.seq, m.piggyback?.incarnation]).toEqual(["node-2", "abc.1", 9, 5, "p.1"]);
    const out = batchEnvelopes(m.batch!);
    // Each input is a range of the message's bytes, not a view made per envelope.
    expect(out.every((e) => e.payload === undefined && e.frame !== undefined && e.frame === out[0]!.frame)).toBe(true);
    expect(out.map(plain)).toEqual(envs.map((e) => ({ ...e, payload: [...e.payload] })));
    expect(out.every((e) => e.value === undefined && e.offset === 0)).toBe(true);
    // Read once per batch, not once per envelope (the same string object).
    expect(out[2]!.source).toBe(out[1]!.source);
  });

  it("writes and reads one envelope (durable mode's stored events) as the generated code does", () => {
    const envs = [...awkward.map((key) => envelope({ key })), envelope({ seq: Number.MAX_SAFE_INTEGER, epoch: 2 ** 33, payload: new Uint8Array(0) }), envelope({ app: "日本", source: "" })];
    for (const e of envs) {
      const bytes = envelopeCodec.encode(e);
      expect(Buffer.from(bytes).equals(Buffer.from(generatedEnvelopeCodec.encode(e)))).toBe(true);
      const back = envelopeCodec.decode(generatedEnvelopeCodec.encode(e)) as unknown as Envelope;
      expect(back.value === undefined && back.offset === 0).toBe(true);
      expect(plain(back)).toEqual({ ...e, payload: [...e.payload] });
    }
  });

  it("writes a source frame's range (an envelope with no payload yet) as the payload it is, in batches and alone", () => {
    // A socket read holding several frames; each envelope's input is bytes of it, not a view.
    // Short ranges are copied by a loop, longer ones (over 48 bytes) by Buffer.copy: both here.
    const read = Buffer.concat([Buffer.from([9, 9, 1, 2, 3, 9, 4, 5, 6, 7, 9, 9]), Buffer.from(Array.from({ length: 600 }, (_, i) => i % 251))]);
    const ranges = [[2, 5], [6, 10], [4, 4], [12, 60], [12, 61], [11, 612]] as const;
    const withView = ranges.map(([s, e], i) => envelope({ key: `k${i}`, payload: read.subarray(s, e) }));
    const withRange = ranges.map(([s, e], i) => ({ ...envelope({ key: `k${i}` }), payload: undefined, frame: read, frameStart: s, frameEnd: e }) as unknown as WireEnvelope);
    const bytes = (m: WireNodeMessage) => Buffer.from(nodeMessageCodec.encode(m));
    expect(bytes(batch(withRange)).equals(bytes(batch(withView)))).toBe(true);
    expect(bytes(batch(withRange)).equals(Buffer.from(generatedNodeMessageCodec.encode(batch(withView))))).toBe(true);
    for (let i = 0; i < ranges.length; i++) expect(Buffer.from(envelopeCodec.encode(withRange[i]!)).equals(Buffer.from(generatedEnvelopeCodec.encode(withView[i]!)))).toBe(true);
    expect(withRange.map(envelopeBytes)).toEqual(withView.map(envelopeBytes));
  });

  it("leaves other bodies to the generated code, both ways", () => {
    const messages: WireNodeMessage[] = [
      { from: "n1", incarnation: "i", seq: 0, ack: { seq: 7, incarnation: "s.1", reset: true } },
      { from: "n1", incarnation: "i", seq: 3, control: { epochAck: { epoch: 12 } } },
      { from: "n1", incarnation: "i", seq: 4, fragment: { index: 1, count: 3, data: Uint8Array.from([5, 6]) } },
    ];
    for (const m of messages) {
      const bytes = nodeMessageCodec.encode(m);
      expect(Buffer.from(bytes).equals(Buffer.from(generatedNodeMessageCodec.encode(m)))).toBe(true);
      expect(nodeMessageCodec.decode(bytes)).toMatchObject(JSON.parse(JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? undefined : v))));
    }
  });

  it("rejects truncated and garbled input with an error (the channel counts it as malformed)", () => {
    const bytes = nodeMessageCodec.encode(batch([envelope(), envelope({ key: "other" })]));
    for (const cut of [1, 5, 20, bytes.length - 1]) expect(() => nodeMessageCodec.decode(bytes.subarray(0, cut))).toThrow();
    expect(() => nodeMessageCodec.decode(Uint8Array.from([0x22, 0xff, 0xff, 0xff, 0x0f]))).toThrow();
    expect(() => nodeMessageCodec.decode(Uint8Array.from([0x0f]))).toThrow();
  });
});

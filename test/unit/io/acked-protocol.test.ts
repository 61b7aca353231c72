import { describe, expect, it } from "vitest";
import { PROTOCOL, readHello, sniff } from "../../../runtime/io/acked-protocol.js";
import { ACKED_SOURCE_MARKER } from "../../../runtime/io/source-acks.js";
import { sourceHelloCodec } from "../../../runtime/wire/messages.js";

describe("the acknowledged protocol, server side", () => {
  it("sniff: fewer than 4 bytes wait (kept as a copy); the marker is the acknowledged protocol, anything else a plain frame", () => {
    const first = Buffer.from([0xff, 0xff]);
    const waiting = sniff(undefined, first);
    expect(waiting.protocol).toBeUndefined();
    if (waiting.protocol !== undefined) return;
    first[0] = 0;
    expect([...waiting.prefix]).toEqual([0xff, 0xff]);
    const acked = sniff(waiting.prefix, Buffer.from([0xff, 0xff, 7, 8]));
    expect(acked).toEqual({ protocol: PROTOCOL.HELLO, rest: Buffer.from([7, 8]) });
    const plain = Buffer.from([0, 0, 0, 2, 1, 2]);
    expect(sniff(undefined, plain)).toEqual({ protocol: PROTOCOL.PLAIN, rest: plain });
    expect(sniff(undefined, ACKED_SOURCE_MARKER)).toEqual({ protocol: PROTOCOL.HELLO, rest: Buffer.alloc(0) });
  });

  it("readHello: a valid hello numbers the client's next frame; a bad id, a next_seq under 1 or bytes that are no hello say why", () => {
    const ok = readHello(Buffer.from(sourceHelloCodec.encode({ clientId: "client-1.a_b", nextSeq: 42 })));
    expect("error" in ok).toBe(false);
    if (!("error" in ok)) {
      expect(ok.clientId).toBe("client-1.a_b");
      expect(ok.acks.next()).toBe(42);
    }
    for (const hello of [{ clientId: "has space", nextSeq: 1 }, { clientId: "", nextSeq: 1 }, { clientId: "x".repeat(65), nextSeq: 1 }, { clientId: "c", nextSeq: 0 }]) {
      const bad = readHello(Buffer.from(sourceHelloCodec.encode(hello)));
      expect("error" in bad && bad.error).toMatch(/client_id of 1-64/);
    }
    const garbage = readHello(Buffer.from([0xff, 0xff, 0xff]));
    expect("error" in garbage && garbage.error).toMatch(/not a SourceHello/);
  });
});

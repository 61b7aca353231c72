import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AckedSourceClient } from "../../../runtime/io/acked-client.js";
import { FrameDecoder } from "../../../runtime/io/frame-decoder.js";
import { encodeFrame, encodeFrames } from "../../../runtime/io/framing.js";
import { ACKED_SOURCE_MARKER, SourceAcks } from "../../../runtime/io/source-acks.js";
import { TcpSource } from "../../../runtime/io/tcp-source.js";
import type { SourceBadInput, SourceConnection } from "../../../runtime/io/source-connection.js";
import { silentLogger } from "../../../runtime/logger.js";
import { sourceAckCodec, sourceHelloCodec } from "../../../runtime/wire/messages.js";
import { waitUntil } from "../../helpers/wait.js";

const sources: TcpSource[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) await s.close();
});

/** A source that records frames by client frame number and holds those `hold` says to (completing them on demand). */
async function start(hold: (seq: number) => boolean = () => false) {
  const frames: Array<{ seq: number; client: string | undefined; text: string }> = [];
  const held: Array<{ conn: SourceConnection; seq: number }> = [];
  const bad: SourceBadInput[] = [];
  const source: TcpSource = new TcpSource({
    name: "t",
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger(),
    onFrame: (p, conn) => {
      const seq = conn.acks?.current ?? 0;
      frames.push({ seq, client: conn.clientId, text: String(p) });
      if (hold(seq)) held.push({ conn, seq: source.hold(conn) });
    },
    onBadInput: (r) => bad.push(r),
  });
  sources.push(source);
  const addr = await source.start();
  const completeAll = () => {
    for (const h of held.splice(0)) source.complete(h.conn, h.seq);
  };
  return { source, addr, frames, held, bad, completeAll };
}

describe("SourceAcks", () => {
  it("acknowledges cumulatively: a held frame stops the acknowledgement until it completes, in any order", () => {
    const acks = new SourceAcks(10);
    expect(acks.next()).toBe(10);
    const a = acks.hold();
    acks.next();
    acks.next();
    const c = acks.hold();
    acks.next();
    expect(acks.acked()).toBe(9);
    acks.complete(c);
    expect(acks.acked()).toBe(9);
    acks.complete(a);
    expect(acks.acked()).toBe(13);
    expect(sourceAckCodec.decode(acks.takeAckFrame()!.subarray(4)).seq).toBe(13);
    expect(acks.takeAckFrame()).toBeUndefined(); // nothing new
  });
});

describe("acknowledged source protocol", () => {
  it("numbers frames from the hello and acknowledges them; plain clients on the same source are unaffected", async () => {
    const { addr, frames } = await start();
    const socket = connect(addr.port, addr.host);
    const acked: number[] = [];
    const decoder = new FrameDecoder(1024);
    socket.on("data", (chunk: Buffer) => decoder.push(chunk, (p) => acked.push(sourceAckCodec.decode(p).seq)));
    await new Promise((r) => socket.once("connect", r));
    socket.write(Buffer.concat([ACKED_SOURCE_MARKER, encodeFrame(sourceHelloCodec.encode({ clientId: "gen-1", nextSeq: 7 })), encodeFrames(["a", "b", "c"].map((t) => Buffer.from(t)))]));
    const plain = connect(addr.port, addr.host);
    await new Promise((r) => plain.once("connect", r));
    plain.write(encodeFrame(Buffer.from("plain")));
    await waitUntil(() => acked.includes(9) && frames.length === 4, 5_000, "frames and the acknowledgement");
    expect(frames.filter((f) => f.client === "gen-1").map((f) => [f.seq, f.text])).toEqual([
      [7, "a"],
      [8, "b"],
      [9, "c"],
    ]);
    expect(frames.find((f) => f.text === "plain")).toMatchObject({ client: undefined, seq: 0 });
    socket.destroy();
    plain.destroy();
  });

  it("a bad hello closes only that connection", async () => {
    const { addr, frames, bad } = await start();
    const badConn = connect(addr.port, addr.host);
    await new Promise((r) => badConn.once("connect", r));
    badConn.write(Buffer.concat([ACKED_SOURCE_MARKER, encodeFrame(sourceHelloCodec.encode({ clientId: "no spaces allowed", nextSeq: 1 }))]));
    const client = new AckedSourceClient({ clientId: "ok", addresses: () => [addr] });
    await client.start();
    await client.send(Buffer.from("x"));
    expect(await client.flush(5_000)).toBe(true);
    await waitUntil(() => bad.includes("bad_hello"), 5_000, "the bad hello to be reported");
    expect(frames.map((f) => f.text)).toEqual(["x"]);
    client.close();
  });

  it("the client resends what was not acknowledged to the next source after a connection dies", async () => {
    // Source A accepts frames 1..500 and holds the rest (as if JetStream had not stored them yet), then dies.
    const a = await start((seq) => seq > 500);
    const b = await start();
    let target = a.addr;
    const client = new AckedSourceClient({ clientId: "gen-2", addresses: () => [target], retryMs: 20 });
    await client.start();
    for (let i = 1; i <= 1000; i++) await client.send(Buffer.from(String(i)));
    await waitUntil(() => a.frames.length === 1000 && client.pending === 500, 5_000, "source A to acknowledge 500");
    target = b.addr;
    await a.source.close();
    expect(await client.flush(10_000)).toBe(true);
    expect(b.frames.map((f) => f.seq)).toEqual(Array.from({ length: 500 }, (_, i) => 501 + i));
    expect(b.frames.map((f) => f.text)).toEqual(Array.from({ length: 500 }, (_, i) => String(501 + i)));
    expect(client.stats).toMatchObject({ sent: 1000, acked: 1000, resent: 500, connects: 2 });
    client.close();
  });
});

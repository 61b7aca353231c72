import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { Backpressure } from "../../../runtime/io/backpressure.js";
import { encodeFrame } from "../../../runtime/io/framing.js";
import { ACKED_SOURCE_MARKER } from "../../../runtime/io/source-acks.js";
import { TcpSource } from "../../../runtime/io/tcp-source.js";
import type { SourceBadInput } from "../../../runtime/io/source-connection.js";
import { silentLogger } from "../../../runtime/logger.js";
import { sourceHelloCodec } from "../../../runtime/wire/messages.js";
import { openFrameSender } from "../../helpers/frames.js";
import { waitUntil } from "../../helpers/wait.js";

let source: TcpSource | undefined;
afterEach(async () => {
  await source?.close();
  source = undefined;
});

async function start(
  opts: { maxConnections?: number; maxConnectionsPerAddress?: number; firstFrameTimeoutMs?: number; idleTimeoutMs?: number; backpressure?: Backpressure; maxFrameBytes?: number } = {},
) {
  const frames: Array<{ conn: number; text: string }> = [];
  const bad: SourceBadInput[] = [];
  source = new TcpSource({
    name: "t",
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger(),
    maxFrameBytes: opts.maxFrameBytes ?? 1024,
    maxConnections: opts.maxConnections,
    maxConnectionsPerAddress: opts.maxConnectionsPerAddress,
    firstFrameTimeoutMs: opts.firstFrameTimeoutMs,
    idleTimeoutMs: opts.idleTimeoutMs,
    backpressure: opts.backpressure,
    onFrame: (p, c) => {
      if (String(p) === "throw") throw new Error("handler bug");
      frames.push({ conn: c.id, text: String(p) });
    },
    onBadInput: (r) => bad.push(r),
  });
  const addr = await source.start();
  return { addr, frames, bad };
}

/** A raw client connection from `from` (any 127.x.y.z is this machine) that records when the source closes it. */
async function dial(port: number, from = "127.0.0.1"): Promise<{ socket: Socket; closed: () => boolean }> {
  const socket = connect({ port, host: "127.0.0.1", localAddress: from });
  let closed = false;
  socket.on("error", () => undefined);
  socket.on("close", () => (closed = true));
  await once(socket, "connect");
  return { socket, closed: () => closed };
}

/** Connects and waits until the source has taken the connection (accepted, evicted for or refused). */
async function dialTaken(port: number, from = "127.0.0.1") {
  const before = taken();
  const c = await dial(port, from);
  await waitUntil(() => taken() > before, 5000, "the source to take the connection");
  return c;
}

function taken(): number {
  const s = source!.stats;
  return s.connectionsOpened + s.refused.max_connections + s.refused.max_connections_per_address;
}

describe("TcpSource", () => {
  it("an abrupt disconnect mid-frame drops only that connection; others keep serving", async () => {
    const { addr, frames, bad } = await start();
    const good = await openFrameSender(addr.host, addr.port);
    const broken = await openFrameSender(addr.host, addr.port);
    good.send(Buffer.from("a1"));
    broken.send(Buffer.from("b1"));
    broken.sendRaw(encodeFrame(Buffer.from("never finished")).subarray(0, 9));
    await waitUntil(() => frames.length === 2);
    broken.destroy();
    await waitUntil(() => bad.includes("truncated_frame"));
    for (let i = 2; i <= 100; i++) good.send(Buffer.from(`a${i}`));
    await waitUntil(() => frames.length === 101);
    expect(frames.filter((f) => f.text.startsWith("a")).map((f) => f.text)).toEqual(Array.from({ length: 100 }, (_, i) => `a${i + 1}`));
    await good.end();
  });

  it("an oversized frame closes that connection with a reason and the source keeps serving", async () => {
    const { addr, frames, bad } = await start({ maxFrameBytes: 16 });
    const evil = await openFrameSender(addr.host, addr.port);
    evil.sendRaw(Buffer.from([0x7f, 0xff, 0xff, 0xff]));
    await waitUntil(() => bad.includes("oversized_frame"));
    await waitUntil(() => evil.socket.destroyed || evil.socket.readableEnded);
    const ok = await openFrameSender(addr.host, addr.port);
    ok.send(Buffer.from("fine"));
    await waitUntil(() => frames.some((f) => f.text === "fine"));
    await ok.end();
  });

  it("a throwing frame handler is contained", async () => {
    const { addr, frames } = await start();
    const s = await openFrameSender(addr.host, addr.port);
    s.sendMany([Buffer.from("1"), Buffer.from("throw"), Buffer.from("2")]);
    await waitUntil(() => frames.length === 2);
    expect(source!.stats.handlerErrors).toBe(1);
    await s.end();
  });

  it("caps connections: with no silent connection to evict, a new one is refused, counted and not reported as bad input", async () => {
    const { addr, frames, bad } = await start({ maxConnections: 2 });
    const a = await openFrameSender(addr.host, addr.port);
    const b = await openFrameSender(addr.host, addr.port);
    a.send(Buffer.from("a"));
    b.send(Buffer.from("b"));
    await waitUntil(() => frames.length === 2);
    const c = await dialTaken(addr.port);
    await waitUntil(() => c.closed(), 5000, "the refused connection to be closed");
    expect(source!.stats.refused.max_connections).toBe(1);
    a.send(Buffer.from("still served"));
    await waitUntil(() => frames.length === 3);
    expect(bad).toEqual([]);
    expect(source!.stats.badInput).toBe(0);
    for (const s of [a, b]) s.destroy();
  });

  it("closes a connection that sends no complete first frame (or no hello) within the first-frame deadline", async () => {
    const { addr, frames, bad } = await start({ firstFrameTimeoutMs: 300 });
    const silent = await dialTaken(addr.port);
    const partial = await dialTaken(addr.port);
    partial.socket.write(encodeFrame(Buffer.from("never finished")).subarray(0, 6));
    const noHello = await dialTaken(addr.port);
    noHello.socket.write(ACKED_SOURCE_MARKER);
    const good = await openFrameSender(addr.host, addr.port);
    good.send(Buffer.from("first"));
    const acked = await dialTaken(addr.port);
    acked.socket.write(Buffer.concat([ACKED_SOURCE_MARKER, encodeFrame(sourceHelloCodec.encode({ clientId: "c1", nextSeq: 1 }))]));
    await waitUntil(() => frames.length === 1 && source!.stats.ackedConnections === 1);
    await waitUntil(() => silent.closed() && partial.closed() && noHello.closed(), 5000, "the silent connections to be closed");
    expect(source!.stats.refused.first_frame_timeout).toBe(3);
    // Connections that sent their first frame stay past the deadline.
    await new Promise((r) => setTimeout(r, 400)); // a negative check: nothing else may be closed
    expect(acked.closed()).toBe(false);
    good.send(Buffer.from("second"));
    await waitUntil(() => frames.length === 2);
    expect(source!.connectionCount()).toBe(2);
    expect(bad).toEqual([]); // connection-level: counted, no dead letter (not even truncated_frame for the partial one)
    good.destroy();
    acked.socket.destroy();
  });

  it("caps connections per remote address; at that cap a new connection evicts that address's oldest silent one", async () => {
    const { addr, frames, bad } = await start({ maxConnections: 100, maxConnectionsPerAddress: 2 });
    const other = await dialTaken(addr.port, "127.0.0.2"); // silent and older, but from another address: not evicted
    const a = await dialTaken(addr.port);
    a.socket.write(encodeFrame(Buffer.from("a")));
    const s = await dialTaken(addr.port);
    await waitUntil(() => frames.length === 1);
    const c = await dialTaken(addr.port); // at the per-address cap: evicts s
    c.socket.write(encodeFrame(Buffer.from("c")));
    await waitUntil(() => s.closed() && frames.length === 2, 5000, "s evicted and c served");
    expect(source!.stats.refused.evicted_silent).toBe(1);
    const d = await dialTaken(addr.port); // a and c have both spoken: nothing to evict, refused
    await waitUntil(() => d.closed(), 5000, "d refused");
    expect(source!.stats.refused.max_connections_per_address).toBe(1);
    expect(other.closed()).toBe(false);
    const e = await dialTaken(addr.port, "127.0.0.2");
    e.socket.write(encodeFrame(Buffer.from("e")));
    await waitUntil(() => frames.length === 3);
    expect(frames.map((f) => f.text)).toEqual(["a", "c", "e"]);
    expect(bad).toEqual([]);
    for (const x of [a, c, other, e]) x.socket.destroy();
  });

  it("at the total cap a new connection evicts the oldest silent one, so a client that sends at once always gets in", async () => {
    const { addr, frames, bad } = await start({ maxConnections: 4, maxConnectionsPerAddress: 100 });
    const s1 = await dialTaken(addr.port);
    const active = await dialTaken(addr.port);
    active.socket.write(encodeFrame(Buffer.from("active")));
    await waitUntil(() => frames.length === 1);
    const s2 = await dialTaken(addr.port);
    const s3 = await dialTaken(addr.port, "127.0.0.3");
    // A flood of silent connections: each evicts the oldest silent one, the one that spoke stays.
    const flood = [];
    for (let i = 0; i < 20; i++) flood.push(await dialTaken(addr.port, `127.0.1.${i + 1}`));
    await waitUntil(() => s1.closed() && s2.closed() && s3.closed(), 5000, "the oldest silent connections evicted");
    expect(active.closed()).toBe(false);
    expect(source!.connectionCount()).toBe(4);
    const real = await openFrameSender(addr.host, addr.port);
    real.send(Buffer.from("real"));
    await waitUntil(() => frames.some((f) => f.text === "real"));
    expect(source!.stats.refused.evicted_silent).toBe(21); // one per flood connection, one for the real client
    expect(source!.stats.refused.max_connections).toBe(0);
    expect(bad).toEqual([]);
    active.socket.write(encodeFrame(Buffer.from("still served")));
    await waitUntil(() => frames.some((f) => f.text === "still served"));
    real.destroy();
    active.socket.destroy();
    for (const f of flood) f.socket.destroy();
  });

  it("drops a slow-loris connection stuck in one frame", async () => {
    const { addr, bad } = await start({ idleTimeoutMs: 200 });
    const s = await openFrameSender(addr.host, addr.port);
    s.sendRaw(encodeFrame(Buffer.alloc(100)).subarray(0, 10));
    const timer = setInterval(() => s.sendRaw(Buffer.from([0])), 50); // trickles bytes, never finishes
    await waitUntil(() => bad.includes("idle_timeout"), 5000);
    clearInterval(timer);
    s.destroy();
  });

  it("pauses reading while backpressure is high and resumes when low", async () => {
    let high = false;
    const bp = new Backpressure();
    bp.addProbe(() => high);
    const { addr, frames } = await start({ backpressure: bp });
    const s = await openFrameSender(addr.host, addr.port);
    high = true;
    s.send(Buffer.from("first"));
    await waitUntil(() => frames.length === 1);
    s.send(Buffer.from("second"));
    await new Promise((r) => setTimeout(r, 100)); // a negative check: nothing may arrive while paused
    expect(frames.length).toBe(1);
    high = false;
    bp.notifyLow();
    await waitUntil(() => frames.length === 2);
    await s.end();
  });

  it("says clearly when the port is taken", async () => {
    const { addr } = await start();
    const other = new TcpSource({ name: "dup", host: "127.0.0.1", port: addr.port, logger: silentLogger(), onFrame: () => undefined });
    await expect(other.start()).rejects.toThrow(/source dup cannot listen on 127.0.0.1:\d+: address in use; choose another port/);
  });
});

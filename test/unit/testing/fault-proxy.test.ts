import { randomBytes } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { connect as tcpConnect, createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { connect as natsConnect, type NatsConnection } from "@nats-io/transport-node";
import { afterEach, describe, expect, it } from "vitest";
import { FaultProxy } from "../../../runtime/testing/fault-proxy.js";
import { startNatsServer, type NatsServer } from "../../../runtime/testing/nats-server.js";
import { freePort } from "../../../runtime/testing/ports.js";

// Everything a test opens, closed after it whatever happened.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Bytes read from a socket, with an event-driven wait for a length or for 'close'. */
class Received extends EventEmitter {
  chunks: Buffer[] = [];
  length = 0;
  closed = false;
  constructor(readonly socket: Socket) {
    super();
    socket.on("data", (c: Buffer) => {
      this.chunks.push(c);
      this.length += c.length;
      this.emit("change");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      this.closed = true;
      this.emit("change");
    });
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
  get text(): string {
    return this.bytes.toString();
  }
  /** Resolves once `cond` holds, re-checked on every read and on close. */
  until(cond: (r: Received) => boolean, timeoutMs = 5000, what = "bytes"): Promise<void> {
    if (cond(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off("change", check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (have ${this.length} bytes, closed=${this.closed})`));
      }, timeoutMs);
      const check = () => {
        if (!cond(this)) return;
        clearTimeout(timer);
        this.off("change", check);
        resolve();
      };
      this.on("change", check);
    });
  }
  waitFor(n: number, timeoutMs = 5000): Promise<void> {
    return this.until((r) => r.length >= n, timeoutMs, `${n} bytes`);
  }
  waitClosed(timeoutMs = 5000): Promise<void> {
    return this.until((r) => r.closed, timeoutMs, "close");
  }
}

/** A TCP server standing in for the target: keeps each accepted socket with what it received. */
interface Target {
  readonly port: number;
  readonly accepted: Received[];
  /** Resolves once `n` connections were accepted. */
  waitConnections(n: number, timeoutMs?: number): Promise<void>;
}

async function startTarget(onConnection: (s: Socket) => void = () => undefined): Promise<Target> {
  const accepted: Received[] = [];
  const events = new EventEmitter();
  const server: Server = createServer((s) => {
    accepted.push(new Received(s));
    onConnection(s);
    events.emit("connection");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  cleanups.push(async () => {
    for (const r of accepted) r.socket.destroy();
    await new Promise((r) => server.close(r));
  });
  return {
    port,
    accepted,
    waitConnections: async (n, timeoutMs = 5000) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      while (accepted.length < n) await once(events, "connection", { signal: deadline });
    },
  };
}

/** A target that echoes every byte back. */
function startEcho(): Promise<Target> {
  return startTarget((s) => s.pipe(s));
}

async function startProxy(port: number, seed?: number): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ target: { host: "127.0.0.1", port }, seed });
  cleanups.push(() => proxy.close());
  return proxy;
}

/** A client connection through the proxy, not awaited (a refused one may fail before 'connect'). */
function dialNow(proxy: FaultProxy): Received {
  const s = tcpConnect({ host: proxy.host, port: proxy.port, noDelay: true });
  cleanups.push(() => s.destroy());
  return new Received(s);
}

async function dial(proxy: FaultProxy): Promise<Received> {
  const r = dialNow(proxy);
  await once(r.socket, "connect");
  return r;
}

/** Milliseconds for `bytes` to go through an echo connection and come back. */
async function roundTrip(r: Received, bytes = Buffer.from("ping")): Promise<number> {
  const start = performance.now();
  const want = r.length + bytes.length;
  r.socket.write(bytes);
  await r.waitFor(want);
  return performance.now() - start;
}

// Only for asserting that something does NOT happen: there is no event to await for an absence.
const quietly = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("FaultProxy", () => {
  it("passes a large echo stream through byte-exact and counts it", async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    expect(proxy.url).toBe(`nats://127.0.0.1:${proxy.port}`);
    const client = await dial(proxy);
    const data = randomBytes(4 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 65_536) client.socket.write(data.subarray(i, i + 65_536));
    await client.waitFor(data.length, 20_000);
    expect(client.bytes.equals(data)).toBe(true);
    expect(proxy.stats).toMatchObject({ connections: 1, open: 1, bytesUp: data.length, bytesDown: data.length, resets: 0 });
  });

  it("delay adds at least ms in each delayed direction", async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const client = await dial(proxy);
    const base = await roundTrip(client);

    proxy.delay(100);
    expect(await roundTrip(client)).toBeGreaterThanOrEqual(200);

    // One way only: the round trip pays the delay once, not twice.
    proxy.pass();
    proxy.delay(200, 0, "up");
    const oneWay = await roundTrip(client);
    expect(oneWay).toBeGreaterThanOrEqual(200);
    expect(oneWay).toBeLessThan(400);

    proxy.pass();
    expect(await roundTrip(client)).toBeLessThan(base + 100);
  });

  it("keeps byte order within a connection under jitter", async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port, 7);
    proxy.delay(20, 20);
    const client = await dial(proxy);
    let sent = "";
    // Separate writes a few ms apart arrive as separate chunks, each with its own jittered delay (0..40 ms):
    // without head-of-line ordering many would overtake the one before.
    for (let i = 0; i < 100; i++) {
      const m = `<${i}>`;
      sent += m;
      client.socket.write(m);
      await new Promise((r) => setTimeout(r, 2));
    }
    await client.waitFor(sent.length);
    expect(client.text).toBe(sent);
  });

  it("caps bandwidth per direction (200 kB at 100 kB/s up takes about 2 s; down is not capped)", async () => {
    const down = randomBytes(200_000);
    const target = await startTarget((s) => s.write(down));
    const proxy = await startProxy(target.port);
    proxy.bandwidth(100_000, "up");
    const start = performance.now();
    const client = await dial(proxy);
    const up = randomBytes(200_000);
    client.socket.write(up);
    await target.waitConnections(1);
    const [upMs, downMs] = await Promise.all([
      target.accepted[0]!.waitFor(up.length, 10_000).then(() => performance.now() - start),
      client.waitFor(down.length, 10_000).then(() => performance.now() - start),
    ]);
    expect(target.accepted[0]!.bytes.equals(up)).toBe(true);
    expect(client.bytes.equals(down)).toBe(true);
    expect(upMs).toBeGreaterThanOrEqual(1800);
    expect(upMs).toBeLessThan(4000);
    expect(downMs).toBeLessThan(1000);
  });

  it("blackholes one way: bytes up arrive, bytes down are held until pass(), then arrive in order", async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    const client = await dial(proxy);
    await target.waitConnections(1);
    const server = target.accepted[0]!;

    proxy.blackhole("down");
    client.socket.write("hello");
    await server.waitFor(5);
    expect(server.text).toBe("hello");
    for (const part of ["a", "b", "c"]) {
      server.socket.write(part);
      await new Promise((r) => setImmediate(r));
    }
    await quietly(300);
    expect(client.length).toBe(0);
    expect(proxy.stats.bytesDown).toBe(0);

    proxy.pass();
    await client.waitFor(3);
    expect(client.text).toBe("abc");
  });

  it("blackholes both ways: holds bytes, a FIN and new connections until pass()", async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    const first = await dial(proxy);
    await target.waitConnections(1);
    const server = target.accepted[0]!;
    let serverSawEnd = false;
    server.socket.on("end", () => (serverSawEnd = true));

    proxy.blackhole();
    first.socket.end("up");
    server.socket.write("down");
    const second = await dial(proxy); // accepted by the proxy, but the target does not hear of it
    await quietly(300);
    expect(server.length).toBe(0);
    expect(serverSawEnd).toBe(false);
    expect(first.length).toBe(0);
    expect(target.accepted.length).toBe(1);
    expect(proxy.stats.open).toBe(2);

    proxy.pass();
    await server.until((r) => r.text === "up" && serverSawEnd, 5000, "'up' then FIN");
    await first.waitFor(4);
    expect(first.text).toBe("down");
    await target.waitConnections(2);
    second.socket.write("two");
    await target.accepted[1]!.waitFor(3);
    expect(target.accepted[1]!.text).toBe("two");
  });

  it("combines faults per direction: delay up and blackhole down", async () => {
    const target = await startTarget();
    const proxy = await startProxy(target.port);
    const client = await dial(proxy);
    await target.waitConnections(1);
    const server = target.accepted[0]!;

    proxy.delay(100, 0, "up");
    proxy.blackhole("down");
    const start = performance.now();
    client.socket.write("x");
    await server.waitFor(1);
    expect(performance.now() - start).toBeGreaterThanOrEqual(100);
    server.socket.write("y");
    await quietly(200);
    expect(client.length).toBe(0);
    proxy.pass();
    await client.waitFor(1);
    expect(client.text).toBe("y");
  });

  it("resetAll closes every client connection and the target side; new connections work", async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const a = await dial(proxy);
    const b = await dial(proxy);
    await echo.waitConnections(2);
    proxy.blackhole(); // a reset is not held back by faults
    proxy.resetAll();
    await Promise.all([a.waitClosed(), b.waitClosed(), ...echo.accepted.map((r) => r.waitClosed())]);
    expect(proxy.stats).toMatchObject({ connections: 2, open: 0, resets: 2 });

    proxy.pass();
    const c = await dial(proxy);
    await roundTrip(c);
    expect(c.text).toBe("ping");
  });

  it("refuse closes new connections at once and leaves open ones alone", async () => {
    const echo = await startEcho();
    const proxy = await startProxy(echo.port);
    const open = await dial(proxy);
    await echo.waitConnections(1);

    proxy.refuse(true);
    const refused = dialNow(proxy);
    await refused.waitClosed();
    expect(echo.accepted.length).toBe(1);
    expect(proxy.stats.refused).toBe(1);
    await roundTrip(open);

    proxy.refuse(false);
    const later = await dial(proxy);
    await roundTrip(later);
    expect(later.text).toBe("ping");
  });

  it("closes the client when the target cannot be reached", async () => {
    const proxy = await startProxy(await freePort());
    const client = await dial(proxy);
    await client.waitClosed();
    await expect.poll(() => proxy.stats.open).toBe(0);
  });

  it("rejects bad fault arguments with TROUPE_CONFIG", async () => {
    const proxy = await startProxy(await freePort());
    expect(() => proxy.delay(-1)).toThrow(expect.objectContaining({ code: "TROUPE_CONFIG" }));
    expect(() => proxy.delay(10, Number.NaN)).toThrow(expect.objectContaining({ code: "TROUPE_CONFIG" }));
    expect(() => proxy.bandwidth(0)).toThrow(expect.objectContaining({ code: "TROUPE_CONFIG" }));
    expect(() => proxy.blackhole("sideways" as never)).toThrow(expect.objectContaining({ code: "TROUPE_CONFIG" }));
    await expect(FaultProxy.start({ target: { host: "127.0.0.1", port: 0 } })).rejects.toMatchObject({ code: "TROUPE_CONFIG" });
  });

  it("partitions a real NATS client: it sees a disconnect within ~2 s, and reconnects after pass()", async () => {
    const nats: NatsServer = await startNatsServer();
    cleanups.push(() => nats.stop());
    const proxy = await startProxy(nats.port);
    const responder: NatsConnection = await natsConnect({ servers: nats.url });
    cleanups.push(() => responder.close());
    responder.subscribe("echo", {
      callback: (_err, m) => {
        m.respond(m.data);
      },
    });
    await responder.flush();

    const nc: NatsConnection = await natsConnect({
      servers: proxy.url,
      pingInterval: 500,
      maxPingOut: 2,
      reconnectTimeWait: 100,
      maxReconnectAttempts: -1,
    });
    cleanups.push(() => nc.close());
    const statuses = new EventEmitter();
    void (async () => {
      for await (const s of nc.status()) statuses.emit(s.type);
    })();
    expect(new TextDecoder().decode((await nc.request("echo", "before", { timeout: 2000 })).data)).toBe("before");

    const disconnected = once(statuses, "disconnect", { signal: AbortSignal.timeout(5000) });
    const start = performance.now();
    proxy.blackhole();
    await disconnected;
    expect(performance.now() - start).toBeLessThan(2500);

    const reconnected = once(statuses, "reconnect", { signal: AbortSignal.timeout(10_000) });
    proxy.pass();
    await reconnected;
    expect(new TextDecoder().decode((await nc.request("echo", "after", { timeout: 2000 })).data)).toBe("after");
  });
});

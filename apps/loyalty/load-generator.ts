import { connect, type Socket } from "node:net";
import { once } from "node:events";
import { AckedSourceClient } from "../../runtime/io/acked-client.js";
import type { Address } from "../../runtime/types.js";
import { clickCodec, loyalCustomerCodec } from "./messages.js";
import { clicks, loyalCustomers, type WorkloadSpec } from "./workload.js";

/** Where to send, what, and how fast. */
export interface LoadGeneratorOptions {
  loyal: { host: string; port: number };
  clicks: { host: string; port: number };
  spec: WorkloadSpec;
  /** Events per second over both streams (0: as fast as the sockets take them). */
  rate?: number;
  /** Resolves once the loyal records are applied, before clicks start (so every expected email is determined). */
  waitLoyalApplied?: (sent: number) => Promise<void>;
  /** Use the acknowledged source protocol with client ids `<acked>-loyal` and `<acked>-clicks`: resend after a disconnect, finish only when all is acknowledged. */
  acked?: string;
  /** Called about 10 times a second with progress. */
  progress?: (p: { phase: "loyal" | "clicks"; sent: number; total: number }) => void;
}

/** What the generator sent. */
export interface LoadGeneratorResult {
  loyalSent: number;
  clicksSent: number;
  ms: number;
}

const CHUNK = 2048;

/** Sends the workload's loyal records, waits for them to apply, then sends its clicks. */
export async function runLoadGenerator(o: LoadGeneratorOptions): Promise<LoadGeneratorResult> {
  const t0 = performance.now();
  const loyalTotal = countOf(loyalCustomers(o.spec));
  const send = o.acked ? (addr: Address, payloads: Iterable<Uint8Array>, rate: number, progress?: (sent: number) => void, stream = "") => sendAcked(addr, payloads, rate, `${o.acked}-${stream}`, progress) : (addr: Address, payloads: Iterable<Uint8Array>, rate: number, progress?: (sent: number) => void) => sendAll(addr, payloads, rate, progress);
  const loyalSent = await send(o.loyal, mapIter(loyalCustomers(o.spec), loyalCustomerCodec.encode), o.rate ?? 0, (sent) =>
    o.progress?.({ phase: "loyal", sent, total: loyalTotal }), "loyal",
  );
  if (o.waitLoyalApplied) await o.waitLoyalApplied(loyalSent);
  const clicksSent = await send(o.clicks, mapIter(clicks(o.spec), clickCodec.encode), o.rate ?? 0, (sent) =>
    o.progress?.({ phase: "clicks", sent, total: o.spec.clicks }), "clicks",
  );
  return { loyalSent, clicksSent, ms: performance.now() - t0 };
}

/**
 * Frames `payloads` onto one connection in large writes, honouring socket backpressure and a rate.
 * `onWrite(first, count)` is called as frames `first..first+count-1` (in the order given) are written.
 */
export async function sendAll(
  addr: { host: string; port: number },
  payloads: Iterable<Uint8Array>,
  rate: number,
  progress?: (sent: number) => void,
  onWrite?: (first: number, count: number) => void,
): Promise<number> {
  const socket = await openConnection(addr);
  let sent = 0;
  let lastProgress = 0;
  const start = performance.now();
  let parts: Uint8Array[] = [];
  let bytes = 0;
  const chunk = framesPerWrite(rate);
  const flush = async () => {
    const buf = Buffer.allocUnsafe(bytes + parts.length * 4);
    let off = 0;
    for (const p of parts) {
      buf.writeUInt32BE(p.length, off);
      buf.set(p, off + 4);
      off += 4 + p.length;
    }
    onWrite?.(sent, parts.length);
    sent += parts.length;
    parts = [];
    bytes = 0;
    if (!socket.write(buf)) await drained(socket);
    await paced(start, sent, rate);
    const now = performance.now();
    if (progress && now - lastProgress > 100) {
      lastProgress = now;
      progress(sent);
    }
  };
  for (const p of payloads) {
    parts.push(p);
    bytes += p.length;
    if (parts.length >= chunk) await flush();
  }
  if (parts.length) await flush();
  progress?.(sent);
  await new Promise<void>((resolve) => socket.end(resolve));
  return sent;
}

/** A connection to `addr` with Nagle off, once connected; rejects with the address when it cannot connect. */
export async function openConnection(addr: { host: string; port: number }): Promise<Socket> {
  const socket = connect(addr.port, addr.host);
  socket.setNoDelay(true);
  await Promise.race([once(socket, "connect"), once(socket, "error").then(([e]) => Promise.reject(new Error(`cannot connect to ${addr.host}:${addr.port}: ${(e as Error).message}`)))]);
  return socket;
}

/** Frames per write at `rate` frames a second (0: unpaced): about 200 writes a second when paced. */
export function framesPerWrite(rate: number): number {
  return rate > 0 ? Math.max(1, Math.min(CHUNK, Math.floor(rate / 200))) : CHUNK;
}

/** Waits until `sent` frames are due at `rate` a second since `start` (performance.now; rate 0: no wait). */
export async function paced(start: number, sent: number, rate: number): Promise<void> {
  if (rate <= 0) return;
  const wait = start + (sent / rate) * 1000 - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
}

/** Sends `payloads` on an acknowledged connection (resending after a disconnect); resolves once every frame is acknowledged. */
export async function sendAcked(addr: Address, payloads: Iterable<Uint8Array>, rate: number, clientId: string, progress?: (sent: number) => void): Promise<number> {
  const client = new AckedSourceClient({ clientId, addresses: () => [addr] });
  await client.start();
  const start = performance.now();
  let sent = 0;
  let lastProgress = 0;
  try {
    for (const p of payloads) {
      await client.send(p);
      sent++;
      if (rate > 0 && sent % 100 === 0) {
        const wait = start + (sent / rate) * 1000 - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
      if (progress && sent % 1000 === 0 && performance.now() - lastProgress > 100) {
        lastProgress = performance.now();
        progress(sent);
      }
    }
    if (!(await client.flush(120_000))) throw new Error(`${client.pending} frames to ${addr.host}:${addr.port} still unacknowledged after 120 s`);
    progress?.(sent);
    return sent;
  } finally {
    client.close();
  }
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onErr = (e: Error) => reject(e);
    socket.once("error", onErr);
    socket.once("drain", () => {
      socket.off("error", onErr);
      resolve();
    });
  });
}

function* mapIter<T, U>(it: Iterable<T>, f: (t: T) => U): Generator<U> {
  for (const x of it) yield f(x);
}

function countOf(it: Iterable<unknown>): number {
  let n = 0;
  for (const _ of it) n++;
  return n;
}

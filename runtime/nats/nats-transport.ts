import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { ControlMessage, Envelope } from "../types.js";
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_MAX_REASSEMBLY_BYTES, DEFAULT_REORDER_WINDOW } from "../defaults.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import type { Transport, TransportHandlers, WireContext } from "../transport/transport.js";
import { envelopeFromWire as fromWire, envelopeToWire as toWire } from "../wire/envelope-wire.js";
import { nodeMessageCodec, type WireControl, type WireEnvelope, type WireFragment, type WireNodeMessage } from "../wire/messages.js";
import { isMaxPayloadError, PayloadBudget } from "./max-payload.js";
import { nodeInbox } from "./subjects.js";

// Longest wait between two resends to a peer that answers nothing.
const MAX_RESEND_BACKOFF_MS = 2_000;

/** Options of the NATS transport. */
export interface NatsTransportOptions {
  readonly nc: NatsConnection;
  readonly cluster: string;
  readonly logger: Logger;
  /** Resend unacknowledged messages after this long. */
  readonly ackTimeoutMs?: number;
  /** Most bytes buffered to reassemble one fragmented message from one sender (larger ones are not sent). */
  readonly maxReassemblyBytes?: number;
}

interface Outgoing {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly envelopes: number;
  /** The events inside (batch or handed-off buffer), kept until acknowledged so they can be re-routed. */
  readonly events: readonly Envelope[] | undefined;
  sentAt: number;
  /** nats.js refused it as over the server's max payload (the limit fell after it was sized): never published again. */
  refused: boolean;
}

interface Peer {
  seq: number;
  readonly unacked: Outgoing[];
  /** Wait before the next resend: doubles while resends go unanswered (a paused or refusing peer), back to the ack timeout on progress. */
  backoff: number;
  /** This process's stream to that peer: a new one (seq from 1) each time the peer is forgotten and met again. */
  readonly session: string;
}

interface Incoming {
  incarnation: string;
  expected: number;
  readonly pending: Map<number, WireNodeMessage>;
  ackDue: boolean;
  /** The pieces of a fragmented message received so far, in order, and their bytes. */
  parts: Uint8Array[];
  partBytes: number;
  /** The message being reassembled overflowed the bound: its remaining pieces are dropped. */
  discarding: boolean;
}

/**
 * Node-to-node messaging over core NATS with acknowledgements: every message to a node
 * carries a sequence number (per sender incarnation and receiver); the receiver applies
 * them strictly in order, drops repeats, and acknowledges cumulatively; the sender keeps
 * what is unacknowledged and resends it after a timeout. Core NATS is at-most-once (a
 * disconnect drops the client's buffer, a slow consumer is cut off), so this is what
 * makes routing lossless across a server restart. Every message fits the server's max payload: a
 * batch over it is split by bytes, and a single message still over it (a handoff carrying many actor
 * states, one huge event) travels as fragments, each its own sequenced message, joined by the receiver.
 */
export class NatsTransport implements Transport {
  readonly kind = "nats" as const;
  /** Random per process start: a receiver resets its expectations when it changes. */
  readonly incarnation = Math.random().toString(36).slice(2, 12);
  private nodeId = "";
  private handlers: TransportHandlers | undefined;
  private wire: WireContext | undefined;
  private sub: Subscription | undefined;
  private readonly peers = new Map<string, Peer>();
  private readonly incoming = new Map<string, Incoming>();
  private readonly ackTimeout: number;
  private timer: NodeJS.Timeout | undefined;
  private ackScheduled = false;
  private inFlightCount = 0;
  private inFlightByteCount = 0;
  private sessions = 0;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);
  private readonly budget: PayloadBudget;
  private readonly maxReassembly: number;
  private reassembling = 0;
  /** Counters (plain numbers, read by metrics). */
  readonly stats = {
    messagesSent: 0,
    messagesReceived: 0,
    retransmitted: 0,
    duplicatesDropped: 0,
    malformed: 0,
    rerouted: 0,
    bytesSent: 0,
    bytesReceived: 0,
    /** Batches over the max payload sent as several batch messages. */
    batchesSplit: 0,
    /** Messages over the max payload sent as fragments, and the fragments. */
    messagesFragmented: 0,
    fragmentsSent: 0,
    /** Fragments received, and messages joined from them. */
    fragmentsReceived: 0,
    messagesReassembled: 0,
    /** Fragmented messages dropped because they outgrew the reassembly bound. */
    reassemblyOverflows: 0,
    /** Messages not sent because even fragmented they would outgrow the receiver's reassembly bound. */
    tooLargeToSend: 0,
    /** Publishes nats.js refused as over the max payload (never retried). */
    oversizedRefused: 0,
    /** Messages dropped unacknowledged while this node did not accept (its lease ran out, or its sinks were full). */
    refusedWhilePaused: 0,
  };
  private accepting = true;

  constructor(private readonly options: NatsTransportOptions) {
    this.ackTimeout = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.log = options.logger.child({ component: "nats-transport" });
    this.budget = new PayloadBudget(options.nc);
    this.maxReassembly = options.maxReassemblyBytes ?? DEFAULT_MAX_REASSEMBLY_BYTES;
  }

  async start(nodeId: string, handlers: TransportHandlers, wire: WireContext): Promise<void> {
    this.nodeId = nodeId;
    this.handlers = handlers;
    this.wire = wire;
    this.sub = this.options.nc.subscribe(nodeInbox(this.options.cluster, nodeId), {
      callback: (err, msg) => {
        if (err) {
          this.log.error({ err }, "subscription error");
          return;
        }
        this.receive(msg.data);
      },
    });
    // Make sure the server has the subscription before anyone is told we exist.
    await this.options.nc.flush();
    this.timer = setInterval(() => this.resendDue(), Math.max(10, this.ackTimeout / 2));
    this.timer.unref();
  }

  setAccepting(accepting: boolean): void {
    this.accepting = accepting;
  }

  sendBatch(to: string, envelopes: Envelope[]): void {
    const wire = this.wire!;
    const out: WireEnvelope[] = new Array(envelopes.length);
    for (let i = 0; i < envelopes.length; i++) out[i] = toWire(envelopes[i]!, wire);
    this.sendSequenced(to, { batch: { envelopes: out } }, envelopes);
  }

  sendControl(to: string, message: ControlMessage): void {
    this.sendSequenced(to, { control: this.controlToWire(message) }, message.type === "handoff-done" ? message.buffered : undefined);
  }

  inFlight(): number {
    return this.inFlightCount;
  }

  inFlightBytes(): number {
    return this.inFlightByteCount;
  }

  /** Bytes held now to reassemble fragmented messages (every sender). */
  reassemblyBytes(): number {
    return this.reassembling;
  }

  /**
   * Forgets a node that left the cluster and returns the events it never acknowledged, so the
   * node can route them to their new owners (at-least-once: it may have applied some of them).
   */
  forget(nodeId: string): Envelope[] {
    const peer = this.peers.get(nodeId);
    const inc = this.incoming.get(nodeId);
    if (inc) this.dropParts(inc);
    this.incoming.delete(nodeId);
    if (!peer) return [];
    const events: Envelope[] = [];
    for (const m of peer.unacked) {
      this.inFlightCount -= m.envelopes;
      this.inFlightByteCount -= m.bytes.length;
      if (m.events) events.push(...m.events);
    }
    this.stats.rerouted += events.length;
    this.peers.delete(nodeId);
    if (peer.unacked.length > 0) this.log.warn({ peer: nodeId, messages: peer.unacked.length, events: events.length }, "node left with messages unacknowledged; re-routing their events");
    return events;
  }

  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlightCount > 0 || [...this.peers.values()].some((p) => p.unacked.length > 0)) {
      if (Date.now() > deadline) {
        const waiting = [...this.peers].filter(([, p]) => p.unacked.length > 0).map(([id, p]) => `${id}:${p.unacked.length}`);
        this.log.warn({ inFlight: this.inFlightCount, unacked: waiting }, "transport flush timed out");
        return false;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.sub?.unsubscribe();
  }

  private sendSequenced(to: string, body: Pick<WireNodeMessage, "batch" | "control">, events: readonly Envelope[] | undefined): void {
    let peer = this.peers.get(to);
    if (!peer) this.peers.set(to, (peer = { seq: 0, unacked: [], backoff: this.ackTimeout, session: `${this.incarnation}.${++this.sessions}` }));
    const budget = this.budget.bytes();
    const bytes = nodeMessageCodec.encode({ from: this.nodeId, incarnation: peer.session, seq: peer.seq + 1, ...body });
    if (bytes.length <= budget) {
      this.enqueue(to, peer, bytes, events?.length ?? 0, events);
      return;
    }
    const envs = body.batch?.envelopes;
    if (envs && envs.length > 1 && events && events.length === envs.length) this.sendSplit(to, peer, envs, events, budget);
    else this.sendFragments(to, peer, body, events, budget);
  }

  // Appends a message encoded with sequence number `peer.seq + 1` and publishes it.
  private enqueue(to: string, peer: Peer, bytes: Uint8Array, envelopes: number, events: readonly Envelope[] | undefined): void {
    const m: Outgoing = { seq: ++peer.seq, bytes, envelopes, events, sentAt: performance.now(), refused: false };
    peer.unacked.push(m);
    this.inFlightCount += envelopes;
    this.inFlightByteCount += bytes.length;
    this.send(to, m);
  }

  // A batch over the budget: consecutive runs of its envelopes, each run a batch that fits (an
  // envelope over the budget on its own goes alone, as fragments). Only this rare path sizes envelopes.
  private sendSplit(to: string, peer: Peer, envs: WireEnvelope[], events: readonly Envelope[], budget: number): void {
    this.stats.batchesSplit++;
    const room = budget - messageOverhead(this.nodeId, peer.session);
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < envs.length; i++) {
      const size = envelopeBytes(envs[i]!);
      if (i > start && bytes + size > room) {
        this.sendSequenced(to, { batch: { envelopes: envs.slice(start, i) } }, events.slice(start, i));
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    this.sendSequenced(to, { batch: { envelopes: envs.slice(start) } }, events.slice(start));
  }

  // One message over the budget: its encoding cut into pieces, each its own sequenced message; the
  // events ride on the last piece (the receiver hands the message on only once that one arrives).
  private sendFragments(to: string, peer: Peer, body: Pick<WireNodeMessage, "batch" | "control">, events: readonly Envelope[] | undefined, budget: number): void {
    const whole = nodeMessageCodec.encode({ from: this.nodeId, incarnation: peer.session, seq: 0, ...body });
    if (whole.length > this.maxReassembly) {
      this.stats.tooLargeToSend++;
      this.log.error(
        { to, bytes: whole.length, maxReassemblyBytes: this.maxReassembly, events: events?.length ?? 0, handoff: body.control?.handoffDone ? `${body.control.handoffDone.partition}/${body.control.handoffDone.slot}` : undefined },
        "node message larger than the receiver's reassembly bound; not sent",
      );
      return;
    }
    const chunk = Math.max(1024, budget - messageOverhead(this.nodeId, peer.session));
    const count = Math.ceil(whole.length / chunk);
    this.stats.messagesFragmented++;
    this.stats.fragmentsSent += count;
    for (let index = 0; index < count; index++) {
      const last = index === count - 1;
      const fragment: WireFragment = { data: whole.subarray(index * chunk, (index + 1) * chunk), index, count };
      const bytes = nodeMessageCodec.encode({ from: this.nodeId, incarnation: peer.session, seq: peer.seq + 1, fragment });
      this.enqueue(to, peer, bytes, last ? (events?.length ?? 0) : 0, last ? events : undefined);
    }
  }

  private send(to: string, m: Outgoing): void {
    if (this.publish(to, m.bytes)) return;
    // Sized against an earlier, larger limit: resending it can never succeed, and it cannot be cut
    // up now (its sequence number is taken), so the link to that node waits behind it, loudly.
    m.refused = true;
    this.stats.oversizedRefused++;
    this.log.error({ to, seq: m.seq, bytes: m.bytes.length, maxPayload: this.budget.maxPayload() }, "node message over the server's max payload (the limit fell after it was sized); not resent, the link to that node is stuck behind it");
  }

  // Publishes; false only when nats.js refuses the message as over the server's max payload.
  private publish(to: string, bytes: Uint8Array): boolean {
    this.stats.messagesSent++;
    this.stats.bytesSent += bytes.length;
    try {
      this.options.nc.publish(nodeInbox(this.options.cluster, to), bytes);
    } catch (err) {
      if (isMaxPayloadError(err)) return false;
      // Closed or draining connection: the message stays unacknowledged and is resent later.
      if (this.limiter.allow() >= 0) this.log.warn({ err: (err as Error).message, to }, "publish failed; will resend");
    }
    return true;
  }

  private resendDue(): void {
    const now = performance.now();
    for (const [to, peer] of this.peers) {
      const first = peer.unacked[0];
      if (!first || now - first.sentAt < peer.backoff) continue;
      // Unanswered again: wait longer before the next round (a peer that refuses for a while is not flooded).
      peer.backoff = Math.min(peer.backoff * 2, MAX_RESEND_BACKOFF_MS);
      for (const m of peer.unacked) {
        if (m.refused) continue;
        m.sentAt = now;
        this.stats.retransmitted++;
        this.send(to, m);
      }
    }
  }

  private receive(data: Uint8Array): void {
    this.stats.bytesReceived += data.length;
    let msg: WireNodeMessage;
    try {
      msg = nodeMessageCodec.decode(data);
    } catch (err) {
      this.stats.malformed++;
      if (this.limiter.allow() >= 0) this.log.warn({ err: (err as Error).message, bytes: data.length }, "malformed node message dropped");
      return;
    }
    this.stats.messagesReceived++;
    if (msg.ack) {
      this.onAck(msg.from, msg.ack.seq, msg.ack.incarnation);
      return;
    }
    if (!msg.seq) {
      // Unsequenced control (e.g. `troupe drain` from outside the cluster).
      if (msg.control) this.deliver(msg);
      return;
    }
    if (!this.accepting) {
      // Not taken, not acknowledged: the sender resends it later, or re-routes it if this node is removed.
      this.stats.refusedWhilePaused++;
      return;
    }
    let inc = this.incoming.get(msg.from);
    if (!inc || inc.incarnation !== msg.incarnation) {
      // A sender we have not heard from, or a new stream from it (it restarted, or forgot us and met us again).
      if (inc) this.dropParts(inc);
      inc = { incarnation: msg.incarnation, expected: inc && inc.incarnation !== msg.incarnation ? 1 : msg.seq, pending: new Map(), ackDue: false, parts: [], partBytes: 0, discarding: false };
      this.incoming.set(msg.from, inc);
    }
    if (msg.seq < inc.expected || inc.pending.has(msg.seq)) {
      this.stats.duplicatesDropped++;
      this.scheduleAck(inc);
      return;
    }
    if (msg.seq > inc.expected) {
      if (inc.pending.size < DEFAULT_REORDER_WINDOW) inc.pending.set(msg.seq, msg);
      return;
    }
    this.deliver(msg, inc);
    inc.expected++;
    for (let next = inc.pending.get(inc.expected); next; next = inc.pending.get(inc.expected)) {
      inc.pending.delete(inc.expected);
      this.deliver(next, inc);
      inc.expected++;
    }
    this.scheduleAck(inc);
  }

  private deliver(msg: WireNodeMessage, inc?: Incoming): void {
    if (msg.fragment) {
      if (inc) this.reassemble(msg.from, inc, msg.fragment);
      return;
    }
    const h = this.handlers!;
    try {
      if (msg.batch) h.onBatch(msg.from, msg.batch.envelopes.map((w) => fromWire(w)));
      else if (msg.control) {
        const c = this.controlFromWire(msg.control, msg.from);
        if (c) h.onControl(msg.from, c);
      }
    } catch (err) {
      if (this.limiter.allow() >= 0) this.log.error({ err, from: msg.from }, "handling a node message failed");
    }
  }

  // Pieces arrive in sequence order (delivery is in order), so a message's pieces are consecutive.
  private reassemble(from: string, inc: Incoming, f: WireFragment): void {
    this.stats.fragmentsReceived++;
    const last = f.index === f.count - 1;
    if (f.index === 0) {
      this.dropParts(inc);
      inc.discarding = false;
    } else if (inc.discarding) {
      if (last) inc.discarding = false;
      return;
    } else if (f.index !== inc.parts.length) {
      this.stats.malformed++;
      if (this.limiter.allow() >= 0) this.log.warn({ from, index: f.index, count: f.count, have: inc.parts.length }, "fragment out of place; its message is dropped");
      this.dropParts(inc);
      inc.discarding = !last;
      return;
    }
    if (inc.partBytes + f.data.length > this.maxReassembly) {
      this.stats.reassemblyOverflows++;
      this.log.error({ from, bytes: inc.partBytes + f.data.length, maxReassemblyBytes: this.maxReassembly }, "fragmented node message over the reassembly bound; dropped");
      this.dropParts(inc);
      inc.discarding = !last;
      return;
    }
    inc.parts.push(f.data);
    inc.partBytes += f.data.length;
    this.reassembling += f.data.length;
    if (!last) return;
    const whole = Buffer.concat(inc.parts, inc.partBytes);
    this.dropParts(inc);
    let msg: WireNodeMessage;
    try {
      msg = nodeMessageCodec.decode(whole);
    } catch (err) {
      this.stats.malformed++;
      if (this.limiter.allow() >= 0) this.log.warn({ err: (err as Error).message, from, bytes: whole.length }, "malformed reassembled node message dropped");
      return;
    }
    this.stats.messagesReassembled++;
    msg.from = from;
    if (msg.batch || msg.control) this.deliver(msg);
  }

  private dropParts(inc: Incoming): void {
    this.reassembling -= inc.partBytes;
    inc.parts = [];
    inc.partBytes = 0;
  }

  private scheduleAck(inc: Incoming): void {
    inc.ackDue = true;
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => {
      this.ackScheduled = false;
      for (const [from, i] of this.incoming) {
        if (!i.ackDue) continue;
        i.ackDue = false;
        const bytes = nodeMessageCodec.encode({ from: this.nodeId, incarnation: this.incarnation, seq: 0, ack: { seq: i.expected - 1, incarnation: i.incarnation } });
        this.publish(from, bytes); // a few dozen bytes: never over the max payload
      }
    });
  }

  private onAck(from: string, seq: number, session: string): void {
    const peer = this.peers.get(from);
    if (!peer || session !== peer.session) return;
    let n = 0;
    let envs = 0;
    let bytes = 0;
    while (n < peer.unacked.length && peer.unacked[n]!.seq <= seq) {
      bytes += peer.unacked[n]!.bytes.length;
      envs += peer.unacked[n++]!.envelopes;
    }
    if (n > 0) {
      this.inFlightByteCount -= bytes;
      peer.unacked.splice(0, n);
      peer.backoff = this.ackTimeout;
      this.inFlightCount -= envs;
    }
  }

  private controlToWire(m: ControlMessage): WireControl {
    switch (m.type) {
      case "epoch-ack":
        return { epochAck: { epoch: m.epoch } };
      case "drain":
        return { drain: { nodeId: m.nodeId } };
      case "handoff-done":
        return {
          handoffDone: {
            app: m.app,
            partition: m.partition,
            slot: m.slot,
            epoch: m.epoch,
            from: m.from,
            actors: m.actors.map((a) => ({ key: a.key, state: this.wire!.encodeState(m.app, m.partition, a.state) })),
            buffered: m.buffered.map((e) => toWire(e, this.wire!)),
          },
        };
    }
  }

  private controlFromWire(c: WireControl, from: string): ControlMessage | undefined {
    if (c.epochAck) return { type: "epoch-ack", epoch: c.epochAck.epoch, from };
    if (c.drain) return { type: "drain", nodeId: c.drain.nodeId };
    const h = c.handoffDone;
    if (h) {
      return {
        type: "handoff-done",
        app: h.app,
        partition: h.partition,
        slot: h.slot,
        epoch: h.epoch,
        from: h.from,
        actors: (h.actors ?? []).map((a) => ({ key: a.key, state: this.wire!.decodeState(h.app, h.partition, a.state) })),
        buffered: (h.buffered ?? []).map((w) => fromWire(w)),
      };
    }
    return undefined;
  }
}

// Bytes a node message adds around its body (from, incarnation, seq, a fragment's index and count,
// field tags and lengths), with room to spare.
function messageOverhead(from: string, session: string): number {
  return 64 + 3 * (from.length + session.length);
}

// An upper bound of an envelope's encoded size inside a batch: its strings at 3 bytes per UTF-16 unit
// (UTF-8's most), its payload, and 64 bytes for the numeric fields, tags and lengths.
function envelopeBytes(w: WireEnvelope): number {
  return 64 + w.payload.length + 3 * (w.app.length + w.key.length + w.source.length);
}

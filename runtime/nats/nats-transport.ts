import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { ControlMessage, Envelope } from "../cluster/envelope.js";
import { DEFAULT_ACK_TIMEOUT_MS, DEFAULT_REORDER_WINDOW } from "../defaults.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import type { Transport, TransportHandlers, WireContext } from "../transport/transport.js";
import { envelopeFromWire as fromWire, envelopeToWire as toWire } from "../wire/envelope-wire.js";
import { nodeMessageCodec, type WireControl, type WireEnvelope, type WireNodeMessage } from "../wire/messages.js";
import { nodeInbox } from "./subjects.js";

/** Options of the NATS transport. */
export interface NatsTransportOptions {
  readonly nc: NatsConnection;
  readonly cluster: string;
  readonly logger: Logger;
  /** Resend unacknowledged messages after this long. */
  readonly ackTimeoutMs?: number;
}

interface Outgoing {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly envelopes: number;
  /** The events inside (batch or handed-off buffer), kept until acknowledged so they can be re-routed. */
  readonly events: readonly Envelope[] | undefined;
  sentAt: number;
}

interface Peer {
  seq: number;
  readonly unacked: Outgoing[];
  /** This process's stream to that peer: a new one (seq from 1) each time the peer is forgotten and met again. */
  readonly session: string;
}

interface Incoming {
  incarnation: string;
  expected: number;
  readonly pending: Map<number, WireNodeMessage>;
  ackDue: boolean;
}

/**
 * Node-to-node messaging over core NATS with acknowledgements: every message to a node
 * carries a sequence number (per sender incarnation and receiver); the receiver applies
 * them strictly in order, drops repeats, and acknowledges cumulatively; the sender keeps
 * what is unacknowledged and resends it after a timeout. Core NATS is at-most-once (a
 * disconnect drops the client's buffer, a slow consumer is cut off), so this is what
 * makes routing lossless across a server restart.
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
  private sessions = 0;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);
  /** Counters (plain numbers, read by metrics). */
  readonly stats = { messagesSent: 0, messagesReceived: 0, retransmitted: 0, duplicatesDropped: 0, malformed: 0, rerouted: 0, bytesSent: 0, bytesReceived: 0 };

  constructor(private readonly options: NatsTransportOptions) {
    this.ackTimeout = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.log = options.logger.child({ component: "nats-transport" });
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

  /**
   * Forgets a node that left the cluster and returns the events it never acknowledged, so the
   * node can route them to their new owners (at-least-once: it may have applied some of them).
   */
  forget(nodeId: string): Envelope[] {
    const peer = this.peers.get(nodeId);
    this.incoming.delete(nodeId);
    if (!peer) return [];
    const events: Envelope[] = [];
    for (const m of peer.unacked) {
      this.inFlightCount -= m.envelopes;
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
    const envelopes = events?.length ?? 0;
    let peer = this.peers.get(to);
    if (!peer) this.peers.set(to, (peer = { seq: 0, unacked: [], session: `${this.incarnation}.${++this.sessions}` }));
    const seq = ++peer.seq;
    const bytes = nodeMessageCodec.encode({ from: this.nodeId, incarnation: peer.session, seq, ...body });
    peer.unacked.push({ seq, bytes, envelopes, events, sentAt: performance.now() });
    this.inFlightCount += envelopes;
    this.publish(to, bytes);
  }

  private publish(to: string, bytes: Uint8Array): void {
    this.stats.messagesSent++;
    this.stats.bytesSent += bytes.length;
    try {
      this.options.nc.publish(nodeInbox(this.options.cluster, to), bytes);
    } catch (err) {
      // Closed or draining connection: the message stays unacknowledged and is resent later.
      if (this.limiter.allow() >= 0) this.log.warn({ err: (err as Error).message, to }, "publish failed; will resend");
    }
  }

  private resendDue(): void {
    const now = performance.now();
    for (const [to, peer] of this.peers) {
      const first = peer.unacked[0];
      if (!first || now - first.sentAt < this.ackTimeout) continue;
      for (const m of peer.unacked) {
        m.sentAt = now;
        this.stats.retransmitted++;
        this.publish(to, m.bytes);
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
    let inc = this.incoming.get(msg.from);
    if (!inc || inc.incarnation !== msg.incarnation) {
      // A sender we have not heard from, or a new stream from it (it restarted, or forgot us and met us again).
      inc = { incarnation: msg.incarnation, expected: inc && inc.incarnation !== msg.incarnation ? 1 : msg.seq, pending: new Map(), ackDue: false };
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
    this.deliver(msg);
    inc.expected++;
    for (let next = inc.pending.get(inc.expected); next; next = inc.pending.get(inc.expected)) {
      inc.pending.delete(inc.expected);
      this.deliver(next);
      inc.expected++;
    }
    this.scheduleAck(inc);
  }

  private deliver(msg: WireNodeMessage): void {
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
        this.publish(from, bytes);
      }
    });
  }

  private onAck(from: string, seq: number, session: string): void {
    const peer = this.peers.get(from);
    if (!peer || session !== peer.session) return;
    let n = 0;
    let envs = 0;
    while (n < peer.unacked.length && peer.unacked[n]!.seq <= seq) envs += peer.unacked[n++]!.envelopes;
    if (n > 0) {
      peer.unacked.splice(0, n);
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

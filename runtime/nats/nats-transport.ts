import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { ActorHandoff, ControlMessage, Envelope } from "../types.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import { ReliableChannel } from "../transport/reliable-channel.js";
import type { Transport, TransportHandlers, WireContext } from "../transport/transport.js";
import { envelopeFromWire as fromWire, envelopeToWire as toWire } from "../wire/envelope-wire.js";
import type { WireActorState, WireControl, WireEnvelope, WireNodeMessage } from "../wire/messages.js";
import { batchEnvelopes } from "../wire/node-message-codec.js";
import { isMaxPayloadError, PayloadBudget } from "./max-payload.js";
import { nodeInbox } from "./subjects.js";

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

/**
 * Node-to-node messaging over core NATS: each node subscribes to its inbox subject and publishes to
 * the others'. Core NATS is at-most-once (a disconnect drops the client's buffer, a slow consumer is
 * cut off), so every message goes through a {@link ReliableChannel} (sequence numbers, cumulative
 * acknowledgements, resends, fragments within the server's max payload): that is what makes routing
 * lossless across a server restart. This class holds only the NATS calls and the wire forms of
 * envelopes and control messages.
 */
export class NatsTransport implements Transport {
  readonly kind = "nats" as const;
  /** Counters of the channel (plain numbers, read by metrics). */
  readonly stats: ReliableChannel<Envelope>["stats"];
  /** Acknowledgement round trips (ms). */
  readonly ackRtt: ReliableChannel<Envelope>["ackRtt"];
  /** Bytes of actor state sent in handoffs and pre-copies (encoded with the partitions' codecs). */
  stateBytesSent = 0;
  private handlers: TransportHandlers | undefined;
  private wire: WireContext | undefined;
  private sub: Subscription | undefined;
  private readonly channel: ReliableChannel<Envelope>;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);

  constructor(private readonly options: NatsTransportOptions) {
    this.log = options.logger.child({ component: "nats-transport" });
    const budget = new PayloadBudget(options.nc);
    this.channel = new ReliableChannel<Envelope>({
      publish: (to, bytes) => this.publish(to, bytes),
      deliver: (from, msg) => this.deliver(from, msg),
      budget: () => budget.bytes(),
      logger: this.log,
      ackTimeoutMs: options.ackTimeoutMs,
      maxReassemblyBytes: options.maxReassemblyBytes,
      // A batch's envelopes decode straight into runtime envelopes (node-message-decode.ts).
      eventsOfBatch: (envelopes) => batchEnvelopes({ envelopes }),
    });
    this.stats = this.channel.stats;
    this.ackRtt = this.channel.ackRtt;
  }

  /** Random per process start: a receiver resets its expectations when it changes. */
  get incarnation(): string {
    return this.channel.incarnation;
  }

  async start(nodeId: string, handlers: TransportHandlers, wire: WireContext): Promise<void> {
    this.handlers = handlers;
    this.wire = wire;
    this.channel.start(nodeId);
    this.sub = this.options.nc.subscribe(nodeInbox(this.options.cluster, nodeId), {
      callback: (err, msg) => {
        if (err) {
          this.log.error({ err }, "subscription error");
          return;
        }
        this.channel.receive(msg.data);
      },
    });
    // Make sure the server has the subscription before anyone is told we exist.
    await this.options.nc.flush();
  }

  setAccepting(accepting: boolean): void {
    this.channel.setAccepting(accepting);
  }

  sendBatch(to: string, envelopes: Envelope[]): void {
    const wire = this.wire!;
    // The envelopes go as they are, each with its input's bytes (kept: a resend or re-route needs them):
    // its payload, or a source frame's range, which the batch's encode copies from (no view made).
    for (let i = 0; i < envelopes.length; i++) {
      const e = envelopes[i]!;
      if (e.payload === undefined && e.frame === undefined) e.payload = wire.payloadOf(e);
    }
    this.channel.send(to, { batch: { envelopes: envelopes as WireEnvelope[] } }, envelopes);
  }

  sendControl(to: string, message: ControlMessage): void {
    this.channel.send(to, { control: this.controlToWire(message) }, message.type === "handoff-done" ? message.buffered : undefined);
  }

  inFlight(): number {
    return this.channel.inFlight();
  }

  inFlightBytes(): number {
    return this.channel.inFlightBytes();
  }

  /** Bytes held now to reassemble fragmented messages (every sender). */
  reassemblyBytes(): number {
    return this.channel.reassemblyBytes();
  }

  /**
   * Forgets a node that left the cluster and returns the events it never acknowledged, so the
   * node can route them to their new owners (at-least-once: it may have applied some of them).
   */
  forget(nodeId: string): Envelope[] {
    return this.channel.forget(nodeId);
  }

  flush(timeoutMs: number): Promise<boolean> {
    return this.channel.flush(timeoutMs);
  }

  async close(): Promise<void> {
    this.channel.close();
    this.sub?.unsubscribe();
  }

  // Publishes; false only when nats.js refuses the message as over the server's max payload.
  private publish(to: string, bytes: Uint8Array): boolean {
    try {
      this.options.nc.publish(nodeInbox(this.options.cluster, to), bytes);
    } catch (err) {
      if (isMaxPayloadError(err)) return false;
      // Closed or draining connection: the message stays unacknowledged and is resent later.
      if (this.limiter.allow() >= 0) this.log.warn({ err: (err as Error).message, to }, "publish failed; will resend");
    }
    return true;
  }

  private deliver(from: string, msg: WireNodeMessage): void {
    const h = this.handlers!;
    if (msg.batch) h.onBatch(from, batchEnvelopes(msg.batch));
    else if (msg.control) {
      const c = this.controlFromWire(msg.control, from);
      if (c) h.onControl(from, c);
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
            actors: this.statesToWire(m.app, m.partition, m.actors),
            buffered: m.buffered.map((e) => toWire(e, this.wire!)),
            copy: m.copy ?? 0,
            stale: [...(m.stale ?? [])],
            delivered: m.delivered ?? 0,
          },
        };
      case "slot-copy":
        return { slotCopy: { app: m.app, partition: m.partition, slot: m.slot, copy: m.copy, round: m.round, actors: this.statesToWire(m.app, m.partition, m.actors), last: m.last, stale: [...(m.stale ?? [])] } };
      case "slot-copy-ack":
        return { slotCopyAck: { app: m.app, partition: m.partition, slot: m.slot, copy: m.copy, round: m.round, ok: m.ok } };
      case "slot-copy-cancel":
        return { slotCopyCancel: { app: m.app, partition: m.partition, slot: m.slot, copy: m.copy } };
      case "copy-ready":
        return { copyReady: { epoch: m.epoch } };
    }
  }

  // Actor states as their partition's codec encodes them (the bytes are counted: /cluster's handoff.bytes).
  private statesToWire(app: string, partition: string, actors: readonly ActorHandoff[]): WireActorState[] {
    const out = new Array<WireActorState>(actors.length);
    for (let i = 0; i < actors.length; i++) {
      const a = actors[i]!;
      const state = this.wire!.encodeState(app, partition, a.state);
      this.stateBytesSent += state.length;
      out[i] = { key: a.key, state, revision: a.revision ?? 0, seq: a.seq ?? 0, stored: a.dirty === false };
    }
    return out;
  }

  private statesFromWire(app: string, partition: string, actors: readonly WireActorState[] | undefined): ActorHandoff[] {
    return (actors ?? []).map((a) => ({ key: a.key, state: this.wire!.decodeState(app, partition, a.state), revision: a.revision, seq: a.seq, dirty: !a.stored }));
  }

  private controlFromWire(c: WireControl, from: string): ControlMessage | undefined {
    if (c.epochAck) return { type: "epoch-ack", epoch: c.epochAck.epoch, from };
    if (c.drain) {
      // Any member may publish to an inbox, so a drain there is not trusted: it comes on the drain subject, from an admin.
      if (this.limiter.allow() >= 0) this.log.warn({ from }, "drain request on the inbox ignored: `troupe drain` sends it on the drain subject");
      return undefined;
    }
    const h = c.handoffDone;
    if (h) {
      return {
        type: "handoff-done",
        app: h.app,
        partition: h.partition,
        slot: h.slot,
        epoch: h.epoch,
        from: h.from,
        actors: this.statesFromWire(h.app, h.partition, h.actors),
        buffered: (h.buffered ?? []).map((w) => fromWire(w)),
        copy: h.copy ?? 0,
        stale: h.stale ?? [],
        delivered: h.delivered ?? 0,
      };
    }
    const sc = c.slotCopy;
    if (sc) return { type: "slot-copy", app: sc.app, partition: sc.partition, slot: sc.slot, copy: sc.copy, round: sc.round, actors: this.statesFromWire(sc.app, sc.partition, sc.actors), last: sc.last === true, stale: sc.stale ?? [] };
    const a = c.slotCopyAck;
    if (a) return { type: "slot-copy-ack", app: a.app, partition: a.partition, slot: a.slot, copy: a.copy, round: a.round, ok: a.ok === true };
    const x = c.slotCopyCancel;
    if (x) return { type: "slot-copy-cancel", app: x.app, partition: x.partition, slot: x.slot, copy: x.copy };
    if (c.copyReady) return { type: "copy-ready", epoch: c.copyReady.epoch };
    return undefined;
  }
}

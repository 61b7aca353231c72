// Over 300 lines: one protocol, the sending and receiving halves of a sequenced, acknowledged stream per
// peer and the cutting of what does not fit; the halves' state is outbox.ts's and inbox.ts's, reassembly fragments.ts's.
import { DEFAULT_ACK_DELAY_MS, DEFAULT_ACK_TIMEOUT_MS, DEFAULT_MAX_REASSEMBLY_BYTES, DEFAULT_REORDER_WINDOW } from "../defaults.js";
import { LogRateLimiter, type Logger } from "../logger.js";
import { channelStats, type ChannelStats } from "./channel-stats.js";
import { nodeMessageCodec, type WireEnvelope, type WireNodeMessage } from "../wire/messages.js";
import { systemClock, type ChannelClock } from "./channel-clock.js";
import { batchCuts, cutFragments, messageOverhead, Reassembler } from "./fragments.js";
import { Inbox } from "./inbox.js";
import { Outbox, type Outgoing, type Stream } from "./outbox.js";
import { LatencyHistogram } from "../observability/latency-histogram.js";

/** What a channel carries for its user: a batch or a control message (exactly one). */
export type ChannelBody = Pick<WireNodeMessage, "batch" | "control">;

/** What a reliable channel is built over. */
export interface ReliableChannelOptions<E = unknown> {
  /** Publishes bytes to node `to`; false when they are refused as too large (they are never published again). */
  publish(to: string, bytes: Uint8Array): boolean;
  /** Hands on a batch or control message from `from`, in the order its sender sent it. */
  deliver(from: string, message: WireNodeMessage): void;
  /** Bytes one published message may carry now (larger ones are split or fragmented). */
  budget(): number;
  readonly logger: Logger;
  /** Resend unacknowledged messages after this long. */
  readonly ackTimeoutMs?: number;
  /** Wait this long before acknowledging on its own (0: at the end of the turn); meanwhile acknowledgements ride on messages to their senders. */
  readonly ackDelayMs?: number;
  /** Most bytes buffered to reassemble one fragmented message from one sender (larger ones are not sent). */
  readonly maxReassemblyBytes?: number;
  /** Out-of-order messages held per sender while a gap fills. */
  readonly reorderWindow?: number;
  /**
   * Reads a batch's events back from its decoded envelopes, for `forget`. Given, a batch sent as one
   * message keeps only its bytes until acknowledged, not its event objects: those die young instead of
   * living through a round trip, which at a node's peak made them most of what each young-generation GC
   * copied and promoted. Without it (or for a fragmented batch), the events are kept.
   */
  readonly eventsOfBatch?: (envelopes: WireEnvelope[]) => E[];
  readonly clock?: ChannelClock;
}

/**
 * Lossless, ordered node-to-node messaging over an at-most-once publish: every message to a node
 * carries a sequence number (per sender session and receiver); the receiver applies them strictly
 * in order, holds early ones in a window, drops repeats, and acknowledges cumulatively; the sender
 * keeps what is unacknowledged and resends it with a growing backoff. Every message fits the budget:
 * a batch over it is split by bytes, and a single message still over it travels as fragments, each
 * its own sequenced message, joined by the receiver. `E` is what a message carries for re-routing.
 *
 * An acknowledgement owed to a node rides on the next message to it (`piggyback`) once that node has
 * shown it reads them (it sent one); what is still owed after `ackDelayMs` goes on its own.
 */
export class ReliableChannel<E> {
  /** Random per channel: a receiver resets its expectations when it changes. */
  readonly incarnation = Math.random().toString(36).slice(2, 12);
  /** Counters (plain numbers, read by metrics). */
  readonly stats: ChannelStats = channelStats();
  /** Acknowledgement round trips (ms): from a message's last send to the acknowledgement that covers it. */
  readonly ackRtt = new LatencyHistogram();

  private nodeId = "";
  private readonly outbox: Outbox<E>;
  private readonly inbox: Inbox;
  private readonly ackTimeout: number;
  private readonly ackDelay: number;
  // Peers that sent a piggybacked acknowledgement, so read them: acknowledgements to them ride along.
  private readonly piggybackers = new Set<string>();
  private readonly maxReassembly: number;
  private readonly clock: ChannelClock;
  private readonly reassembler: Reassembler;
  private readonly log: Logger;
  private readonly limiter = new LogRateLimiter(5);
  private stopTimer: (() => void) | undefined;
  private ackScheduled = false;
  private accepting = true;
  // Bound once: the hot paths pass them without allocating a closure.
  private readonly take = (msg: WireNodeMessage) => this.takeInOrder(msg);
  private readonly restart = (from: string) => this.reassembler.drop(from);
  private readonly sendAcks = () => {
    this.ackScheduled = false;
    this.inbox.owed(this.sendAck);
  };
  private readonly sendAck = (to: string, seq: number, incarnation: string) => {
    // A few dozen bytes: never over the limit.
    this.stats.acksSent++;
    this.publish(to, nodeMessageCodec.encode({ from: this.nodeId, incarnation: this.incarnation, seq: 0, ack: { seq, incarnation, reset: false } }));
  };
  private readonly resend = (to: string, m: Outgoing<E>) => {
    this.stats.retransmitted++;
    this.transmit(to, m);
  };

  constructor(private readonly options: ReliableChannelOptions<E>) {
    this.ackTimeout = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.ackDelay = options.ackDelayMs ?? DEFAULT_ACK_DELAY_MS;
    this.maxReassembly = options.maxReassemblyBytes ?? DEFAULT_MAX_REASSEMBLY_BYTES;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger;
    this.reassembler = new Reassembler(this.maxReassembly, this.stats, this.log);
    this.outbox = new Outbox<E>(this.incarnation, this.ackTimeout);
    this.inbox = new Inbox(options.reorderWindow ?? DEFAULT_REORDER_WINDOW, this.stats);
  }

  /** Starts as node `nodeId`: the resend timer runs from now on. */
  start(nodeId: string): void {
    this.nodeId = nodeId;
    this.stopTimer ??= this.clock.every(Math.max(10, this.ackTimeout / 2), () => this.resendDue());
  }

  /** Stops the resend timer. */
  close(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  /** False: sequenced messages are dropped unacknowledged (their senders resend them); acknowledgements are still taken. */
  setAccepting(accepting: boolean): void {
    this.accepting = accepting;
  }

  /** Envelopes sent and not yet acknowledged. */
  inFlight(): number {
    return this.outbox.inFlight();
  }

  /** Bytes of messages sent and not yet acknowledged. */
  inFlightBytes(): number {
    return this.outbox.inFlightBytes();
  }

  /** Bytes held now to reassemble fragmented messages (every sender). */
  reassemblyBytes(): number {
    return this.reassembler.bytes();
  }

  /** Sends a batch or control message to `to`, after everything sent to it before; `events` are returned by `forget` until it is acknowledged. */
  send(to: string, body: ChannelBody, events?: readonly E[]): void {
    const peer = this.outbox.stream(to);
    const budget = this.options.budget();
    // A stale acknowledgement in a resend of this message is harmless: acknowledgements are cumulative.
    const piggyback = this.inbox.owedTo(to);
    const bytes = nodeMessageCodec.encode({ from: this.nodeId, incarnation: peer.session, seq: peer.seq + 1, ...body, piggyback });
    if (bytes.length <= budget) {
      // A peer not known to read piggybacked acknowledgements (an older node) still gets its own.
      if (piggyback && this.piggybackers.has(to)) {
        this.inbox.sentTo(to);
        this.stats.acksPiggybacked++;
      }
      const inBytes = body.batch !== undefined && events !== undefined && this.options.eventsOfBatch !== undefined;
      this.enqueue(to, peer, bytes, events?.length ?? 0, inBytes ? undefined : events, inBytes);
      return;
    }
    const envs = body.batch?.envelopes;
    if (envs && envs.length > 1 && events && events.length === envs.length) this.sendSplit(to, peer, envs, events, budget);
    else this.sendFragments(to, peer, body, events, budget);
  }

  /**
   * Forgets a node that left and returns the events it never acknowledged, so they can be routed to
   * their new owners (at-least-once: it may have applied some of them).
   */
  forget(nodeId: string): E[] {
    this.piggybackers.delete(nodeId);
    this.reassembler.drop(nodeId);
    this.inbox.drop(nodeId);
    const unacked = this.outbox.drop(nodeId);
    const events: E[] = [];
    for (const m of unacked) {
      if (m.events) events.push(...m.events);
      else if (m.eventsInBytes) events.push(...this.options.eventsOfBatch!(nodeMessageCodec.decode(m.bytes).batch?.envelopes ?? []));
    }
    this.stats.rerouted += events.length;
    if (unacked.length > 0) this.log.warn({ peer: nodeId, messages: unacked.length, events: events.length }, "node left with messages unacknowledged; re-routing their events");
    return events;
  }

  /** Resolves true once everything sent is acknowledged, or false after `timeoutMs` (wall clock). */
  async flush(timeoutMs: number): Promise<boolean> {
    if (!this.outbox.busy()) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([this.outbox.idle().then(() => true), timedOut]);
    clearTimeout(timer);
    if (!done) this.log.warn({ inFlight: this.outbox.inFlight(), unacked: this.outbox.waiting() }, "transport flush timed out");
    return done;
  }

  /** Resends to each peer whose oldest unacknowledged message is older than its backoff (the timer calls this). */
  resendDue(): void {
    this.outbox.due(this.clock.now(), this.resend);
  }

  /** Takes bytes published to this node: a message, a repeat, an acknowledgement, or garbage. */
  receive(data: Uint8Array): void {
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
      if (msg.ack.reset) this.restartStream(msg.from, msg.ack.incarnation);
      else this.acked(msg.from, msg.ack.seq, msg.ack.incarnation);
      return;
    }
    if (msg.piggyback) {
      // Taken whatever becomes of the message it rides on (held, a repeat, refused while paused).
      this.piggybackers.add(msg.from);
      this.acked(msg.from, msg.piggyback.seq, msg.piggyback.incarnation);
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
    const answer = this.inbox.accept(msg, this.take, this.restart);
    if (answer === "reset") {
      this.stats.streamsReset++;
      this.publish(msg.from, nodeMessageCodec.encode({ from: this.nodeId, incarnation: this.incarnation, seq: 0, ack: { seq: 0, incarnation: msg.incarnation, reset: true } }));
    } else if (answer === "ack" && !this.ackScheduled) {
      this.ackScheduled = true;
      if (this.ackDelay > 0) this.clock.after(this.ackDelay, this.sendAcks);
      else this.clock.soon(this.sendAcks);
    }
  }

  private acked(from: string, seq: number, session: string): void {
    const sentAt = this.outbox.acked(from, seq, session);
    if (sentAt >= 0) this.ackRtt.record(this.clock.now() - sentAt);
  }

  // A peer met our stream to it mid-way and took nothing: what it has not acknowledged goes again, as a
  // new stream from seq 1 (rare: a first message lost, or a peer restarted under the same id).
  private restartStream(to: string, session: string): void {
    const again = this.outbox.restart(to, session, (bytes, next, seq) => {
      const m = nodeMessageCodec.decode(bytes);
      return nodeMessageCodec.encode({ ...m, incarnation: next, seq });
    });
    if (again.length === 0) return;
    this.log.info({ peer: to, messages: again.length }, "peer met our stream mid-way; sending it again as a new stream");
    for (const m of again) if (!m.refused) this.resend(to, m);
  }

  // Keeps a message encoded with sequence number `peer.seq + 1` until acknowledged, and publishes it.
  private enqueue(to: string, peer: Stream<E>, bytes: Uint8Array, envelopes: number, events: readonly E[] | undefined, eventsInBytes = false): void {
    this.transmit(to, this.outbox.push(peer, bytes, envelopes, events, eventsInBytes, this.clock.now()));
  }

  // A batch over the budget: consecutive runs of its envelopes, each run a batch that fits (an
  // envelope over the budget on its own goes alone, as fragments). Only this rare path sizes envelopes.
  private sendSplit(to: string, peer: Stream<E>, envs: WireEnvelope[], events: readonly E[], budget: number): void {
    this.stats.batchesSplit++;
    let start = 0;
    for (const end of batchCuts(envs, budget - messageOverhead(this.nodeId, peer.session))) {
      this.send(to, { batch: { envelopes: envs.slice(start, end) } }, events.slice(start, end));
      start = end;
    }
  }

  // One message over the budget: its encoding cut into pieces, each its own sequenced message; the
  // events ride on the last piece (the receiver hands the message on only once that one arrives).
  private sendFragments(to: string, peer: Stream<E>, body: ChannelBody, events: readonly E[] | undefined, budget: number): void {
    const whole = nodeMessageCodec.encode({ from: this.nodeId, incarnation: peer.session, seq: 0, ...body });
    if (whole.length > this.maxReassembly) {
      this.stats.tooLargeToSend++;
      const h = body.control?.handoffDone;
      this.log.error(
        { to, bytes: whole.length, maxReassemblyBytes: this.maxReassembly, events: events?.length ?? 0, handoff: h ? `${h.partition}/${h.slot}` : undefined },
        "node message larger than the receiver's reassembly bound; not sent",
      );
      return;
    }
    const fragments = cutFragments(whole, Math.max(1024, budget - messageOverhead(this.nodeId, peer.session)));
    this.stats.messagesFragmented++;
    this.stats.fragmentsSent += fragments.length;
    for (const fragment of fragments) {
      const last = fragment.index === fragment.count - 1;
      const bytes = nodeMessageCodec.encode({ from: this.nodeId, incarnation: peer.session, seq: peer.seq + 1, fragment });
      this.enqueue(to, peer, bytes, last ? (events?.length ?? 0) : 0, last ? events : undefined);
    }
  }

  private transmit(to: string, m: Outgoing<E>): void {
    if (this.publish(to, m.bytes)) return;
    // Sized against an earlier, larger limit: resending it can never succeed, and it cannot be cut
    // up now (its sequence number is taken), so the link to that node waits behind it, loudly.
    m.refused = true;
    this.stats.oversizedRefused++;
    this.log.error({ to, seq: m.seq, bytes: m.bytes.length, budget: this.options.budget() }, "node message over the server's max payload (the limit fell after it was sized); not resent, the link to that node is stuck behind it");
  }

  private publish(to: string, bytes: Uint8Array): boolean {
    this.stats.messagesSent++;
    this.stats.bytesSent += bytes.length;
    return this.options.publish(to, bytes);
  }

  // Hands on one in-order message: a fragment goes to reassembly, a joined message on to the user.
  private takeInOrder(msg: WireNodeMessage): void {
    if (!msg.fragment) {
      this.deliver(msg);
      return;
    }
    const whole = this.reassembler.add(msg.from, msg.fragment);
    if (!whole) return;
    let joined: WireNodeMessage;
    try {
      joined = nodeMessageCodec.decode(whole);
    } catch (err) {
      this.stats.malformed++;
      if (this.limiter.allow() >= 0) this.log.warn({ err: (err as Error).message, from: msg.from, bytes: whole.length }, "malformed reassembled node message dropped");
      return;
    }
    this.stats.messagesReassembled++;
    joined.from = msg.from;
    if (joined.batch || joined.control) this.deliver(joined);
  }

  // A failing handler must not stall the sequence: the message counts as taken.
  private deliver(msg: WireNodeMessage): void {
    try {
      this.options.deliver(msg.from, msg);
    } catch (err) {
      if (this.limiter.allow() >= 0) this.log.error({ err, from: msg.from }, "handling a node message failed");
    }
  }
}

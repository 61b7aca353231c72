import type { ControlMessage, Envelope } from "../types.js";
import type { LatencyHistogram } from "../observability/latency-histogram.js";

/** What a transport calls when something arrives for this node. */
export interface TransportHandlers {
  /** A batch from `from`, in the order it was sent. */
  onBatch(from: string, envelopes: Envelope[]): void;
  /** A control message from `from`, ordered with the batches from the same sender. */
  onControl(from: string, message: ControlMessage): void;
}

/** How the node turns in-memory envelopes and states into bytes when a transport needs bytes. */
export interface WireContext {
  /** The encoded input of an envelope (its frame, or its value through the stage's codec). */
  payloadOf(envelope: Envelope): Uint8Array;
  /** The encoded state of an actor of `app`/`partition`. */
  encodeState(app: string, partition: string, state: unknown): Uint8Array;
  /** The decoded state of an actor of `app`/`partition`. */
  decodeState(app: string, partition: string, bytes: Uint8Array): unknown;
}

/** Moves batches and control messages between nodes; per (sender, receiver) order is kept. */
export interface Transport {
  readonly kind: "in-process" | "nats";
  /** Starts receiving for `nodeId`. */
  start(nodeId: string, handlers: TransportHandlers, wire: WireContext): Promise<void>;
  /** Sends one batch to `to`. The transport owns `envelopes` from now on. */
  sendBatch(to: string, envelopes: Envelope[]): void;
  /** Sends a control message to `to`, after every batch already sent to it. */
  sendControl(to: string, message: ControlMessage): void;
  /** Envelopes sent but not yet delivered (or acknowledged); sources pause above a high-water mark. */
  inFlight(): number;
  /** Bytes of messages sent but not yet acknowledged (transports that keep them); sources pause above a high-water mark. */
  inFlightBytes?(): number;
  /** Bytes held to reassemble messages that arrived in fragments (transports that fragment). */
  reassemblyBytes?(): number;
  /** Resolves once everything sent has been delivered (or acknowledged), or after `timeoutMs` with false. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Bytes of actor state sent in handoffs and pre-copies (transports that encode states). */
  readonly stateBytesSent?: number;
  /** Counters of the transport (messages, retransmissions, repeats dropped...), for /cluster and metrics. */
  readonly stats?: Readonly<Record<string, number>>;
  /** Acknowledgement round trips (ms), for transports that acknowledge. */
  readonly ackRtt?: LatencyHistogram;
  /** Forgets a node that left the cluster; returns the events it never acknowledged, for re-routing (optional). */
  forget?(nodeId: string): Envelope[];
  /**
   * False: messages from other nodes are dropped unacknowledged (their senders resend them, or re-route
   * them once this node leaves the view); acknowledgements are still taken. A node that may not act
   * (its lease ran out) must not take events it cannot run in. Optional: transports without peers.
   */
  setAccepting?(accepting: boolean): void;
  /** Stops receiving and releases resources. */
  close(): Promise<void>;
}

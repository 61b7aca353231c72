import type { ControlMessage, Envelope } from "../types.js";
import type { Transport, TransportHandlers } from "./transport.js";

type Item = { from: string; batch: Envelope[] | undefined; control: ControlMessage | undefined };

/** The switchboard that in-process transports of one embedded cluster share. */
export class InProcessHub {
  private readonly nodes = new Map<string, TransportHandlers>();
  private readonly queue: Item[] = [];
  private head = 0;
  private scheduled = false;
  private inFlightCount = 0;
  private readonly idleWaiters: Array<() => void> = [];
  /** Items addressed to a node that is not attached (counted, never silent). */
  undeliverable = 0;

  /** Attaches the handlers of `nodeId`. */
  attach(nodeId: string, handlers: TransportHandlers): void {
    this.nodes.set(nodeId, handlers);
  }

  /** Detaches `nodeId`; later items for it count as undeliverable. */
  detach(nodeId: string): void {
    this.nodes.delete(nodeId);
  }

  /** Queues an item for `to`; delivery happens on a later turn so senders are never re-entered. */
  post(to: string, from: string, batch: Envelope[] | undefined, control: ControlMessage | undefined): void {
    this.queue.push({ from, batch, control, to } as Item & { to: string });
    if (batch) this.inFlightCount += batch.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  /** Envelopes queued and not yet delivered. */
  inFlight(): number {
    return this.inFlightCount;
  }

  /** Resolves when the queue is empty. */
  whenIdle(): Promise<void> {
    if (this.head >= this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    // Items posted while draining are delivered in this same pass, in order.
    while (this.head < this.queue.length) {
      const item = this.queue[this.head++] as Item & { to: string };
      const target = this.nodes.get(item.to);
      if (item.batch) this.inFlightCount -= item.batch.length;
      if (!target) {
        this.undeliverable += item.batch ? item.batch.length : 1;
        continue;
      }
      if (item.batch) target.onBatch(item.from, item.batch);
      else if (item.control) target.onControl(item.from, item.control);
    }
    this.queue.length = 0;
    this.head = 0;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  };
}

/** The embedded default transport: nodes in one process, same batching and routing as over NATS. */
export class InProcessTransport implements Transport {
  readonly kind = "in-process" as const;
  private nodeId = "";

  constructor(private readonly hub: InProcessHub) {}

  async start(nodeId: string, handlers: TransportHandlers): Promise<void> {
    this.nodeId = nodeId;
    this.hub.attach(nodeId, handlers);
  }

  sendBatch(to: string, envelopes: Envelope[]): void {
    this.hub.post(to, this.nodeId, envelopes, undefined);
  }

  sendControl(to: string, message: ControlMessage): void {
    this.hub.post(to, this.nodeId, undefined, message);
  }

  inFlight(): number {
    return this.hub.inFlight();
  }

  async flush(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const done = await Promise.race([this.hub.whenIdle().then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }

  async close(): Promise<void> {
    this.hub.detach(this.nodeId);
  }
}

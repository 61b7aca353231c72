import { InvalidArgumentError, type NatsConnection } from "@nats-io/transport-node";
import { DEFAULT_NATS_MAX_PAYLOAD_BYTES, DEFAULT_PAYLOAD_HEADROOM_BYTES } from "../defaults.js";

/**
 * How large one message published on a connection may be: the server's `max_payload` from its
 * INFO, read on every call because a reconnect (to another server, or a reconfigured one) can
 * change it, less headroom for headers and framing.
 */
export class PayloadBudget {
  // While the client reconnects it has no INFO (and nats.js checks nothing): the last limit seen stands.
  private known: number;

  constructor(
    private readonly nc: NatsConnection,
    private readonly headroom = DEFAULT_PAYLOAD_HEADROOM_BYTES,
  ) {
    this.known = nc.info?.max_payload || DEFAULT_NATS_MAX_PAYLOAD_BYTES;
  }

  /** The server's max payload (headers and data of one message), or the last one seen while reconnecting. */
  maxPayload(): number {
    const m = this.nc.info?.max_payload;
    if (m !== undefined && m > 0) this.known = m;
    return this.known;
  }

  /** Bytes of data one message may carry: the max payload less the headroom (at most an eighth of it). */
  bytes(): number {
    const max = this.maxPayload();
    return max - Math.min(this.headroom, max >> 3);
  }
}

/** True when nats.js refused a publish because it is over the server's max payload (it throws synchronously). */
export function isMaxPayloadError(err: unknown): boolean {
  return err instanceof InvalidArgumentError && err.message.includes("max_payload");
}

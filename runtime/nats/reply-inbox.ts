import { createInbox, type NatsConnection } from "@nats-io/transport-node";

/**
 * A new reply inbox under the connection's `inboxPrefix` (see `replyInboxPrefix` in subjects.ts), as nats.js's own
 * requests make: the roles may subscribe only there. The prefix is on the connection's options, which nats.js's
 * public type does not show.
 */
export function replyInbox(nc: NatsConnection): string {
  return createInbox((nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix);
}

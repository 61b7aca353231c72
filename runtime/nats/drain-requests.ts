import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { DEFAULT_CLUSTER_NAME } from "../defaults.js";
import { NatsUnavailableError } from "../errors.js";
import type { Logger } from "../logger.js";
import { connectNats, type NatsTarget } from "./nats-cluster.js";
import { requestError } from "./request-errors.js";
import { checkClusterName, drainSubject, replyInboxPrefix } from "./subjects.js";

/** A node's answer to a drain request. */
export interface DrainReply {
  readonly ok: boolean;
  readonly error?: string;
}

// A drain request waits this long for the node's answer (it answers before it starts draining).
const DRAIN_REQUEST_TIMEOUT_MS = 5_000;

/**
 * Node side: answers drain requests on its own drain subject. Only a role allowed to publish there
 * (troupe-admin in deploy/nats/nats-server.conf) can reach it; the inbox no longer takes drains.
 */
export function serveDrainRequests(nc: NatsConnection, cluster: string, nodeId: string, drain: () => DrainReply, log: Logger): Subscription {
  return nc.subscribe(drainSubject(cluster, nodeId), {
    callback: (_err, msg) => {
      const reply = drain();
      log.info({ ok: reply.ok, ...(reply.error ? { error: reply.error } : {}) }, "drain requested");
      msg.respond(new TextEncoder().encode(JSON.stringify(reply)));
    },
  });
}

/** Asks node `nodeId` to drain (graceful leave) and waits for its answer; refused without the admin role. */
export async function requestDrain(target: NatsTarget, nodeId: string, cluster = DEFAULT_CLUSTER_NAME): Promise<void> {
  const c = checkClusterName(cluster);
  const nc = await connectNats(target, "troupe-cli", replyInboxPrefix(c, "cli"));
  const subject = drainSubject(c, nodeId);
  try {
    const m = await nc.request(subject, new Uint8Array(0), { timeout: DRAIN_REQUEST_TIMEOUT_MS });
    const reply = m.json<DrainReply>();
    if (!reply.ok) throw new NatsUnavailableError(`node "${nodeId}" did not drain: ${reply.error ?? "no reason given"}`);
  } catch (err) {
    throw requestError(err, subject, "drain a node", nodeId);
  } finally {
    await nc.close();
  }
}

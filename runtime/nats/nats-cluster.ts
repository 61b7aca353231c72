import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import type { Membership, MembershipView } from "../cluster/membership.js";
import { DEFAULT_CLUSTER_NAME, NATS_CONNECT_TIMEOUT_MS } from "../defaults.js";
import { NatsUnavailableError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { StateStore } from "../state/state-store.js";
import type { Transport } from "../transport/transport.js";
import { clusterViewCodec, nodeMessageCodec } from "../wire/messages.js";
import { KvMembership } from "./kv-membership.js";
import { NatsTransport } from "./nats-transport.js";
import { checkClusterName, nodeInbox, viewBucket, VIEW_KEY } from "./subjects.js";

/** Options for joining a cluster through NATS. */
export interface NatsClusterOptions {
  /** NATS server URL(s), comma-separated. */
  readonly url: string;
  readonly nodeId: string;
  readonly logger: Logger;
  readonly cluster?: string;
  readonly heartbeatMs?: number;
  readonly failureTimeoutMs?: number;
  readonly ackTimeoutMs?: number;
  /** JetStream replicas for Troupe's buckets (use 3 on a 3-server NATS cluster). */
  readonly replicas?: number;
}

/** The NATS-backed parts of a node. */
export interface NatsClusterParts {
  readonly transport: Transport;
  readonly membership: Membership;
  readonly store?: StateStore;
  readonly nc?: NatsConnection;
  close(): Promise<void>;
}

/** Connects to NATS with reconnects that never give up, or fails with what to check. */
export async function connectNats(url: string, name: string, logger?: Logger): Promise<NatsConnection> {
  let nc: NatsConnection;
  try {
    // Short pings: a connection left half-open by a network cut is found stale in seconds and replaced.
    // A server that does not answer the handshake in 2 s is skipped for the next: nats.js waits 20 s by
    // default, longer than a failure timeout, so one dead server of a cluster got a live node removed.
    nc = await connect({ servers: url.split(",").map((s) => s.trim()), name, maxReconnectAttempts: -1, reconnectTimeWait: 250, pingInterval: 2_000, maxPingOut: 2, timeout: NATS_CONNECT_TIMEOUT_MS });
  } catch (err) {
    throw new NatsUnavailableError(
      `cannot connect to NATS at ${url}: ${(err as Error).message}. Start a server with JetStream (nats-server -js) or fix --nats / TROUPE_NATS_URL`,
      { cause: err },
    );
  }
  if (logger) {
    const log = logger.child({ component: "nats" });
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error" || s.type === "slowConsumer") {
          log.warn({ status: s.type, ...("server" in s ? { server: s.server } : {}) }, `nats ${s.type}`);
        }
      }
    })();
  }
  return nc;
}

/** Connects to NATS and builds the transport and membership of a node. */
export async function connectNatsCluster(options: NatsClusterOptions): Promise<NatsClusterParts> {
  const cluster = checkClusterName(options.cluster ?? DEFAULT_CLUSTER_NAME);
  const nc = await connectNats(options.url, `troupe-${options.nodeId}`, options.logger);
  try {
    const membership = new KvMembership({ nc, cluster, logger: options.logger, heartbeatMs: options.heartbeatMs, failureTimeoutMs: options.failureTimeoutMs, replicas: options.replicas });
    await membership.open();
    const transport = new NatsTransport({ nc, cluster, logger: options.logger, ackTimeoutMs: options.ackTimeoutMs });
    return { transport, membership, nc, close: () => nc.drain().catch(() => nc.close()) };
  } catch (err) {
    await nc.close();
    throw err;
  }
}

/** Asks node `nodeId` to drain (graceful leave), from any machine that reaches NATS. */
export async function requestDrain(url: string, nodeId: string, cluster = DEFAULT_CLUSTER_NAME): Promise<void> {
  const nc = await connectNats(url, "troupe-cli");
  try {
    nc.publish(nodeInbox(checkClusterName(cluster), nodeId), nodeMessageCodec.encode({ from: "troupe-cli", incarnation: "cli", seq: 0, control: { drain: { nodeId } } }));
    await nc.flush();
  } finally {
    await nc.close();
  }
}

/** The current cluster view, read from the membership bucket. */
export async function readClusterView(url: string, cluster = DEFAULT_CLUSTER_NAME): Promise<MembershipView> {
  const nc = await connectNats(url, "troupe-cli");
  try {
    const kv = await new Kvm(nc).open(viewBucket(checkClusterName(cluster))).catch((err: unknown) => {
      throw new NatsUnavailableError(`no Troupe cluster "${cluster}" on ${url} (${(err as Error).message}); is a node running?`, { cause: err });
    });
    const e = await kv.get(VIEW_KEY);
    if (!e || e.operation !== "PUT") return { epoch: 0, members: [] };
    return {
      epoch: e.revision,
      members: clusterViewCodec.decode(e.value).members.map((r) => ({ id: r.nodeId, joinedSeq: r.joinedSeq, status: r.status === "leaving" ? ("leaving" as const) : ("up" as const), ...(r.http ? { http: r.http } : {}) })),
    };
  } finally {
    await nc.close();
  }
}

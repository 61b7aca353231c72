import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { parseMemberStatus, type Membership, type MembershipView } from "../cluster/membership.js";
import { DEFAULT_CLUSTER_NAME, NATS_CONNECT_TIMEOUT_MS } from "../defaults.js";
import { NatsUnavailableError } from "../errors.js";
import { createLogger, type Logger } from "../logger.js";
import { connectError, redactUrls, resolveNatsConnection, scrub, type NatsAuthOptions } from "./connection-settings.js";
import type { StateStore } from "../state/state-store.js";
import type { Transport } from "../transport/transport.js";
import { clusterViewCodec } from "../wire/messages.js";
import { KvMembership } from "./kv-membership.js";
import { permissionError } from "./request-errors.js";
import { NatsTransport } from "./nats-transport.js";
import { checkClusterName, replyInboxPrefix, viewBucket, VIEW_KEY } from "./subjects.js";

/** Options for joining a cluster through NATS. */
export interface NatsClusterOptions {
  /** NATS server URL(s), comma-separated. */
  readonly url: string;
  /** Credentials and TLS settings (default: none). */
  readonly auth?: NatsAuthOptions;
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

/** Where a client connects: server URL(s), comma-separated, and its credentials and TLS settings. */
export interface NatsTarget {
  readonly url: string;
  readonly auth?: NatsAuthOptions;
}

/** Connects to NATS with reconnects that never give up, or fails with what to check (refused credentials fail at once). */
export async function connectNats(target: NatsTarget, name: string, inboxPrefix: string, logger?: Logger): Promise<NatsConnection> {
  const log = (logger ?? createLogger("warn")).child({ component: "nats" });
  const conn = resolveNatsConnection(target.url, target.auth, (message, fields) => log.warn(fields, message));
  let nc: NatsConnection;
  try {
    // Short pings: a connection left half-open by a network cut is found stale in seconds and replaced.
    // A server that does not answer the handshake in 2 s is skipped for the next: nats.js waits 20 s by
    // default, longer than a failure timeout, so one dead server of a cluster got a live node removed.
    // noAsyncTraces: nats.js would capture a stack trace (an Error) for every request (each JetStream
    // publish, each KV read and write) only to decorate a timeout; Troupe's errors say what failed.
    nc = await connect({ ...conn.options, name, inboxPrefix, maxReconnectAttempts: -1, reconnectTimeWait: 250, pingInterval: 2_000, maxPingOut: 2, timeout: NATS_CONNECT_TIMEOUT_MS, noAsyncTraces: true });
  } catch (err) {
    throw connectError(err, conn);
  }
  if (logger) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error" || s.type === "slowConsumer") {
          const error = "error" in s && s.error ? scrub(String((s.error as Error).message ?? s.error), conn.secrets) : undefined;
          log.warn({ status: s.type, ...("server" in s ? { server: s.server } : {}), ...(error ? { error } : {}) }, `nats ${s.type}`);
        }
      }
    })();
  }
  return nc;
}

/** Connects to NATS and builds the transport and membership of a node. */
export async function connectNatsCluster(options: NatsClusterOptions): Promise<NatsClusterParts> {
  const cluster = checkClusterName(options.cluster ?? DEFAULT_CLUSTER_NAME);
  const nc = await connectNats(options, `troupe-${options.nodeId}`, replyInboxPrefix(cluster, "node"), options.logger);
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

/** The current cluster view, read from the membership bucket. */
export async function readClusterView(target: NatsTarget, cluster = DEFAULT_CLUSTER_NAME): Promise<MembershipView> {
  const nc = await connectNats(target, "troupe-cli", replyInboxPrefix(checkClusterName(cluster), "cli"));
  try {
    const refused = (err: unknown) => permissionError(err, "read the cluster view", "troupe-viewer or troupe-admin");
    const kv = await new Kvm(nc).open(viewBucket(checkClusterName(cluster))).catch((err: unknown) => {
      if (refused(err) !== err) throw refused(err);
      throw new NatsUnavailableError(`no Troupe cluster "${cluster}" on ${redactUrls(target.url)} (${(err as Error).message}); is a node running?`, { cause: err });
    });
    const e = await kv.get(VIEW_KEY).catch((err: unknown) => {
      throw refused(err);
    });
    if (!e || e.operation !== "PUT") return { epoch: 0, members: [] };
    return {
      epoch: e.revision,
      members: clusterViewCodec.decode(e.value).members.map((r) => ({ id: r.nodeId, joinedSeq: r.joinedSeq, status: parseMemberStatus(r.status), ...(r.http ? { http: r.http } : {}) })),
    };
  } finally {
    await nc.close();
  }
}

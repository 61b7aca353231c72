import type { Command } from "commander";
import { hostname } from "node:os";
import { ConfigError } from "../errors.js";
import { createLogger } from "../logger.js";
import { LocalMembership, LocalMembershipBoard } from "../cluster/local-membership.js";
import { Node } from "../node/node.js";
import type { StateMode } from "../types.js";
import { connectNatsCluster, type NatsClusterParts } from "../nats/nats-cluster.js";
import { KvStateStore } from "../nats/kv-state-store.js";
import { checkNodeId } from "../cluster/node-id.js";
import { JetStreamEventLog } from "../nats/jetstream-event-log.js";
import { DeadLetterStream } from "../nats/dead-letter-stream.js";
import { DEFAULT_CLUSTER_NAME } from "../defaults.js";
import { InProcessHub, InProcessTransport } from "../transport/in-process-transport.js";
import { loadApp } from "./app-loader.js";
import { collect, envList, parseAddress, parseIntFlag, parseNamedAddresses, parseSinks } from "./options.js";

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
const STATE_MODES = ["memory", "snapshot", "durable"] as const;

/** `troupe node`: one cluster node; flags fall back to TROUPE_* environment variables. */
export function registerNodeCommand(program: Command): void {
  program
    .command("node")
    .description("run one cluster node (without --nats: an embedded single-process node)")
    .option("--app <name|path>", "app to run, by registered name or module path (repeatable; env TROUPE_APP, comma-separated)", collect, [])
    .option("--node-id <id>", "node id (env TROUPE_NODE_ID; default: the host name)")
    .option("--nats <url>", "NATS server URL(s), comma-separated (env TROUPE_NATS_URL); omit for the in-process transport")
    .option("--source <name=host:port>", "listen for a source's frames (repeatable; env TROUPE_SOURCES, comma-separated)", collect, [])
    .option("--sink <name=host:port|stdout>", "send a sink's frames (repeatable; env TROUPE_SINKS, comma-separated)", collect, [])
    .option("--http <host:port>", "serve /metrics, /healthz, /readyz, /cluster (env TROUPE_HTTP)")
    .option("--state <mode>", "state mode: memory | snapshot | durable (env TROUPE_STATE)")
    .option("--max-actors <n>", "active actors per partition before passivation (env TROUPE_MAX_ACTORS)")
    .option("--source-max-connections <n>", "most connections each source accepts (env TROUPE_SOURCE_MAX_CONNECTIONS)")
    .option("--source-max-connections-per-address <n>", "most connections each source accepts from one remote address (env TROUPE_SOURCE_MAX_CONNECTIONS_PER_ADDRESS)")
    .option("--source-first-frame-timeout-ms <ms>", "close a source connection that sends no complete first frame this long (env TROUPE_SOURCE_FIRST_FRAME_TIMEOUT_MS)")
    .option("--cluster <name>", "cluster name: separates clusters sharing one NATS (env TROUPE_CLUSTER)")
    .option("--heartbeat-ms <ms>", "heartbeat interval (env TROUPE_HEARTBEAT_MS)")
    .option("--failure-timeout-ms <ms>", "silence after which a member is removed (env TROUPE_FAILURE_TIMEOUT_MS)")
    .option("--snapshot-interval-ms <ms>", "write-behind interval of actor state (and checkpoints in durable mode) (env TROUPE_SNAPSHOT_INTERVAL_MS)")
    .option("--kv-replicas <n>", "JetStream replicas of Troupe's buckets, 3 on a NATS cluster (env TROUPE_KV_REPLICAS)")
    .option("--advertise-http <host:port>", "HTTP address other machines use to reach this node (env TROUPE_ADVERTISE_HTTP)")
    .option("--log-level <level>", "trace | debug | info | warn | error | silent (env TROUPE_LOG_LEVEL)")
    .action(async (flags: Record<string, string | string[] | undefined>) => {
      const level = (flags.logLevel as string | undefined) ?? process.env.TROUPE_LOG_LEVEL ?? "info";
      if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`--log-level: "${level}" is not one of ${LOG_LEVELS.join(", ")}`);
      const log = createLogger(level as (typeof LOG_LEVELS)[number]);
      const appNames = (flags.app as string[]).length ? (flags.app as string[]) : envList("TROUPE_APP");
      if (appNames.length === 0) throw new ConfigError("no app given: pass --app loyalty (or a module path), or set TROUPE_APP");
      const apps = await Promise.all(appNames.map(loadApp));
      const nodeId = checkNodeId((flags.nodeId as string | undefined) ?? process.env.TROUPE_NODE_ID ?? hostname());
      const natsUrl = (flags.nats as string | undefined) ?? process.env.TROUPE_NATS_URL;
      const sources = parseNamedAddresses((flags.source as string[]).length ? (flags.source as string[]) : envList("TROUPE_SOURCES"), "--source");
      const sinks = parseSinks((flags.sink as string[]).length ? (flags.sink as string[]) : envList("TROUPE_SINKS"));
      const httpFlag = (flags.http as string | undefined) ?? process.env.TROUPE_HTTP;
      const http = httpFlag ? parseAddress(httpFlag, "--http") : undefined;
      const mode = (flags.state as string | undefined) ?? process.env.TROUPE_STATE ?? (natsUrl ? "snapshot" : "memory");
      if (mode !== "memory" && !natsUrl) throw new ConfigError(`--state ${mode} needs --nats (JetStream); the embedded node keeps state in memory`);
      if (!(STATE_MODES as readonly string[]).includes(mode)) throw new ConfigError(`--state: "${mode}" is not one of ${STATE_MODES.join(", ")}`);
      const maxActorsFlag = (flags.maxActors as string | undefined) ?? process.env.TROUPE_MAX_ACTORS;
      const maxActors = maxActorsFlag ? parseIntFlag(maxActorsFlag, "--max-actors") : undefined;
      const maxConnFlag = (flags.sourceMaxConnections as string | undefined) ?? process.env.TROUPE_SOURCE_MAX_CONNECTIONS;
      const maxConnections = maxConnFlag ? parseIntFlag(maxConnFlag, "--source-max-connections") : undefined;
      const perAddressFlag = (flags.sourceMaxConnectionsPerAddress as string | undefined) ?? process.env.TROUPE_SOURCE_MAX_CONNECTIONS_PER_ADDRESS;
      const maxConnectionsPerAddress = perAddressFlag ? parseIntFlag(perAddressFlag, "--source-max-connections-per-address") : undefined;
      const firstFrameFlag = (flags.sourceFirstFrameTimeoutMs as string | undefined) ?? process.env.TROUPE_SOURCE_FIRST_FRAME_TIMEOUT_MS;
      const sourceFirstFrameTimeoutMs = firstFrameFlag ? parseIntFlag(firstFrameFlag, "--source-first-frame-timeout-ms", 10) : undefined;

      let parts: NatsClusterParts;
      if (natsUrl) {
        const hb = (flags.heartbeatMs as string | undefined) ?? process.env.TROUPE_HEARTBEAT_MS;
        const ft = (flags.failureTimeoutMs as string | undefined) ?? process.env.TROUPE_FAILURE_TIMEOUT_MS;
        parts = await connectNatsCluster({
          url: natsUrl,
          nodeId,
          logger: log,
          cluster: (flags.cluster as string | undefined) ?? process.env.TROUPE_CLUSTER,
          heartbeatMs: hb ? parseIntFlag(hb, "--heartbeat-ms", 10) : undefined,
          failureTimeoutMs: ft ? parseIntFlag(ft, "--failure-timeout-ms", 100) : undefined,
          replicas: parseIntFlag((flags.kvReplicas as string | undefined) ?? process.env.TROUPE_KV_REPLICAS ?? "1", "--kv-replicas", 1, 5),
        });
      } else {
        parts = { transport: new InProcessTransport(new InProcessHub()), membership: new LocalMembership(new LocalMembershipBoard()), close: async () => undefined };
      }
      const advertiseHttp = (flags.advertiseHttp as string | undefined) ?? process.env.TROUPE_ADVERTISE_HTTP;
      let epochOf = () => 0;
      let mayWrite = () => true;
      const cluster = (flags.cluster as string | undefined) ?? process.env.TROUPE_CLUSTER ?? DEFAULT_CLUSTER_NAME;
      const replicas = parseIntFlag((flags.kvReplicas as string | undefined) ?? process.env.TROUPE_KV_REPLICAS ?? "1", "--kv-replicas", 1, 5);
      const writer = `${nodeId}~${Math.random().toString(36).slice(2, 10)}`;
      const store = mode !== "memory" && parts.nc ? new KvStateStore({ nc: parts.nc, cluster, replicas, epoch: () => epochOf(), mayWrite: () => mayWrite(), writer }) : parts.store;
      const eventLog = mode === "durable" && parts.nc ? new JetStreamEventLog({ nc: parts.nc, cluster, replicas, logger: log }) : undefined;
      const si = (flags.snapshotIntervalMs as string | undefined) ?? process.env.TROUPE_SNAPSHOT_INTERVAL_MS;
      const dlq = parts.nc ? new DeadLetterStream(parts.nc, cluster, replicas) : undefined;
      await dlq?.open();
      const node = Node.create({
        nodeId,
        apps,
        transport: parts.transport,
        membership: parts.membership,
        store,
        eventLog,
        mode: mode as StateMode,
        sources,
        sinks,
        http,
        advertiseHttp,
        logger: log,
        maxActors,
        maxConnections,
        maxConnectionsPerAddress,
        sourceFirstFrameTimeoutMs,
        snapshotIntervalMs: si ? parseIntFlag(si, "--snapshot-interval-ms", 10) : undefined,
        onDeadLetter: dlq ? (letter) => dlq.publish(letter, nodeId) : undefined,
      });
      epochOf = () => node.handoff.epoch;
      mayWrite = () => node.seat.mayAct();
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, "signal received; draining");
        node
          .drain()
          .then(() => parts.close())
          .then(() => process.exit(0))
          .catch((err: unknown) => {
            log.error({ err }, "drain failed");
            process.exit(1);
          });
      };
      process.on("SIGTERM", () => shutdown("SIGTERM"));
      process.on("SIGINT", () => shutdown("SIGINT"));
      await node.start();
      dlq?.serve((record, target) => node.reinject(record.app, target, record.payload), log.child({ component: "dlq" }));
      // Drain also ends the process when it was requested remotely (troupe drain).
      const watch = setInterval(() => {
        if (node.lifecycle === "stopped" && !stopping) {
          clearInterval(watch);
          void parts.close().then(() => process.exit(0));
        }
      }, 200);
    });
}

import { Command } from "commander";
import { hostname } from "node:os";
import { ConfigError } from "../errors.js";
import { createLogger, LOG_FORMATS } from "../logger.js";
import { LocalMembership, LocalMembershipBoard } from "../cluster/local-membership.js";
import { Node } from "../node/node.js";
import type { SinkTarget } from "../node/node-options.js";
import type { Address, StateMode } from "../types.js";
import { connectNatsCluster, type NatsClusterParts } from "../nats/nats-cluster.js";
import { KvStateStore } from "../nats/kv-state-store.js";
import { checkNodeId } from "../cluster/node-id.js";
import { JetStreamEventLog } from "../nats/jetstream-event-log.js";
import { DeadLetterStream } from "../nats/dead-letter-stream.js";
import { serveStateQueries } from "../nats/state-query.js";
import {
  DEFAULT_FAILURE_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_ACTORS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_SNAPSHOT_INTERVAL_MS,
  DEFAULT_PRECOPY_TIMEOUT_MS,
  DEFAULT_SOURCE_FIRST_FRAME_TIMEOUT_MS,
} from "../defaults.js";
import { InProcessHub, InProcessTransport } from "../transport/in-process-transport.js";
import { loadApp, type AppRegistry } from "./app-loader.js";
import { addNatsOptions, natsTarget, type NatsFlags } from "./nats-connection-options.js";
import { httpTokenFlag } from "./http-token-option.js";
import { serveDrainRequests } from "../nats/drain-requests.js";
import { clusterFlag, flag, LOG_LEVELS, parseAddress, parseChoice, parseIntFlag, parseNamedAddresses, parseSinks, repeatableFlag, STATE_MODES } from "./options.js";

/** `troupe node`'s flags once parsed (from the command line, else the TROUPE_* environment variables, else defaults). */
export interface NodeFlags extends NatsFlags {
  readonly app?: readonly string[];
  readonly nodeId?: string;
  readonly source?: Readonly<Record<string, Address>>;
  readonly sink?: Readonly<Record<string, SinkTarget>>;
  readonly http?: Address;
  readonly state?: StateMode;
  readonly maxActors: number;
  readonly sourceMaxConnections: number;
  readonly sourceMaxConnectionsPerAddress: number;
  readonly sourceFirstFrameTimeoutMs: number;
  readonly cluster: string;
  readonly heartbeatMs: number;
  readonly failureTimeoutMs: number;
  readonly snapshotIntervalMs: number;
  readonly warmJoinTimeoutMs: number;
  readonly kvReplicas: number;
  readonly advertiseHttp?: string;
  readonly httpToken?: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly logFormat: (typeof LOG_FORMATS)[number];
}

const int =
  (min = 1, max = Number.MAX_SAFE_INTEGER) =>
  (value: string, what: string) =>
    parseIntFlag(value, what, min, max);

/** `troupe node` with its flags and their environment variables, without an action (tests parse with it). */
export function nodeCommand(): Command {
  return addNatsOptions(new Command("node").description("run one cluster node (without --nats: an embedded single-process node)"), "NATS server URL(s), comma-separated; omit for the in-process transport")
    .addOption(repeatableFlag<string[]>("--app <name|path>", "app to run, by registered name or module path (repeatable; comma-separated in the environment variable)", (items, _what, previous = []) => [...previous, ...items]).env("TROUPE_APP"))
    .addOption(flag("--node-id <id>", "node id (default: the host name)", (value) => checkNodeId(value)).env("TROUPE_NODE_ID"))
    .addOption(repeatableFlag("--source <name=host:port>", "listen for a source's frames (repeatable; comma-separated in the environment variable)", parseNamedAddresses).env("TROUPE_SOURCES"))
    .addOption(repeatableFlag<Record<string, SinkTarget>>("--sink <name=host:port|stdout[:text|json|base64]>", "send a sink's frames, or print them (repeatable; comma-separated in the environment variable)", (items, _what, previous) => parseSinks(items, previous)).env("TROUPE_SINKS"))
    .addOption(flag("--http <host:port>", "serve /metrics, /healthz, /readyz, /cluster", parseAddress).env("TROUPE_HTTP"))
    .addOption(flag("--state <mode>", "state mode: memory | snapshot | durable (default: snapshot with --nats, memory without)", parseChoice(STATE_MODES)).env("TROUPE_STATE"))
    .addOption(flag("--max-actors <n>", "active actors per partition before passivation", int()).env("TROUPE_MAX_ACTORS").default(DEFAULT_MAX_ACTORS))
    .addOption(flag("--source-max-connections <n>", "most connections each source accepts", int()).env("TROUPE_SOURCE_MAX_CONNECTIONS").default(DEFAULT_MAX_CONNECTIONS))
    .addOption(flag("--source-max-connections-per-address <n>", "most connections each source accepts from one remote address", int()).env("TROUPE_SOURCE_MAX_CONNECTIONS_PER_ADDRESS").default(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS))
    .addOption(flag("--source-first-frame-timeout-ms <ms>", "close a source connection that sends no complete first frame this long", int(10)).env("TROUPE_SOURCE_FIRST_FRAME_TIMEOUT_MS").default(DEFAULT_SOURCE_FIRST_FRAME_TIMEOUT_MS))
    .addOption(clusterFlag())
    .addOption(flag("--heartbeat-ms <ms>", "heartbeat interval", int(10)).env("TROUPE_HEARTBEAT_MS").default(DEFAULT_HEARTBEAT_MS))
    .addOption(flag("--failure-timeout-ms <ms>", "silence after which a member is removed", int(100)).env("TROUPE_FAILURE_TIMEOUT_MS").default(DEFAULT_FAILURE_TIMEOUT_MS))
    .addOption(flag("--snapshot-interval-ms <ms>", "write-behind interval of actor state (and checkpoints in durable mode)", int(10)).env("TROUPE_SNAPSHOT_INTERVAL_MS").default(DEFAULT_SNAPSHOT_INTERVAL_MS))
    .addOption(flag("--warm-join-timeout-ms <ms>", "a joining node owns no slot while the owners pre-copy its future slots, at most this long; 0 joins at once (slots move whole)", int(0)).env("TROUPE_WARM_JOIN_TIMEOUT_MS").default(DEFAULT_PRECOPY_TIMEOUT_MS))
    .addOption(flag("--kv-replicas <n>", "JetStream replicas of Troupe's buckets, 3 on a NATS cluster", int(1, 5)).env("TROUPE_KV_REPLICAS").default(1))
    // Checked as HOST:PORT, passed on as written: other nodes dial exactly what this one advertises.
    .addOption(flag("--advertise-http <host:port>", "HTTP address other machines use to reach this node", (value, what) => (parseAddress(value, what), value.trim())).env("TROUPE_ADVERTISE_HTTP"))
    .addOption(httpTokenFlag())
    .addOption(flag("--log-level <level>", `${LOG_LEVELS.join(" | ")}`, parseChoice(LOG_LEVELS)).env("TROUPE_LOG_LEVEL").default("info"))
    .addOption(flag("--log-format <format>", "auto (pretty on a terminal, JSON otherwise) | json | pretty", parseChoice(LOG_FORMATS)).env("TROUPE_LOG_FORMAT").default("auto"));
}

/** Adds `troupe node`, which finds `--app NAME` in `apps`. */
export function registerNodeCommand(program: Command, apps: AppRegistry): void {
  program.addCommand(nodeCommand().action((flags: NodeFlags) => runNode(flags, apps)));
}

/** Runs one node until a signal (or a remote `troupe drain`) drains it, then exits the process. */
async function runNode(flags: NodeFlags, registry: AppRegistry): Promise<void> {
  const appNames = flags.app ?? [];
  if (appNames.length === 0) throw new ConfigError("no app given: pass --app loyalty (or a module path), or set TROUPE_APP");
  const apps = await Promise.all(appNames.map((name) => loadApp(name, registry)));
  const nodeId = flags.nodeId ?? checkNodeId(hostname());
  // Every line carries the node id: this command's own lines through `log`; the node adds it to `root`'s.
  const root = createLogger(flags.logLevel, {}, flags.logFormat);
  const log = root.child({ node: nodeId });
  const target = natsTarget(flags);
  const natsUrl = target?.url;
  const mode: StateMode = flags.state ?? (natsUrl ? "snapshot" : "memory");
  if (mode !== "memory" && !natsUrl) throw new ConfigError(`--state ${mode} needs --nats (JetStream); the embedded node keeps state in memory`);
  const { cluster, kvReplicas: replicas } = flags;

  let parts: NatsClusterParts;
  if (target) {
    parts = await connectNatsCluster({ ...target, nodeId, logger: log, cluster, heartbeatMs: flags.heartbeatMs, failureTimeoutMs: flags.failureTimeoutMs, replicas });
  } else {
    parts = { transport: new InProcessTransport(new InProcessHub()), membership: new LocalMembership(new LocalMembershipBoard()), close: async () => undefined };
  }
  let epochOf = () => 0;
  let mayWrite = () => true;
  const writer = `${nodeId}~${Math.random().toString(36).slice(2, 10)}`;
  const store = mode !== "memory" && parts.nc ? new KvStateStore({ nc: parts.nc, cluster, replicas, epoch: () => epochOf(), mayWrite: () => mayWrite(), writer }) : parts.store;
  const eventLog = mode === "durable" && parts.nc ? new JetStreamEventLog({ nc: parts.nc, cluster, replicas, logger: log }) : undefined;
  const dlq = parts.nc ? new DeadLetterStream(parts.nc, cluster, replicas) : undefined;
  await dlq?.open();
  const node = Node.create({
    nodeId,
    apps,
    transport: parts.transport,
    membership: parts.membership,
    store,
    eventLog,
    mode,
    sources: flags.source ?? {},
    sinks: flags.sink ?? {},
    http: flags.http,
    advertiseHttp: flags.advertiseHttp,
    httpToken: flags.httpToken,
    logger: root,
    maxActors: flags.maxActors,
    maxConnections: flags.sourceMaxConnections,
    maxConnectionsPerAddress: flags.sourceMaxConnectionsPerAddress,
    sourceFirstFrameTimeoutMs: flags.sourceFirstFrameTimeoutMs,
    snapshotIntervalMs: flags.snapshotIntervalMs,
    warmJoin: flags.warmJoinTimeoutMs > 0,
    preCopyTimeoutMs: flags.warmJoinTimeoutMs,
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
  dlq?.serve((record, replayTarget) => node.reinject(record.app, replayTarget, record.payload), log.child({ component: "dlq" }));
  // `troupe drain` (troupe-admin) arrives on the node's drain subject; the answer says whether it started.
  const drainRequested = () => {
    if (node.lifecycle !== "running") return { ok: false, error: `the node is ${node.lifecycle}` };
    node.drain().catch((err: unknown) => log.error({ err }, "drain failed"));
    return { ok: true };
  };
  if (parts.nc) serveDrainRequests(parts.nc, cluster, nodeId, drainRequested, log.child({ component: "drain" }));
  if (parts.nc) serveStateQueries(parts.nc, cluster, node.id, node.stateLookup, log.child({ component: "state-query" }));
  // Drain also ends the process when it was requested remotely (troupe drain).
  void node.stopped().then(() => {
    if (!stopping) void parts.close().then(() => process.exit(0));
  });
}

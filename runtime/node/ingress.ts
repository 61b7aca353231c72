import { ConfigError, EventTooLargeError } from "../errors.js";
import type { Backpressure } from "../io/backpressure.js";
import { TcpSource } from "../io/tcp-source.js";
import type { SourceConnection } from "../io/source-connection.js";
import type { Logger } from "../logger.js";
import type { DeadLetters } from "../observability/dead-letters.js";
import type { AppendDone, EventLog, LogProducer } from "../state/event-log.js";
import type { Address, Envelope } from "../types.js";
import type { AppRuntime } from "./app-runtime.js";
import type { NodeOptions } from "./node-options.js";
import type { Origin } from "./origin.js";
import { envelopePayload } from "./envelope-payload.js";


/** What ingress needs from its node. */
export interface IngressHost {
  readonly nodeId: string;
  /** Random per process start: part of plain connections' event ids in durable mode. */
  readonly incarnation: string;
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly options: NodeOptions;
  readonly backpressure: Backpressure;
  readonly deadLetters: DeadLetters;
  /** Durable mode: where accepted events are stored. */
  readonly eventLog: EventLog | undefined;
}

// What ingress keeps with each source connection: its id in event ids, its frame count, and its origin.
interface ConnectionIngress {
  readonly id: string;
  seq: number;
  readonly origin: Origin;
}

/**
 * Where events come in: the node's TCP sources, each connection's event ids, and in durable mode the
 * event-log producers that store an event before its frame counts as accepted (an acknowledged
 * connection's frame is acknowledged only then).
 */
export class Ingress {
  readonly sources: TcpSource[] = [];
  readonly addresses = new Map<string, Address>();
  // Durable mode: the producer of each source connection, and this node's own per app (events made by steps).
  private readonly producers = new WeakMap<SourceConnection, LogProducer>();
  private readonly ownProducers = new Map<string, LogProducer>();

  constructor(private readonly host: IngressHost) {}

  /** Listens on every source the options name; each must be declared by an app. */
  async open(): Promise<void> {
    const { options, apps, log } = this.host;
    for (const [name, addr] of Object.entries(options.sources ?? {})) {
      if (!addr) continue;
      const app = [...apps.values()].find((a) => a.app.sources.has(name));
      if (!app) {
        const known = [...apps.values()].flatMap((a) => [...a.app.sources.keys()]);
        throw new ConfigError(`no app declares source "${name}"; known sources: ${known.join(", ") || "none"}`);
      }
      const source: TcpSource = new TcpSource({
        name,
        host: addr.host,
        port: addr.port,
        maxFrameBytes: options.maxFrameBytes,
        maxConnections: options.maxConnections,
        maxConnectionsPerAddress: options.maxConnectionsPerAddress,
        firstFrameTimeoutMs: options.sourceFirstFrameTimeoutMs,
        logger: log,
        backpressure: this.host.backpressure,
        onFrameAt: (buf, start, end, conn) => {
          // Per connection, made once: its event ids and where its frames came in.
          let c = conn.user as ConnectionIngress | undefined;
          if (!c) conn.user = c = { id: this.connectionId(name, conn), seq: 0, origin: { conn, source } };
          app.ingest(name, buf, start, end, c.id, conn.acks ? conn.acks.current : ++c.seq, conn.readAtMs, c.origin);
        },
        onBadInput: (reason, conn, detail) => this.host.deadLetters.record(reason, app.name, `${name} ${conn.remote}`, detail),
        onClose: (conn) => this.producers.get(conn)?.close(),
      });
      const bound = await source.start();
      this.sources.push(source);
      this.addresses.set(name, bound);
    }
  }

  /**
   * Durable mode: stores `env` through the producer of the connection it came in on (or this node's
   * own); the frame of an acknowledged connection is acknowledged once stored.
   */
  append(env: Envelope, origin: Origin | undefined): void {
    const log = this.host.eventLog!;
    const conn = origin?.conn;
    let producer: LogProducer | undefined;
    if (conn) {
      producer = this.producers.get(conn);
      if (!producer) {
        const id = conn.clientId ? `${conn.source}.c-${conn.clientId}` : `${this.host.nodeId}-${this.host.incarnation}-${conn.source}-${conn.id}`;
        this.producers.set(conn, (producer = log.producer(env.app, id, conn.clientId !== undefined)));
      }
    } else {
      producer = this.ownProducers.get(env.app);
      if (!producer) this.ownProducers.set(env.app, (producer = log.producer(env.app, `${this.host.nodeId}-${this.host.incarnation}`, false)));
    }
    // Acknowledged connections only: their frame is acknowledged once stored (0 on a plain one).
    const held = origin ? origin.source.hold(origin.conn) : 0;
    producer.append(env, held, this.stored, origin);
  }

  // What became of an appended event (`held`: its acknowledged frame, 0 if none). One function for
  // every event: the hot path makes no closure per event.
  private readonly stored: AppendDone = (err, env, held, tag) => {
    const origin = tag as Origin | undefined;
    if (err instanceof EventTooLargeError) {
      // It can never be stored: a dead letter, and handled like a stored frame, so an acknowledged
      // client goes on (rejecting would close its connection and it would resend the frame forever).
      this.host.deadLetters.record("too_large", env.app, origin ? `${origin.conn.source} ${origin.conn.remote}` : `stage ${env.stage}`, err, envelopePayload(env));
      if (held) origin!.source.complete(origin!.conn, held);
    } else if (err) {
      this.host.deadLetters.record("append_failed", env.app, `stage ${env.stage}`, err, envelopePayload(env));
      // The client resends what was not acknowledged (a plain connection has nothing to resend).
      if (held) origin!.source.reject(origin!.conn, err.message);
    } else if (held) origin!.source.complete(origin!.conn, held);
  };

  /**
   * A graceful end (drain): reads nothing more, lets what was read be accepted (durable mode: stored)
   * and acknowledged, then ends the connections: a client resends only what was not accepted.
   */
  async closeGracefully(acceptWithinMs = 5_000): Promise<void> {
    for (const s of this.sources) s.stopReading();
    const acceptBy = Date.now() + acceptWithinMs;
    while (this.sources.some((s) => s.outstanding() > 0) && Date.now() < acceptBy) await new Promise((r) => setTimeout(r, 5));
    await Promise.all(this.sources.map((s) => s.closeGracefully()));
  }

  /** Closes every source at once. */
  async close(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close().catch(() => undefined)));
  }

  // Event ids in durable mode: a client's own id and frame numbers when it has them (its resends are
  // then stored once), else this process's incarnation with the connection.
  private connectionId(source: string, conn: SourceConnection): string {
    if (conn.clientId) return `c.${conn.clientId}`;
    const base = `${this.host.nodeId}/${source}/${conn.id}`;
    return this.host.eventLog ? `${base}~${this.host.incarnation}` : base;
  }
}

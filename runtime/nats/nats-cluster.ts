import type { Membership } from "../cluster/membership.js";
import { ConfigError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { StateStore } from "../state/state-store.js";
import type { Transport } from "../transport/transport.js";

/** Options for joining a cluster through NATS. */
export interface NatsClusterOptions {
  readonly url: string;
  readonly nodeId: string;
  readonly logger: Logger;
  readonly heartbeatMs?: number;
  readonly failureTimeoutMs?: number;
}

/** The NATS-backed parts of a node. */
export interface NatsClusterParts {
  readonly transport: Transport;
  readonly membership: Membership;
  readonly store?: StateStore;
  close(): Promise<void>;
}

/** Connects to NATS and builds the transport and membership of a node. */
export async function connectNatsCluster(_options: NatsClusterOptions): Promise<NatsClusterParts> {
  throw new ConfigError("--nats is not yet supported in this build; omit it to run the embedded in-process transport");
}

import { promises as dns } from "node:dns";
import { hostname, networkInterfaces } from "node:os";
import { checkNodeId } from "../cluster/node-id.js";
import type { Logger } from "../logger.js";

/** Where a node's default id comes from: the host name, or the name DNS gives this host's address. */
export const NODE_ID_SOURCES = ["hostname", "dns"] as const;
/** One of `NODE_ID_SOURCES`. */
export type NodeIdSource = (typeof NODE_ID_SOURCES)[number];

// A reverse lookup that does not answer in this time is given up (the host name is used).
const REVERSE_LOOKUP_MS = 2_000;

/**
 * The node id when `--node-id` is not given. With `dns`, the first label of the name DNS gives this
 * host's address: in docker compose that is the container's name (`project-worker-1`, or
 * `project_worker_1` with compose 1.29), so a replica keeps its number and status/logs read like
 * `docker compose ps`; the host name (a container id there) when DNS has no such name.
 */
export async function defaultNodeId(source: NodeIdSource, log: Logger): Promise<string> {
  if (source === "dns") {
    const name = await reverseName().catch((err: unknown) => {
      log.warn({ err: (err as Error).message }, "no DNS name for this host's address; the node id is the host name");
      return undefined;
    });
    if (name) {
      try {
        return checkNodeId(name);
      } catch {
        log.warn({ name }, "this host's DNS name is not a valid node id (1-64 letters, digits, '_', '-', '.'); the node id is the host name");
      }
    }
  }
  return checkNodeId(hostname());
}

async function reverseName(): Promise<string | undefined> {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === "IPv4")
    .map((a) => a!.address);
  for (const address of addresses) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`reverse lookup of ${address} timed out`)), REVERSE_LOOKUP_MS)));
    try {
      const [name] = await Promise.race([dns.reverse(address), timeout]);
      const label = name?.split(".")[0];
      if (label) return label;
    } finally {
      clearTimeout(timer);
    }
  }
  throw new Error(`no name for ${addresses.join(", ") || "(no address)"}`);
}

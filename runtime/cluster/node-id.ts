import { ConfigError } from "../errors.js";

// Letters, digits, '_', '-' and single inner dots: a valid KV key and subject tokens as it is.
const NODE_ID = /^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?=[A-Za-z0-9_-])){0,63}$/;

/** Checks a node id (it names the node's inbox subject and heartbeat key); throws `ConfigError` saying what is allowed. */
export function checkNodeId(nodeId: string): string {
  if (!NODE_ID.test(nodeId)) {
    throw new ConfigError(
      `node id "${nodeId.length > 80 ? `${nodeId.slice(0, 80)}...` : nodeId}" is invalid: use 1-64 letters, digits, '_', '-' and '.', starting with a letter or digit, with no '..' and no '.' at the end (pass --node-id or TROUPE_NODE_ID; the default is the host name)`,
    );
  }
  return nodeId;
}

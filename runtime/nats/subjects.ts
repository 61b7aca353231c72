// Every NATS subject and bucket name Troupe uses is built here.
import { createHash } from "node:crypto";
import { MAX_PLAIN_KV_KEY_CHARS } from "../defaults.js";

/** Checks a cluster name: it becomes part of subjects and bucket names. */
export function checkClusterName(cluster: string): string {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cluster)) throw new Error(`cluster name "${cluster}" must be 1-32 letters, digits, '_' or '-'`);
  return cluster;
}

/** The subject a node receives everything on (batches, control, acks): one subject keeps per-sender order. */
export function nodeInbox(cluster: string, nodeId: string): string {
  return `troupe.${cluster}.node.${nodeId}`;
}

/** Every node's inbox (nodes publish to each other's). */
export function nodeInboxes(cluster: string): string {
  return `troupe.${cluster}.node.*`;
}

/**
 * The subject on which a node takes a drain request (`troupe drain`). It is not the inbox: a role may publish
 * to every inbox (a node) and still be refused a drain.
 */
export function drainSubject(cluster: string, nodeId: string): string {
  return `troupe.${cluster}.drain.${nodeId}`;
}

/** Every node's drain subject. */
export function drainSubjects(cluster: string): string {
  return `troupe.${cluster}.drain.*`;
}

/** Which kind of Troupe client an inbox belongs to: a node, or a command (status, drain, dlq). */
export type ClientKind = "node" | "cli";

/**
 * The prefix of a client's reply inboxes (nats.js `inboxPrefix`: replies to its requests, JetStream API calls
 * included, and push-consumer messages). Per cluster and kind rather than nats.js's `_INBOX`: a role then
 * subscribes to its own replies only, and no Troupe role can read the replies of other clients of the server.
 */
export function replyInboxPrefix(cluster: string, kind: ClientKind): string {
  return `_INBOX_${cluster}_${kind}`;
}

/** Every reply inbox of one kind of client of a cluster. */
export function replyInboxes(cluster: string, kind: ClientKind): string {
  return `${replyInboxPrefix(cluster, kind)}.>`;
}

/** The JetStream account-info subject (nats.js asks it when it opens a JetStream manager). */
export const JS_API_INFO = "$JS.API.INFO";

/** The JetStream stream behind a KV bucket. */
export function kvStream(bucket: string): string {
  return `KV_${bucket}`;
}

/** Every key subject of a KV bucket. */
export function kvSubjects(bucket: string): string {
  return `$KV.${bucket}.>`;
}

/** A JetStream API call on one stream, e.g. `$JS.API.STREAM.MSG.DELETE.<stream>`. */
export function jsStreamApi(op: "INFO" | "CREATE" | "UPDATE" | "MSG.GET" | "MSG.DELETE" | "PURGE", stream: string): string {
  return `$JS.API.STREAM.${op}.${stream}`;
}

/** Direct gets from one stream (by sequence, and last-by-subject). */
export function jsDirectGetApi(stream: string): string[] {
  return [`$JS.API.DIRECT.GET.${stream}`, `$JS.API.DIRECT.GET.${stream}.>`];
}

/** Consumer API calls on one stream (create with or without a filter, info, delete, next message). */
export function jsConsumerApi(stream: string): string[] {
  return [`$JS.API.CONSUMER.CREATE.${stream}`, `$JS.API.CONSUMER.CREATE.${stream}.>`, `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.>`, `$JS.API.CONSUMER.INFO.${stream}.>`, `$JS.API.CONSUMER.DELETE.${stream}.>`, `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`];
}

/** Acknowledgements and flow-control replies to messages of one stream's consumers. */
export function jsConsumerReplies(stream: string): string[] {
  return [`$JS.ACK.${stream}.>`, `$JS.FC.${stream}.>`];
}

/** The KV bucket holding the cluster view (one key; its revision is the epoch). */
export function viewBucket(cluster: string): string {
  return `troupe_${cluster}_view`;
}

/** The key of the view record in the view bucket. */
export const VIEW_KEY = "view";

/** Key prefix, in the view bucket, of the leave intents of nodes told to leave. */
export const LEAVE_INTENTS = "leaving";

/** The view-bucket key of a node's leave intent (its value: the join sequence it leaves as). */
export function leaveIntentKey(nodeId: string): string {
  return `${LEAVE_INTENTS}.${nodeId}`;
}

/** The KV bucket of heartbeats (a key per node). */
export function heartbeatBucket(cluster: string): string {
  return `troupe_${cluster}_heartbeats`;
}

/** The heartbeat KV key of a node: the node id itself (checked by `checkNodeId` in cluster/node-id.ts: a valid KV key, so distinct ids are distinct keys). */
export function heartbeatKey(nodeId: string): string {
  return nodeId;
}

/** The KV bucket of actor state of one app and partition (snapshot and durable modes). */
export function stateBucket(cluster: string, app: string, partition: string): string {
  return `troupe_${cluster}_state_${safe(app)}_${safe(partition)}`;
}

/**
 * The KV key of an actor's state: `<slot>.<base64url of the key>`, or `<slot>.h.<sha-256 of the key>` when
 * that would be long (a KV key is part of a subject, and subjects must fit the server's control line).
 * Two tokens or three: the forms never collide, and the value keeps the full key.
 */
export function actorStateKey(slot: number, key: string): string {
  const b64 = Buffer.from(key, "utf8").toString("base64url");
  if (b64.length <= MAX_PLAIN_KV_KEY_CHARS) return `${slot}.${b64 || "_"}`;
  return `${slot}.h.${createHash("sha256").update(key, "utf8").digest("base64url")}`;
}

/** The subject a KV bucket stores `key` on (writes published there are KV puts). */
export function kvKeySubject(bucket: string, key: string): string {
  return `$KV.${bucket}.${key}`;
}

/** The subject of a JetStream direct get of the last value of `key` in KV bucket `bucket`. */
export function kvDirectGetSubject(bucket: string, key: string): string {
  return `$JS.API.DIRECT.GET.${kvStream(bucket)}.${kvKeySubject(bucket, key)}`;
}

/** The JetStream stream of one app's accepted events (durable mode). */
export function eventStream(cluster: string, app: string): string {
  return `troupe_${cluster}_events_${safe(app)}`;
}

/** The subject of one producer's events (a source connection or a node) in an app's event stream. */
export function eventSubject(cluster: string, app: string, producer: string): string {
  return `troupe.${cluster}.events.${safe(app)}.${safe(producer)}`;
}

/** Every subject of one app's event stream. */
export function eventStreamSubjects(cluster: string, app: string): string {
  return `troupe.${cluster}.events.${safe(app)}.>`;
}

/** The KV bucket of one app's slot checkpoints (durable mode; keys `<partition>.<slot>`). */
export function offsetBucket(cluster: string, app: string): string {
  return `troupe_${cluster}_offsets_${safe(app)}`;
}

/** The JetStream stream of dead letters. */
export function deadLetterStream(cluster: string): string {
  return `troupe_${cluster}_dlq`;
}

/** The subject of dead letters of one app. */
export function deadLetterSubject(cluster: string, app: string): string {
  return `troupe.${cluster}.dlq.${safe(app)}`;
}

/** Every subject of the dead-letter stream. */
export function deadLetterSubjects(cluster: string): string {
  return `troupe.${cluster}.dlq.>`;
}

/** The subject on which nodes take dead letters back in (`troupe dlq replay`); a queue group picks one node. */
export function reinjectSubject(cluster: string): string {
  return `troupe.${cluster}.reinject`;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, (c) => `-${c.charCodeAt(0).toString(16)}`);
}

/** The subject on which a node answers state lookups (`troupe state get`, `GET /state/...`) by request/reply. */
export function stateQuerySubject(cluster: string, nodeId: string): string {
  return `troupe.${cluster}.state.${nodeId}`;
}

/** Every node's state-lookup subject (for permissions). */
export function stateQuerySubjects(cluster: string): string {
  return `troupe.${cluster}.state.*`;
}

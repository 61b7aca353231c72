import * as s from "./subjects.js";

/** What the permission list of a cluster depends on: each app's name and its state partitions. */
export interface AppSubjects {
  readonly name: string;
  readonly partitions: readonly string[];
}

/** One role's NATS permissions: subjects it may publish to and subscribe to (everything else is refused). */
export interface RolePermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** May answer the requests it receives (a node answers drain and replay requests). */
  readonly allowResponses: boolean;
}

/** The three roles of deploy/nats/nats-server.conf. */
export const ROLES = ["troupe-node", "troupe-admin", "troupe-viewer"] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** The JetStream API a stream's owner uses: info, create, update, reads, consumers; never deleting a stored message. */
function ownStream(stream: string): string[] {
  return [
    s.jsStreamApi("INFO", stream),
    s.jsStreamApi("CREATE", stream),
    s.jsStreamApi("UPDATE", stream),
    s.jsStreamApi("MSG.GET", stream),
    ...s.jsDirectGetApi(stream),
    ...s.jsConsumerApi(stream),
    ...s.jsConsumerReplies(stream),
  ];
}

/** Reading one stream's records by sequence or subject, and its info. */
function readStream(stream: string): string[] {
  return [s.jsStreamApi("INFO", stream), s.jsStreamApi("MSG.GET", stream), ...s.jsDirectGetApi(stream)];
}

/**
 * The permissions of each role in cluster `cluster` running `apps`, built from the subject builders in
 * subjects.ts (so they follow any change there). A node: every node inbox, the membership and heartbeat
 * buckets, its apps' state and checkpoint buckets and event streams, publishing dead letters, and answering
 * drain, replay and state-lookup requests. An admin: what a viewer may, plus drain, replay, state
 * lookups and deleting dead letters. A viewer: reading the cluster view and the dead letters.
 */
export function rolePermissions(cluster: string, apps: readonly AppSubjects[]): Record<Role, RolePermissions> {
  const c = s.checkClusterName(cluster);
  const buckets = [
    s.viewBucket(c),
    s.heartbeatBucket(c),
    ...apps.flatMap((a) => [...a.partitions.map((p) => s.stateBucket(c, a.name, p)), s.offsetBucket(c, a.name)]),
  ];
  const streams = [...buckets.map(s.kvStream), ...apps.map((a) => s.eventStream(c, a.name)), s.deadLetterStream(c)];
  const view = readStream(s.kvStream(s.viewBucket(c)));
  const dlq = readStream(s.deadLetterStream(c));
  return {
    "troupe-node": {
      publish: [
        s.nodeInboxes(c),
        ...buckets.map(s.kvSubjects),
        ...apps.map((a) => s.eventStreamSubjects(c, a.name)),
        s.deadLetterSubjects(c),
        // A state lookup is asked of the key's owner.
        s.stateQuerySubjects(c),
        s.JS_API_INFO,
        ...streams.flatMap(ownStream),
      ],
      // The commands' inboxes too: `troupe status` run where a node runs (a worker container) uses its credentials.
      subscribe: [s.nodeInboxes(c), s.drainSubjects(c), s.reinjectSubject(c), s.stateQuerySubjects(c), s.replyInboxes(c, "node"), s.replyInboxes(c, "cli")],
      allowResponses: true,
    },
    "troupe-admin": {
      // State lookups show what users stored: the admin's, not the viewer's (the dashboard's search goes through a node, behind --http-token).
      publish: [s.drainSubjects(c), s.reinjectSubject(c), s.stateQuerySubjects(c), s.JS_API_INFO, ...view, ...dlq, s.jsStreamApi("MSG.DELETE", s.deadLetterStream(c))],
      subscribe: [s.replyInboxes(c, "cli")],
      allowResponses: false,
    },
    "troupe-viewer": {
      publish: [s.JS_API_INFO, ...view, ...dlq],
      subscribe: [s.replyInboxes(c, "cli")],
      allowResponses: false,
    },
  };
}

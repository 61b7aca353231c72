import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import loyalty from "../../../apps/loyalty/app.js";
import { DEFAULT_CLUSTER_NAME } from "../../../runtime/defaults.js";
import { natsServerConfig } from "../../../runtime/nats/nats-server-config.js";
import { rolePermissions, type Role } from "../../../runtime/nats/permissions.js";
import * as s from "../../../runtime/nats/subjects.js";

// The shipped roles rest on subjects.ts: the config is generated from it, and each subject a role needs
// (or must not have) is checked here against the builders, with NATS's own wildcard rules.
const c = DEFAULT_CLUSTER_NAME;
const apps = [{ name: loyalty.name, partitions: loyalty.partitions.map((p) => p.name) }];
const perms = rolePermissions(c, apps);
const partition = apps[0]!.partitions[0]!;

/** NATS subject matching: `*` is one token, `>` the rest (one or more tokens). */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const t = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return t.length > i;
    if (i >= t.length || (p[i] !== "*" && p[i] !== t[i])) return false;
  }
  return p.length === t.length;
}
const mayPublish = (role: Role, subject: string) => perms[role].publish.some((p) => matches(p, subject));
const maySubscribe = (role: Role, subject: string) => perms[role].subscribe.some((p) => matches(p, subject));

describe("NATS roles", () => {
  it("ships deploy/nats/nats-server.conf exactly as `troupe nats-config --app loyalty` generates it", () => {
    expect(readFileSync("deploy/nats/nats-server.conf", "utf8")).toBe(natsServerConfig({ cluster: c, apps }));
  });

  it("lets a node use every subject it needs, and nothing that drains, replays or deletes a dead letter", () => {
    const stateBucket = s.stateBucket(c, loyalty.name, partition);
    for (const subject of [
      s.nodeInbox(c, "node-7"),
      s.kvKeySubject(s.viewBucket(c), s.VIEW_KEY),
      s.kvKeySubject(s.viewBucket(c), s.leaveIntentKey("node-7")),
      s.kvKeySubject(s.heartbeatBucket(c), s.heartbeatKey("node-7")),
      s.kvKeySubject(stateBucket, s.actorStateKey(12, "cust-1")),
      s.kvDirectGetSubject(stateBucket, s.actorStateKey(12, "cust-1")),
      s.kvKeySubject(s.offsetBucket(c, loyalty.name), `${partition}.12`),
      s.eventSubject(c, loyalty.name, "node-7"),
      s.deadLetterSubject(c, loyalty.name),
      s.jsStreamApi("CREATE", s.eventStream(c, loyalty.name)),
      s.jsStreamApi("MSG.GET", s.deadLetterStream(c)),
    ]) {
      expect(mayPublish("troupe-node", subject), subject).toBe(true);
    }
    for (const subject of [s.nodeInbox(c, "node-7"), s.drainSubject(c, "node-7"), s.reinjectSubject(c), `${s.replyInboxPrefix(c, "node")}.abc.1`]) expect(maySubscribe("troupe-node", subject), subject).toBe(true);
    for (const subject of [s.drainSubject(c, "node-7"), s.reinjectSubject(c), s.jsStreamApi("MSG.DELETE", s.deadLetterStream(c)), s.jsStreamApi("PURGE", s.deadLetterStream(c)), s.nodeInbox("other", "node-7"), s.kvKeySubject(s.viewBucket("other"), s.VIEW_KEY)]) {
      expect(mayPublish("troupe-node", subject), subject).toBe(false);
    }
    expect(maySubscribe("troupe-node", "_INBOX.abc")).toBe(false);
  });

  it("lets an admin drain, replay and delete dead letters, and a viewer only read the view and the dead letters", () => {
    for (const subject of [s.drainSubject(c, "node-7"), s.reinjectSubject(c), s.jsStreamApi("MSG.DELETE", s.deadLetterStream(c))]) {
      expect(mayPublish("troupe-admin", subject), subject).toBe(true);
      expect(mayPublish("troupe-viewer", subject), subject).toBe(false);
    }
    const reads = [s.jsStreamApi("INFO", s.kvStream(s.viewBucket(c))), s.kvDirectGetSubject(s.viewBucket(c), s.VIEW_KEY), s.jsStreamApi("INFO", s.deadLetterStream(c)), s.jsStreamApi("MSG.GET", s.deadLetterStream(c))];
    for (const role of ["troupe-admin", "troupe-viewer"] as const) {
      for (const subject of reads) expect(mayPublish(role, subject), subject).toBe(true);
      // No writes, no state, no other client's replies, no inbox of a node.
      for (const subject of [s.kvKeySubject(s.viewBucket(c), s.VIEW_KEY), s.nodeInbox(c, "node-7"), s.kvDirectGetSubject(s.stateBucket(c, loyalty.name, partition), "1.x"), s.deadLetterSubject(c, loyalty.name), s.jsStreamApi("CREATE", s.deadLetterStream(c))]) {
        expect(mayPublish(role, subject), `${role} ${subject}`).toBe(false);
      }
      expect(maySubscribe(role, `${s.replyInboxPrefix(c, "cli")}.abc.1`)).toBe(true);
      expect(maySubscribe(role, "_INBOX.abc")).toBe(false);
      expect(perms[role].allowResponses).toBe(false);
    }
  });
});

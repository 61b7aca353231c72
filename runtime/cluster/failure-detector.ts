import type { Member } from "./membership.js";

/** When a member's heartbeat was last seen to change (our clock) and at which revision. */
interface Seen {
  at: number;
  rev: number;
}

/**
 * Judges members' liveness by this node's own monotonic clock: when did each heartbeat last change?
 * No network here: the membership store feeds it the heartbeats it watches and reads; a member is a
 * suspect once its heartbeat has not changed for the failure timeout, and dead only if a fresh read
 * shows the same heartbeat still.
 */
export class FailureDetector {
  private readonly lastSeen = new Map<string, Seen>();

  /** `keyOf`: a member's heartbeat key in the store (what `beat` is told). */
  constructor(
    private readonly failureMs: number,
    private readonly keyOf: (id: string) => string = (id) => id,
  ) {}

  /** The heartbeat under `key` was seen to change, at store revision `rev`. */
  beat(key: string, rev: number, now: number): void {
    this.lastSeen.set(key, { at: now, rev });
  }

  /**
   * A new view: a member that (re)joined gets a fresh grace period, so that a last-seen time left over
   * from an earlier process with the same id cannot get the new one removed before its first heartbeat.
   */
  viewChanged(members: readonly Member[], before: ReadonlyMap<string, number>, now: number): void {
    for (const m of members) {
      const key = this.keyOf(m.id);
      const seen = this.lastSeen.get(key);
      if (before.get(m.id) !== m.joinedSeq || !seen) this.lastSeen.set(key, { at: now, rev: seen?.rev ?? 0 });
    }
  }

  /** This node could not beat either (the store was away from it): the others' silence meanwhile says nothing, so each starts afresh. */
  graceAll(now: number): void {
    for (const seen of this.lastSeen.values()) if (seen.at < now) seen.at = now;
  }

  /** Members other than `self` whose heartbeat has not changed for the failure timeout. */
  suspects(members: readonly Member[], self: string, now: number): Member[] {
    return members.filter((m) => m.id !== self && now - (this.lastSeen.get(this.keyOf(m.id))?.at ?? now) > this.failureMs);
  }

  /** A suspect's heartbeat read again (`rev` undefined: none): true if it is unchanged, so the member is dead; a moved one is alive and counted as seen now. */
  stillSilent(id: string, rev: number | undefined, now: number): boolean {
    const key = this.keyOf(id);
    const seen = this.lastSeen.get(key);
    if (rev !== undefined && seen && rev > seen.rev) {
      this.lastSeen.set(key, { at: now, rev });
      return false;
    }
    return true;
  }

  /** A member was removed. */
  forget(id: string): void {
    this.lastSeen.delete(this.keyOf(id));
  }
}

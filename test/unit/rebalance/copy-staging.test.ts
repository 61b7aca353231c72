import { describe, expect, it } from "vitest";
import { CopyStaging } from "../../../runtime/internal.js";
import type { ActorHandoff, ControlMessage } from "../../../runtime/types.js";

type SlotCopy = Extract<ControlMessage, { type: "slot-copy" }>;
const piece = (slot: number, copy: number, round: number, actors: ActorHandoff[], last = true, stale?: string[]): SlotCopy => ({ type: "slot-copy", app: "a", partition: "p", slot, copy, round, actors, last, ...(stale ? { stale } : {}) });
const st = (key: string, state: unknown): ActorHandoff => ({ key, state });

describe("CopyStaging (the joiner's side of a pre-copy)", () => {
  it("stages a copy's pieces and acknowledges its round only on the last piece", () => {
    const s = new CopyStaging(100, true);
    expect(s.onCopy("n1", piece(3, 7, 1, [st("a", 1)], false))).toBeUndefined();
    expect(s.onCopy("n1", piece(3, 7, 1, [st("b", 2)], true))).toBe(true);
    expect(s.actors).toBe(2);
  });

  it("a handoff completing the copy gets the staged states without the keys it carries or names stale", () => {
    const s = new CopyStaging(100, true);
    s.onCopy("n1", piece(3, 7, 1, [st("a", 1), st("b", 2), st("c", 3)]));
    s.onCopy("n1", piece(3, 7, 2, [st("b", 20)], true, ["c"]));
    const staged = s.complete("n1", "a", "p", 3, 7, [st("a", 10)], []);
    expect(staged?.plain).toBe(true);
    expect([...staged!.states]).toEqual([["b", 20]]);
    expect(s.actors).toBe(0);
    expect(s.stats.completed).toBe(1);
  });

  it("keeps where the store stands with each state outside memory mode", () => {
    const s = new CopyStaging(100, false);
    s.onCopy("n1", piece(1, 2, 1, [{ key: "k", state: { n: 1 }, revision: 42, seq: 9, dirty: false }]));
    const staged = s.complete("n1", "a", "p", 1, 2, [], []);
    expect(staged?.plain).toBe(false);
    expect(staged?.states.get("k")).toEqual({ key: "k", state: { n: 1 }, revision: 42, seq: 9, dirty: false });
  });

  it("refuses a new copy that would pass its bound (the slot then comes whole), and counts it", () => {
    const s = new CopyStaging(2, true);
    expect(s.onCopy("n1", piece(1, 1, 1, [st("a", 1), st("b", 1)]))).toBe(true);
    expect(s.onCopy("n1", piece(2, 2, 1, [st("c", 1)]))).toBe(false);
    expect(s.stats.refused).toBe(1);
    // A later round of a copy already staged is always taken: its sender may send only the delta after it.
    expect(s.onCopy("n1", piece(1, 1, 2, [st("z", 1)]))).toBe(true);
  });

  it("a handoff naming a copy that is not staged here is counted as missing; a whole one drops any staging", () => {
    const s = new CopyStaging(10, true);
    s.onCopy("n1", piece(1, 1, 1, [st("a", 1)]));
    expect(s.complete("n2", "a", "p", 1, 1, [], [])).toBeUndefined();
    expect(s.stats.missing).toBe(1);
    s.onCopy("n1", piece(2, 3, 1, [st("a", 1)]));
    expect(s.complete("n1", "a", "p", 2, 0, [st("a", 5)], [])).toBeUndefined();
    expect(s.actors).toBe(0);
  });

  it("drops a copy on its sender's cancel, and everything a departed sender staged", () => {
    const s = new CopyStaging(10, true);
    s.onCopy("n1", piece(1, 1, 1, [st("a", 1)]));
    s.onCopy("n2", piece(2, 5, 1, [st("b", 1)]));
    s.cancel("n1", "a", "p", 1, 1);
    expect(s.actors).toBe(1);
    expect([...s.senders()]).toEqual(["n2"]);
    s.forget("n2");
    expect(s.actors).toBe(0);
  });
});

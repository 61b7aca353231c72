import { describe, expect, it } from "vitest";
import { EpochBarrier } from "../../../runtime/rebalance/epoch-barrier.js";
import { afterSend, nextDeadline, onFence, onHandoff, onTick, onView, type SlotFacts, type TickFacts, type ViewFacts } from "../../../runtime/rebalance/slot-transitions.js";

// The handoff of one slot, row by row: every (state, event) pair the coordinator can feed it.
const self = "me";
const view = (over: Partial<ViewFacts>): ViewFacts => ({ self, owner: self, epoch: 7, now: 100, from: undefined, fromSeq: -1, parkedFrom: undefined, present: () => true, ...over });
const tick = (over: Partial<TickFacts>): TickFacts => ({ self, epoch: 7, now: 30, timeoutMs: 50, owner: "b", target: "b", acked: () => true, idle: () => true, mayAct: true, ...over });
const types = (t: { actions: readonly { type: string }[] }) => t.actions.map((a) => a.type);

const foreign: SlotFacts = { code: "foreign" };
const owned: SlotFacts = { code: "owned" };
const gaining: SlotFacts = { code: "gaining", gainFrom: "a", gainSeq: 3, since: 10 };
const losing: SlotFacts = { code: "losing", lostTo: "b", lostAt: 6, since: 10, sending: false };

describe("slot transitions: a new view", () => {
  it.each<[string, SlotFacts, Partial<ViewFacts>, SlotFacts, string[], { gained?: boolean; lost?: boolean }]>([
    ["foreign, now ours, its owner is a member: gaining from it", foreign, { from: "a", fromSeq: 3 }, { code: "gaining", gainFrom: "a", gainSeq: 3, since: 100 }, [], { gained: true }],
    ["foreign, now ours, no owner before: owned at once", foreign, { from: undefined }, owned, [], { gained: true }],
    ["foreign, now ours, its owner was this node's earlier incarnation: owned at once", foreign, { from: self }, owned, [], { gained: true }],
    ["foreign, now ours, its owner left (or rejoined as another member): owned at once", foreign, { from: "a", fromSeq: 3, present: () => false }, owned, [], { gained: true }],
    ["foreign, now ours, its owner left but its handoff is parked here: gaining (waited for)", foreign, { from: "a", fromSeq: 3, present: () => false, parkedFrom: "a" }, { code: "gaining", gainFrom: "a", gainSeq: 3, since: 100 }, [], { gained: true }],
    ["foreign, someone else's: nothing", foreign, { owner: "b" }, foreign, [], {}],
    ["owned, still ours: nothing", owned, {}, owned, [], {}],
    ["owned, now someone else's: losing to the new owner, queued events held", owned, { owner: "b" }, { code: "losing", lostAt: 7, lostTo: "b", since: 100, sending: false }, ["detach-queued"], { lost: true }],
    ["gaining, still ours: keeps waiting", gaining, {}, gaining, [], {}],
    ["gaining, came back to us while moved on: keeps waiting, no longer passes it on", { ...gaining, lostTo: "b", lostAt: 6 }, {}, gaining, [], {}],
    ["gaining, its sender left before handing off: owned, held events released", gaining, { present: () => false }, owned, ["warn-sender-left", "release-held"], {}],
    ["gaining, moved on to b: still waits, then passes it to b", gaining, { owner: "b" }, { ...gaining, lostTo: "b", lostAt: 7 }, [], {}],
    ["gaining, moved on and its sender left: losing to b", gaining, { owner: "b", present: () => false }, { code: "losing", lostAt: 7, lostTo: "b", since: 100, sending: false }, [], {}],
    ["losing, still someone else's: nothing", losing, { owner: "c" }, losing, [], {}],
    ["losing, comes back to us: still sent along the chain (the next link may hold events)", losing, {}, losing, [], {}],
  ])("%s", (_name, state, facts, next, actions, counts) => {
    const t = onView(state, view(facts));
    expect(t.next).toEqual(next);
    expect(types(t)).toEqual(actions);
    expect({ gained: t.gained, lost: t.lost }).toEqual({ gained: counts.gained, lost: counts.lost });
  });
});

describe("slot transitions: a handoff arrives", () => {
  const h = (owner: string) => ({ self, owner, epoch: 7, now: 200 });
  it.each<[string, SlotFacts, string, SlotFacts, string[]]>([
    ["owned already (its sender was given up for dead): its events run, not its states", owned, self, owned, ["deliver-events-only"]],
    ["gaining and still ours: owned, the handoff runs here", gaining, self, owned, ["deliver-handoff"]],
    ["gaining but moved on: losing to the next link, passed on", { ...gaining, lostTo: "b", lostAt: 6 }, "b", { code: "losing", lostAt: 6, lostTo: "b", since: 200, sending: false }, ["pass-on"]],
    ["gaining, not ours in the view (no next link recorded): losing to the owner", gaining, "c", { code: "losing", lostAt: 7, lostTo: "c", since: 200, sending: false }, ["pass-on"]],
    ["foreign (a late link of a chain): losing to the owner, passed on", foreign, "c", { code: "losing", lostAt: 7, lostTo: "c", since: 200, sending: false }, ["pass-on"]],
    ["losing already: stays, passed on with what it holds", losing, "b", losing, ["pass-on"]],
  ])("%s", (_name, state, owner, next, actions) => {
    const t = onHandoff(state, h(owner));
    expect(t.next).toEqual(next);
    expect(types(t)).toEqual(actions);
  });
});

describe("slot transitions: the periodic check", () => {
  it.each<[string, SlotFacts, Partial<TickFacts>, SlotFacts, string[]]>([
    ["losing, barrier passed and idle: send to the target", losing, {}, { ...losing, sending: true }, ["send"]],
    ["losing, already sending: nothing", { ...losing, sending: true }, {}, { ...losing, sending: true }, []],
    ["losing, lease out: nothing (a node that may not act sends no state)", losing, { mayAct: false }, losing, []],
    ["losing, no target (no owner known): nothing", losing, { target: undefined }, losing, []],
    ["losing, barrier not passed yet: waits", losing, { acked: () => false }, losing, []],
    ["losing, actors busy: waits", losing, { idle: () => false }, losing, []],
    ["losing, past the deadline: sends anyway", losing, { acked: () => false, now: 100 + 51 }, { ...losing, sending: true }, ["send"]],
    ["gaining within the deadline: waits", gaining, { now: 50 }, gaining, []],
    ["gaining past one deadline: warns", gaining, { now: 70 }, gaining, ["warn-late"]],
    ["gaining past three deadlines, ours: gives up, owned from the store", gaining, { now: 200, owner: self }, owned, ["give-up", "release-held"]],
    ["gaining past three deadlines, moved on: gives up, losing to the owner", gaining, { now: 200, owner: "c" }, { code: "losing", lostAt: 7, lostTo: "c", since: 200, sending: false }, ["give-up"]],
    ["owned: nothing", owned, {}, owned, []],
  ])("%s", (_name, state, facts, next, actions) => {
    const t = onTick(state, tick(facts));
    expect(t.next).toEqual(next);
    expect(types(t)).toEqual(actions);
  });

  it("asks the barrier and the actors only when it matters", () => {
    let asked = 0;
    onTick({ ...losing, sending: true }, tick({ acked: () => (asked++, true), idle: () => (asked++, true) }));
    onTick(losing, tick({ now: 1_000, acked: () => (asked++, false), idle: () => (asked++, false) }));
    expect(asked).toBe(0);
  });
});

describe("slot transitions: after sending", () => {
  const a = (over: Partial<Parameters<typeof afterSend>[1]>) => ({ self, owner: "b", target: "b", targetSeq: 4, now: 300, ...over });
  it.each<[string, SlotFacts, Partial<Parameters<typeof afterSend>[1]>, SlotFacts, string[]]>([
    ["sent to the next owner: foreign", { ...losing, sending: true }, {}, foreign, []],
    ["sent along the chain and it came back to us: gaining from the link it went to", { ...losing, sending: true }, { owner: self }, { code: "gaining", gainFrom: "b", gainSeq: 4, since: 300 }, []],
    ["the target is this node (the chain ended here): owned, the state stays", { ...losing, sending: true }, { owner: self, target: self }, owned, ["deliver-handoff"]],
    ["no target: stays losing (to be sent later), what it held kept", { ...losing, sending: true }, { owner: "", target: undefined }, { code: "losing", lostAt: 6, lostTo: "b", since: 300, sending: false }, ["pass-on"]],
  ])("%s", (_name, state, facts, next, actions) => {
    const t = afterSend(state, a(facts));
    expect(t.next).toEqual(next);
    expect(types(t)).toEqual(actions);
  });
});

describe("slot transitions: the next deadline (the only timer; everything else is an event)", () => {
  const T = 1000;
  it.each<[string, SlotFacts, number, number | undefined]>([
    ["owned: none", { code: "owned" }, 0, undefined],
    ["foreign: none", { code: "foreign" }, 0, undefined],
    ["losing, not sent: its send deadline", { code: "losing", lostTo: "b", lostAt: 3, since: 100, sending: false }, 150, 1101],
    ["losing, at its deadline: still ahead (it acts once past it)", { code: "losing", lostTo: "b", lostAt: 3, since: 100, sending: false }, 1100, 1101],
    ["losing past its deadline (no target or no lease): none, it waits for an event", { code: "losing", lostTo: "b", lostAt: 3, since: 100, sending: false }, 1200, undefined],
    ["losing, being sent: none (the send's end wakes it)", { code: "losing", lostTo: "b", lostAt: 3, since: 100, sending: true }, 150, undefined],
    ["gaining: the late warning first", { code: "gaining", gainFrom: "a", gainSeq: 1, since: 100 }, 150, 1101],
    ["gaining, warned: giving up", { code: "gaining", gainFrom: "a", gainSeq: 1, since: 100 }, 1500, 3101],
    ["gaining past giving up: none", { code: "gaining", gainFrom: "a", gainSeq: 1, since: 100 }, 3200, undefined],
  ])("%s", (_name, facts, now, want) => {
    expect(nextDeadline(facts, T, now)).toBe(want);
  });

  it("at each deadline the periodic check acts", () => {
    const losing: SlotFacts = { code: "losing", lostTo: "b", lostAt: 3, since: 100, sending: false };
    const at = nextDeadline(losing, T, 150)!;
    const t: TickFacts = { self, epoch: 3, now: at, timeoutMs: T, owner: "b", target: "b", acked: () => false, idle: () => false, mayAct: true };
    expect(onTick(losing, t).actions).toEqual([{ type: "send", to: "b", late: true }]);
    const gaining: SlotFacts = { code: "gaining", gainFrom: "a", gainSeq: 1, since: 100 };
    expect(onTick(gaining, { ...t, owner: self, now: nextDeadline(gaining, T, 150)! }).actions).toEqual([{ type: "warn-late", role: "gaining" }]);
    expect(onTick(gaining, { ...t, owner: self, now: nextDeadline(gaining, T, 1500)! }).actions[0]).toEqual({ type: "give-up", from: "a" });
  });
});

describe("slot transitions: a fence", () => {
  it("every slot becomes foreign and what it held goes back to the node", () => {
    expect(onFence()).toEqual({ next: { code: "foreign" }, actions: [{ type: "collect-held" }] });
  });
});

describe("epoch barrier", () => {
  it("passes an epoch once every other member acknowledged it or a later one", () => {
    const b = new EpochBarrier();
    const members = [self, "a", "b"].map((id, i) => ({ id, joinedSeq: i, status: "up" as const }));
    expect(b.passed(5, members, self)).toBe(false);
    expect(b.ack("a", 5)).toBe(true);
    expect(b.passed(5, members, self)).toBe(false);
    expect(b.ack("b", 6)).toBe(true);
    expect(b.passed(5, members, self)).toBe(true);
    expect(b.ack("b", 4)).toBe(false); // older: ignored
    expect(b.passed(6, members, self)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { PreCopy, RoutingTable, SlotChanges, SlotTable } from "../../../runtime/internal.js";
import { createLogger } from "../../../runtime/logger.js";
import type { MembershipView } from "../../../runtime/cluster/membership.js";
import type { HandoffActors, HandoffApp } from "../../../runtime/rebalance/handoff-host.js";
import type { Transport } from "../../../runtime/transport/transport.js";
import type { ActorHandoff, ControlMessage } from "../../../runtime/types.js";

const SLOTS = 32;

// One partition of SLOTS slots, each slot with two actors; a step "runs" by noting its key.
function fixture() {
  const sent: Array<{ to: string; msg: ControlMessage }> = [];
  const changes = new SlotChanges();
  const actors: Partial<HandoffActors> = {
    changes,
    copyStates: (slot, keys) => {
      const all: ActorHandoff[] = [`s${slot}a`, `s${slot}b`].map((key) => ({ key, state: { key } }));
      return { states: keys ? all.filter((a) => keys.has(a.key)) : all, missing: [] };
    },
  };
  const table = new SlotTable(SLOTS);
  const app: HandoffApp = { name: "app", app: { partitions: [{ name: "p", index: 0, slots: SLOTS }] } as never, tables: [table], hosts: [actors as HandoffActors], partitionIndex: (n) => (n === "p" ? 0 : undefined) };
  const transport = { sendControl: (to: string, msg: ControlMessage) => sent.push({ to, msg }) } as unknown as Transport;
  const pc = new PreCopy({ nodeId: "n1", log: createLogger("silent"), apps: new Map([["app", app]]), transport, mayAct: () => true });
  const view: MembershipView = { epoch: 2, members: [{ id: "n1", joinedSeq: 1, status: "up" }, { id: "n2", joinedSeq: 5, status: "joining" }] };
  for (let s = 0; s < SLOTS; s++) table.set(s, "owned");
  // The slots n2 will own once it is up.
  const moving = new RoutingTable(2, view.members.map((m) => ({ ...m, status: "up" as const }))).owners(SLOTS).flatMap((o, s) => (o === "n2" ? [s] : []));
  const ack = (m: Extract<ControlMessage, { type: "slot-copy" }>, ok = true) => pc.onAck("n2", { type: "slot-copy-ack", app: "app", partition: "p", slot: m.slot, copy: m.copy, round: m.round, ok });
  const copies = () => sent.filter((s) => s.msg.type === "slot-copy").map((s) => s.msg as Extract<ControlMessage, { type: "slot-copy" }>);
  return { pc, view, table, sent, tracked: changes, moving, ack, copies };
}

describe("PreCopy (an owner's side of a warm join)", () => {
  it("copies exactly the slots moving to the joiner, a bounded number in flight, and says copy-ready once all are staged", () => {
    const f = fixture();
    expect(f.moving.length).toBeGreaterThan(8);
    f.pc.applyView(f.view);
    expect(f.copies().length).toBe(8); // DEFAULT_PRECOPY_SLOTS_IN_FLIGHT
    expect(f.copies().every((m) => f.moving.includes(m.slot) && m.round === 1 && m.last && m.actors.length === 2)).toBe(true);
    // Each acknowledgement lets the next slot go, until every moving slot is staged.
    for (let acked = 0; acked < f.copies().length; acked++) {
      expect(f.sent.some((s) => s.msg.type === "copy-ready")).toBe(false);
      f.ack(f.copies()[acked]!);
    }
    expect(new Set(f.copies().map((m) => m.slot))).toEqual(new Set(f.moving));
    expect(f.sent.filter((s) => s.msg.type === "copy-ready").map((s) => s.to)).toEqual(["n2"]);
  });

  it("sends another round of the keys that changed, then the handoff sends only what changed since the last round", () => {
    const f = fixture();
    f.pc.applyView(f.view);
    const slot = f.copies()[0]!.slot;
    // Many keys changed during round 1 (more than DEFAULT_PRECOPY_DELTA_ACTORS): a second round goes.
    f.tracked.note(slot, `s${slot}a`);
    for (let i = 0; i < 20; i++) f.tracked.note(slot, `x${i}`);
    f.ack(f.copies()[0]!);
    const round2 = f.copies().find((m) => m.slot === slot && m.round === 2);
    expect(round2?.actors.map((a) => a.key)).toEqual([`s${slot}a`]);
    f.ack(round2!);
    f.tracked.note(slot, `s${slot}b`);
    const done = f.pc.complete("app", 0, slot, "n2", 5);
    expect(done?.copy).toBe(round2!.copy);
    expect([...done!.changed]).toEqual([`s${slot}b`]);
    expect(f.pc.stats.deltas).toBe(1);
  });

  it("a slot whose first round is not staged, or that goes to another member, goes whole; the other member is told to drop its copy", () => {
    const f = fixture();
    f.pc.applyView(f.view);
    const [a, b] = f.copies();
    f.ack(a!, false); // refused: the joiner's staging is full
    expect(f.pc.complete("app", 0, a!.slot, "n2", 5)).toBeUndefined();
    f.ack(b!);
    expect(f.pc.complete("app", 0, b!.slot, "n3", 9)).toBeUndefined();
    expect(f.sent.some((s) => s.to === "n2" && s.msg.type === "slot-copy-cancel" && s.msg.slot === b!.slot)).toBe(true);
    expect(f.pc.stats.whole).toBe(2);
  });

  it("gives a copy up when the joiner leaves the view", () => {
    const f = fixture();
    f.pc.applyView(f.view);
    expect(f.pc.pending).toBe(f.moving.length);
    f.pc.applyView({ epoch: 3, members: [f.view.members[0]!] });
    expect(f.pc.pending).toBe(0);
    // Nothing is sent to a member no longer in the view.
    expect(f.sent.some((s) => s.msg.type === "slot-copy-cancel")).toBe(false);
  });
});

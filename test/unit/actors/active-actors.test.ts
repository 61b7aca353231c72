import { describe, expect, it } from "vitest";
import { ActiveActors } from "../../../runtime/internal.js";
import type { Actor } from "../../../runtime/actors/actor.js";

const actor = (key: string, slot: number) => ({ key, slot, referenced: false, dropped: false, newer: undefined, older: undefined }) as unknown as Actor;
const turn = () => new Promise((r) => setImmediate(r));

describe("ActiveActors.detachSlot (a handoff takes a slot out at once)", () => {
  it("takes the slot's actors out by key; they leave the listing at once and the ring on later turns, marked dropped", async () => {
    const evicted: Actor[] = [];
    const set = new ActiveActors(100, (a) => evicted.push(a));
    for (let i = 0; i < 10; i++) set.add(actor(`k${i}`, i % 2));
    const taken = set.detachSlot(1);
    expect([...taken!.keys()].sort()).toEqual(["k1", "k3", "k5", "k7", "k9"]);
    expect(set.size).toBe(5);
    expect([...set.values()].map((a) => a.key).sort()).toEqual(["k0", "k2", "k4", "k6", "k8"]);
    expect(set.peek("k1", 1)).toBeUndefined();
    await turn();
    await turn();
    expect([...taken!.values()].every((a) => a.dropped)).toBe(true);
  });

  it("eviction passes over detached actors not yet swept: only an actor of the set is evicted", () => {
    const evicted: Actor[] = [];
    const set = new ActiveActors(3, (a) => evicted.push(a));
    set.add(actor("a", 1));
    set.add(actor("b", 1));
    set.add(actor("c", 2));
    set.detachSlot(1); // a and b still threaded through the ring
    set.add(actor("d", 2));
    set.add(actor("e", 2));
    set.add(actor("f", 2)); // over the bound: the oldest actor of the set goes
    expect(evicted.map((a) => a.key)).toEqual(["c"]);
    expect(set.size).toBe(3);
  });
});

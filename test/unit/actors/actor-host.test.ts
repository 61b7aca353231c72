import { describe, expect, it } from "vitest";
import { ApplicationBuilder, defineState, MemoryStateStore, tcpSource, type StateStep } from "../../../runtime/index.js";
import { ActorHost } from "../../../runtime/internal.js";
import type { StateStageDef } from "../../../runtime/builder/application.js";
import type { Envelope } from "../../../runtime/types.js";
import { slotOf } from "../../../runtime/placement/hash.js";
import { waitUntil } from "../../helpers/wait.js";

interface Ev { key: string; n: number }
interface Seen { seen: number[] }
const State = defineState<Seen>("Seen", () => ({ seen: [] }));

function hostFor(step: StateStep<Ev, Seen, unknown>, maxActors: number, store = new MemoryStateStore()) {
  const app = new ApplicationBuilder("t");
  app.newPipeline("P", tcpSource("s", () => ({ key: "", n: 0 }) as Ev)).toStatePartition(step, State, "p", (e) => e.key);
  const built = app.build();
  const stage = built.stages[0] as StateStageDef;
  const failures: unknown[] = [];
  const host = new ActorHost(
    built.partitions[0]!,
    {
      app: "t",
      nodeId: "n1",
      store,
      epoch: () => 1,
      inputOf: (env) => env.value,
      emit: () => undefined,
      stepFailed: (_s, _e, err) => failures.push(err),
      stageOf: () => stage,
      storeFailed: (err) => failures.push(err),
    },
    maxActors,
  );
  const env = (key: string, n: number): Envelope => ({ app: "t", stage: 0, slot: slotOf(key, 256), key, value: { key, n }, payload: undefined, frame: undefined, frameStart: 0, frameEnd: 0, epoch: 1, source: "s", seq: n, hops: 0, acceptedMs: 0, offset: 0 });
  return { host, env, store, failures };
}

describe("ActorHost", () => {
  it("runs one event at a time per actor and keeps per-key order with async steps", async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    const states = new Map<string, Seen>();
    const { host, env } = hostFor(async (e, s) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      // Random delays would reorder events if the host ran two at once for a key.
      await new Promise((r) => setTimeout(r, (e.n * 7) % 3));
      s.seen.push(e.n);
      states.set(e.key, s);
      concurrent--;
      return undefined;
    }, 1000);
    const keys = 20;
    const perKey = 50;
    for (let n = 0; n < perKey; n++) for (let k = 0; k < keys; k++) host.deliver(env(`k${k}`, n));
    await waitUntil(() => [...states.values()].reduce((a, s) => a + s.seen.length, 0) === keys * perKey, 10_000);
    for (const s of states.values()) expect(s.seen).toEqual(Array.from({ length: perKey }, (_, i) => i));
    // Different keys do run concurrently; one key never does.
    expect(maxConcurrent).toBeGreaterThan(1);
    expect(maxConcurrent).toBeLessThanOrEqual(keys);
  });

  it("keeps at most the LRU bound active and reloads passivated state (bound 100, 10k keys)", () => {
    const { host, env, store } = hostFor((e, s) => {
      s.seen.push(e.n);
      return undefined;
    }, 100);
    const keys = 10_000;
    let maxActive = 0;
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < keys; k++) {
        host.deliver(env(`key-${k}`, round));
        maxActive = Math.max(maxActive, host.size);
      }
    }
    expect(maxActive).toBe(100);
    expect(host.passivations).toBeGreaterThanOrEqual(keys * 3 - 100);
    // Every key saw all three rounds in order, whether it stayed active or came back from the store.
    for (let k = 0; k < keys; k++) host.deliver(env(`key-${k}`, 99));
    let checked = 0;
    for (let k = 0; k < keys; k++) {
      const key = `key-${k}`;
      const stored = store.load("t", "p", slotOf(key, 256), key) as Seen | undefined;
      if (stored) {
        expect(stored.seen).toEqual([0, 1, 2, 99]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(keys - 100);
    expect(host.size).toBe(100);
  });

  it("a throwing or rejecting step is reported and the actor keeps serving", async () => {
    const { host, env, failures } = hostFor(async (e, s) => {
      if (e.n === 1) throw new Error("boom");
      s.seen.push(e.n);
      return undefined;
    }, 10);
    for (let n = 0; n < 4; n++) host.deliver(env("k", n));
    await waitUntil(() => host.applied === 3, 2000);
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toContain("boom");
  });

  it("hands a slot's actors over, active and passive", async () => {
    const { host, env } = hostFor((e, s) => {
      s.seen.push(e.n);
      return undefined;
    }, 2);
    const keys = ["a", "b", "c", "d", "e"];
    for (const k of keys) host.deliver(env(k, 1));
    const bySlot = new Map<number, string[]>();
    for (const k of keys) bySlot.set(slotOf(k, 256), [...(bySlot.get(slotOf(k, 256)) ?? []), k]);
    let total = 0;
    for (const [slot, ks] of bySlot) {
      const taken = (await host.takeSlot(slot)).all();
      expect(taken.map((a) => a.key).sort()).toEqual([...ks].sort());
      total += taken.length;
    }
    expect(total).toBe(keys.length);
    expect(host.size).toBe(0);
  });
});

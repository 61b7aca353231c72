import { describe, expect, it } from "vitest";
import { ApplicationBuilder, defineState, FencedError, StateStoreError, tcpSource, type StateStore } from "../../../runtime/index.js";
import { ActorHost } from "../../../runtime/internal.js";
import type { StateStageDef } from "../../../runtime/builder/application.js";
import type { Envelope } from "../../../runtime/types.js";
import type { StoredActor } from "../../../runtime/state/state-store.js";
import { slotOf } from "../../../runtime/placement/hash.js";
import { waitUntil } from "../../helpers/wait.js";

// How an actor's state reaches the store and comes back, against a store whose every read and write
// the test answers by hand (the cluster tests run the real JetStream store; these pin the orderings).
interface Ev {
  key: string;
  n: number;
}
interface Seen {
  seen: number[];
}
const codec = { encode: (s: Seen) => new TextEncoder().encode(JSON.stringify(s)), decode: (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Seen };
const State = defineState<Seen>("Seen", () => ({ seen: [] }), codec);

interface Call<T> {
  readonly key: string;
  readonly resolve: (v: T) => void;
  readonly reject: (e: Error) => void;
}

/** A store that records every read and write and leaves them pending until the test settles them. */
class ScriptedStore implements StateStore {
  readonly kind = "jetstream-kv" as const;
  readonly loads: Array<Call<StoredActor | undefined>> = [];
  readonly writes: Array<Call<number> & { state: Seen; revision: number | undefined }> = [];
  load(): unknown {
    throw new Error("not used");
  }
  save(): void {
    throw new Error("not used");
  }
  loadEntry(_app: string, _p: string, _slot: number, key: string): Promise<StoredActor | undefined> {
    return new Promise((resolve, reject) => this.loads.push({ key, resolve, reject }));
  }
  saveEncoded(_app: string, _p: string, _slot: number, key: string, bytes: Uint8Array, _seq: number, revision: number | undefined): Promise<number> {
    return new Promise((resolve, reject) => this.writes.push({ key, resolve, reject, state: codec.decode(bytes), revision }));
  }
  takeSlot(): Array<[string, unknown]> {
    return [];
  }
  async close(): Promise<void> {}
}

function setup(maxActors: number, beforeWrite?: () => Promise<boolean>) {
  const app = new ApplicationBuilder("t");
  app.newPipeline("P", tcpSource("s", () => ({ key: "", n: 0 }) as Ev)).toStatePartition((e: Ev, s: Seen) => {
    s.seen.push(e.n);
    return undefined;
  }, State, "p", (e) => e.key);
  const built = app.build();
  const stage = built.stages[0] as StateStageDef;
  const store = new ScriptedStore();
  const failures: unknown[] = [];
  const host = new ActorHost(
    built.partitions[0]!,
    { app: "t", nodeId: "n1", store, epoch: () => 1, inputOf: (env) => env.value, emit: () => undefined, stepFailed: (_s, _e, err) => failures.push(err), stageOf: () => stage, storeFailed: (err) => failures.push(err), ...(beforeWrite ? { beforeWrite } : {}) },
    maxActors,
  );
  const env = (key: string, n: number): Envelope => ({ app: "t", stage: 0, slot: slotOf(key, 256), key, value: { key, n }, payload: undefined, frame: undefined, frameStart: 0, frameEnd: 0, epoch: 1, source: "s", seq: n, hops: 0, acceptedMs: 0, offset: 0 });
  return { host, store, env, failures };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("actor persistence", () => {
  it("durable mode: a state whose outputs could not be written to the sinks first is not stored; it stays dirty and is stored by the next flush once they are", async () => {
    const outputsOut: boolean[] = [false, true];
    const { host, store, env } = setup(10, async () => outputsOut.shift() ?? true);
    host.deliver(env("a", 1));
    store.loads.shift()!.resolve(undefined);
    await tick();
    await expect(host.flushDirty()).rejects.toMatchObject({ code: "TROUPE_OUTPUTS_NOT_WRITTEN" });
    // Stored now, a replay would skip event 1 while its output never reached the sink.
    expect(store.writes).toEqual([]);
    expect(host.dirtySlots().size).toBe(1);
    const second = host.flushDirty();
    await waitUntil(() => store.writes.length === 1);
    expect(store.writes[0]!.state).toEqual({ seen: [1] });
    store.writes[0]!.resolve(1);
    expect(await second).toBe(1);
    expect(host.dirtySlots().size).toBe(0);
  });

  it("an actor evicted while its write is in flight comes back from memory, not from the store, and its next write uses the revision the first left", async () => {
    const { host, store, env } = setup(1);
    host.deliver(env("a", 1));
    store.loads.shift()!.resolve({ state: { seen: [0] }, seq: 0, revision: 7 });
    await tick();
    host.deliver(env("b", 1)); // evicts "a": its write goes out
    await tick();
    expect(store.writes.map((w) => [w.key, w.revision])).toEqual([["a", 7]]);
    host.deliver(env("a", 2)); // "a" again while its write is still on its way
    expect(store.loads.map((l) => l.key)).toEqual(["b"]); // no read of "a": it came back as it was
    store.writes.shift()!.resolve(8);
    store.loads.shift()!.resolve(undefined);
    await tick();
    host.deliver(env("b", 2)); // evicts "a" again
    await tick();
    const second = store.writes.find((w) => w.key === "a")!;
    expect(second.state.seen).toEqual([0, 1, 2]);
    expect(second.revision).toBe(8);
  });

  it("a failed load is retried while the events wait: no step runs without the stored state", async () => {
    const { host, store, env, failures } = setup(10);
    host.deliver(env("a", 1));
    host.deliver(env("a", 2));
    store.loads.shift()!.reject(new StateStoreError("NATS is away"));
    await waitUntil(() => store.loads.length === 1, 2_000, "the load to be tried again");
    expect(host.applied).toBe(0);
    store.loads.shift()!.resolve({ state: { seen: [0] }, seq: 0, revision: 3 });
    await waitUntil(() => host.applied === 2, 2_000, "the waiting events to run");
    expect(host.peek("a", slotOf("a", 256))).toEqual({ seen: [0, 1, 2] });
    expect(failures).toHaveLength(1); // the failed load, reported; no step failed
  });

  it("a write that fails stays dirty and is written by the next flush; a fenced write drops the actor, whose next event reads the store again", async () => {
    const { host, store, env } = setup(1);
    host.deliver(env("a", 1));
    store.loads.shift()!.resolve(undefined);
    await tick();
    host.deliver(env("b", 1));
    await tick();
    store.writes.shift()!.reject(new StateStoreError("timeout"));
    await tick();
    expect(host.evictingCount).toBe(1); // not lost: kept until stored
    const flushed = host.flushDirty();
    await tick();
    expect(store.writes.map((w) => w.key)).toEqual(["a"]);
    store.writes.shift()!.resolve(5);
    store.loads.shift()!.resolve(undefined); // "b"
    await flushed;
    expect(host.evictingCount).toBe(0);
    // "b" is active and dirty; the store says another owner wrote it: our copy goes.
    const f = host.flushDirty().catch((e: unknown) => e);
    await tick();
    store.writes.shift()!.reject(new FencedError("newer owner"));
    expect(await f).toBeInstanceOf(FencedError);
    expect(host.size).toBe(0);
    host.deliver(env("b", 2));
    expect(store.loads.map((l) => l.key)).toEqual(["b"]);
  });
});

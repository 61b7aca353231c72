import type { KV } from "@nats-io/kv";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../runtime/logger.js";
import { HeartbeatLease } from "../../../runtime/nats/heartbeat-lease.js";

// A heartbeat store whose puts are answered (or refused) when the test says: the lease logic alone,
// on a clock the test moves. What a real store does is covered by the membership integration suites.
function harness() {
  let now = 0;
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const beats = {
    put: () => new Promise<number>((resolve, reject) => pending.push({ resolve: () => resolve(1), reject })),
  } as unknown as KV;
  const graces: number[] = [];
  const lease = new HeartbeatLease({ heartbeatMs: 1_000, leaseMs: 2_500, log: createLogger("silent"), graceAll: (t) => graces.push(t), now: () => now });
  return {
    lease,
    graces,
    at: (t: number) => (now = t),
    send: () => lease.renew(beats, "hb.n1"),
    ack: async (p: Promise<void>) => {
      pending.shift()!.resolve();
      await p;
    },
    fail: async (p: Promise<void>) => {
      pending.shift()!.reject(new Error("timeout"));
      await p;
    },
  };
}

describe("HeartbeatLease", () => {
  it("extends the lease from each acknowledged heartbeat's send time", async () => {
    const h = harness();
    h.at(100);
    const p = h.send();
    h.at(150);
    await h.ack(p);
    expect(h.lease.until()).toBe(100 + 2_500);
    expect(h.graces).toEqual([]);
  });

  it("grants the others a fresh grace period after its own heartbeats failed for two periods", async () => {
    const h = harness();
    h.at(0);
    await h.ack(h.send());
    for (const t of [1_000, 2_000, 3_000]) {
      h.at(t);
      await h.fail(h.send());
    }
    expect(h.lease.cutOff(3_000)).toBe(true);
    h.at(4_000);
    const p = h.send();
    h.at(4_050);
    await h.ack(p);
    expect(h.graces).toEqual([4_050]);
    expect(h.lease.cutOff(4_100)).toBe(false);
  });

  it("grants a fresh grace period when a put sent before a stall is acknowledged only after it (a JetStream election)", async () => {
    const h = harness();
    h.at(0);
    await h.ack(h.send());
    // Sent 100 ms after the last success, so its send time says nothing was wrong...
    h.at(100);
    const stalled = h.send();
    h.at(1_100);
    const next = h.send();
    // ...but it is answered 4 s later, with the one after it: the store was not taking writes.
    h.at(4_100);
    await h.ack(stalled);
    await h.ack(next);
    expect(h.graces).toEqual([4_100]);
  });

  it("grants no grace period while acknowledgements keep coming", async () => {
    const h = harness();
    for (let t = 0; t <= 10_000; t += 1_000) {
      h.at(t);
      const p = h.send();
      h.at(t + 900); // slow, but within two periods of the last acknowledgement
      await h.ack(p);
    }
    expect(h.graces).toEqual([]);
  });

  it("reports the lease lost when a renewal fails after it ran out", async () => {
    const h = harness();
    let lost = 0;
    h.lease.onLost(() => lost++);
    h.at(0);
    await h.ack(h.send());
    h.at(2_000);
    await h.fail(h.send());
    expect(lost).toBe(0);
    h.at(3_000);
    await h.fail(h.send());
    expect(lost).toBe(1);
  });
});

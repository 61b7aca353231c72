import { describe, expect, it } from "vitest";
import pino from "pino";
import type { Membership, MembershipView } from "../../../runtime/cluster/membership.js";
import { MembershipSeat } from "../../../runtime/node/membership-seat.js";
import { waitUntil } from "../../helpers/wait.js";

// A membership with a lease this test renews by hand.
function fakeMembership(leaseMs: number) {
  let until = performance.now() + leaseMs;
  const renewedListeners: Array<(until: number) => void> = [];
  const view: MembershipView = { epoch: 1, members: [{ id: "n1", status: "up", joinedSeq: 1 }] } as unknown as MembershipView;
  const m = {
    join: async () => view,
    subscribe: () => () => undefined,
    leaseUntil: () => until,
    onLeaseRenewed: (l: (until: number) => void) => {
      renewedListeners.push(l);
      return () => undefined;
    },
    onLeaseLost: () => () => undefined,
    confirmMember: async () => true,
  } as unknown as Membership;
  return {
    m,
    renew(ms: number) {
      until = performance.now() + ms;
      for (const l of renewedListeners) l(until);
    },
  };
}

function seatOver(m: Membership) {
  const resumes: number[] = [];
  const seat = new MembershipSeat({
    nodeId: "n1",
    log: pino({ level: "silent" }),
    membership: m,
    active: () => true,
    applyView: () => undefined,
    fence: () => [],
    park: () => undefined,
    resume: () => resumes.push(performance.now()),
    intakeChanged: () => undefined,
    advertisedHttp: () => undefined,
  });
  return { seat, resumes };
}

// Blocks the event loop (as a busy or descheduled process is) for `ms`: no timer runs meanwhile.
function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe("MembershipSeat: the ownership lease", () => {
  it("a lease that ran out and was renewed before its timer noticed still resumes the node, so steps that stalled meanwhile run", async () => {
    const f = fakeMembership(20);
    const { seat, resumes } = seatOver(f.m);
    await seat.join();
    expect(seat.mayAct()).toBe(true);
    busyFor(30); // past the lease: the timer that would suspend cannot run
    expect(seat.mayAct()).toBe(false); // a step asking now waits (its actor stalls)
    f.renew(10_000); // the heartbeat's answer comes first
    await waitUntil(() => resumes.length > 0, 2_000, "the seat to resume");
    expect(seat.mayAct()).toBe(true);
    expect(seat.stats.suspensions).toBe(1);
    expect(seat.stats.resumes).toBe(1);
    seat.close();
  });

  it("renewals inside the lease do not suspend or resume anything", async () => {
    const f = fakeMembership(5_000);
    const { seat, resumes } = seatOver(f.m);
    await seat.join();
    for (let i = 0; i < 5; i++) f.renew(5_000);
    await new Promise((r) => setImmediate(r));
    expect(resumes).toEqual([]);
    expect(seat.stats.suspensions).toBe(0);
    seat.close();
  });
});

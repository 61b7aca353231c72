import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Backpressure } from "../../../runtime/io/backpressure.js";
import { Intake } from "../../../runtime/node/intake.js";
import type { MembershipSeat } from "../../../runtime/node/membership-seat.js";
import type { Transport } from "../../../runtime/transport/transport.js";

// The intake gate on fake timers: what it does when pressure comes and goes, and that a node with
// nothing flowing keeps no timer (it used to look every 5 ms, idle or not).
function harness() {
  const state = { sinksHigh: false, evicting: 0, probeHigh: false, accepting: [] as boolean[] };
  const backpressure = new Backpressure();
  backpressure.addProbe(() => state.probeHigh);
  const transport = { setAccepting: (on: boolean) => state.accepting.push(on) } as unknown as Transport;
  const seat = { takesIn: () => true, mayAct: () => true } as unknown as MembershipSeat;
  const intake = new Intake({ transport, seat, backpressure, sinksHigh: () => state.sinksHigh, evicting: () => state.evicting }, 10);
  return { state, backpressure, intake };
}

describe("Intake", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stops taking events in while a sink is over its mark, and takes them in again once it drains", () => {
    const { state, intake } = harness();
    intake.start();
    state.sinksHigh = true;
    intake.poke();
    vi.advanceTimersByTime(5);
    expect(state.accepting).toEqual([false]);
    expect(intake.mayDeliver()).toBe(false);
    // No pokes meanwhile: the gate keeps looking while the pressure is on.
    vi.advanceTimersByTime(500);
    state.sinksHigh = false;
    vi.advanceTimersByTime(5);
    expect(state.accepting).toEqual([false, true]);
    expect(intake.pauses).toBe(1);
    intake.stop();
  });

  it("counts the evictions' backlog as pressure, and as a probe for the sources", () => {
    const { state, backpressure, intake } = harness();
    intake.start();
    state.evicting = 11;
    expect(backpressure.isHigh()).toBe(true);
    intake.poke();
    vi.advanceTimersByTime(5);
    expect(state.accepting).toEqual([false]);
    intake.stop();
  });

  it("keeps no timer while nothing flows, and looks again within 5 ms of a poke", () => {
    const { state, intake } = harness();
    intake.start();
    vi.advanceTimersByTime(5);
    expect(vi.getTimerCount()).toBe(0);
    state.sinksHigh = true;
    vi.advanceTimersByTime(1_000);
    expect(state.accepting).toEqual([]); // nothing looked: nothing was written
    intake.poke();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5);
    expect(state.accepting).toEqual([false]);
    intake.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("wakes a source that paused for pressure once every probe is low, though nothing else flows", () => {
    const { state, backpressure, intake } = harness();
    let resumed = 0;
    backpressure.onLow(() => resumed++);
    intake.start();
    vi.advanceTimersByTime(5);
    expect(vi.getTimerCount()).toBe(0);
    resumed = 0; // (the first look told the sources, none of them paused)
    state.probeHigh = true;
    backpressure.paused(); // what a TcpSource does as it pauses
    vi.advanceTimersByTime(100);
    expect(resumed).toBe(0);
    state.probeHigh = false;
    vi.advanceTimersByTime(5);
    expect(resumed).toBe(1);
    vi.advanceTimersByTime(10);
    expect(vi.getTimerCount()).toBe(0);
    intake.stop();
  });
});

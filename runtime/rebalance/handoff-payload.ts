import type { Envelope } from "../types.js";
import type { HandoffApp, HandoffHost, SlotStates } from "./handoff-host.js";

const now = (): number => performance.now();

/** What a slot's handoff carries: its actors' states (memory mode; all, or a pre-copy's delta) and the events held for it. */
export interface HandoffPayload {
  readonly states: SlotStates | undefined;
  readonly held: Envelope[];
}

/**
 * Gathers a losing slot's handoff, in the order that keeps it whole. Memory mode: the actors travel
 * with it. Otherwise their dirty states go to the store first (the next owner reads them there), and
 * durable mode checkpoints the slot. Either way the slot's outputs go out before the held events are
 * taken: its next owner cannot write later outputs ahead of them, and what arrives meanwhile is held
 * and goes too.
 */
export async function gatherHandoff(host: HandoffHost, app: HandoffApp, partition: number, slot: number): Promise<HandoffPayload> {
  const st = app.tables[partition]!;
  const actorsOf = app.hosts[partition]!;
  let states: SlotStates | undefined;
  let settled: Envelope[] | undefined;
  let idle = false;
  if (host.mode === "memory") {
    states = await actorsOf.takeSlot(slot);
  } else if (host.mode === "snapshot") {
    // What is not stored yet goes with the handoff: the pause does not wait for a slot's worth of writes.
    idle = actorsOf.isSlotIdle(slot);
    const unstored = await actorsOf.takeUnstored(slot);
    states = { all: () => unstored, pick: (keys) => unstored.filter((a) => keys.has(a.key)) };
  } else {
    idle = actorsOf.isSlotIdle(slot);
    const t0 = now();
    const flushed = await actorsOf.flushDirty(slot);
    host.log.debug({ slot, partition: app.app.partitions[partition]!.name, flushed, flushMs: Math.round(now() - t0), pausedMs: Math.round(now() - st.since[slot]!) }, "slot state flushed for its handoff");
  }
  await host.flushOutputs?.();
  if (host.mode !== "memory") {
    if (host.settle) settled = await host.settle(app.name, partition, slot, st.takeHeld(slot), idle);
    actorsOf.dropSlot(slot);
  }
  return { states, held: settled ?? st.takeHeld(slot) };
}

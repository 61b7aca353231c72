import { OutputsNotWrittenError } from "../errors.js";
import type { Envelope } from "../types.js";
import type { HandoffApp, HandoffHost, SlotStates } from "./handoff-host.js";

/** What a slot's handoff carries: its actors' states (memory mode; all, or a pre-copy's delta) and the events held for it. */
export interface HandoffPayload {
  readonly states: SlotStates;
  readonly held: Envelope[];
  /** Durable mode: the slot's events up to this offset are in the states it leaves (0: unknown). */
  readonly delivered: number;
}

/**
 * Gathers a losing slot's handoff, in the order that keeps it whole. Memory mode: the actors travel
 * with it. Otherwise the states not stored yet travel with it (the next owner reads the others from
 * the store), and durable mode checkpoints the slot when none do. Either way the slot's outputs go out
 * before the held events are taken: its next owner cannot write later outputs ahead of them, and what
 * arrives meanwhile is held and goes too.
 */
export async function gatherHandoff(host: HandoffHost, app: HandoffApp, partition: number, slot: number): Promise<HandoffPayload> {
  const st = app.tables[partition]!;
  const actorsOf = app.hosts[partition]!;
  let delivered = 0;
  const idle = actorsOf.isSlotIdle(slot);
  // Durable mode: a replay skips the events a stored state reflects; the states this handoff carries
  // may be stored by the next owner, so their events' outputs go out first, or the handoff waits.
  const written = await host.flushOutputs?.();
  if (host.mode === "durable" && written === false) {
    throw new OutputsNotWrittenError(`slot ${slot} of ${app.name}/${app.app.partitions[partition]!.name} not handed off yet: the outputs of its last events could not be written to the sinks (check that the sink receivers are up and reading); it is tried again`);
  }
  // Memory mode: every state travels. Otherwise those not stored yet travel (with the revision and
  // sequence each left), and the next owner reads the others from the store: the pause does not wait for writes.
  const states = await actorsOf.takeSlot(slot);
  if (host.mode !== "memory" && host.settle) {
    // Durable mode: no checkpoint past events whose effects travel unstored (the next owner replays
    // from the last one, and the states carry the sequence they reflect, so it skips what they have).
    const travelling = states.all().length > 0 || host.preCopy?.copying(app.name, partition, slot) === true;
    delivered = await host.settle(app.name, partition, slot, st.takeHeld(slot), idle, travelling);
    return { states, held: [], delivered };
  }
  return { states, held: st.takeHeld(slot), delivered };
}

import { OutputsNotWrittenError } from "../errors.js";
import type { Envelope } from "../types.js";
import type { HandoffApp, HandoffHost, SlotStates } from "./handoff-host.js";

/** What a slot's handoff carries: its actors' states (memory mode; all, or a pre-copy's delta) and the events held for it. */
export interface HandoffPayload {
  readonly states: SlotStates | undefined;
  readonly held: Envelope[];
}

/**
 * Gathers a losing slot's handoff, in the order that keeps it whole. Memory mode: the actors travel
 * with it (all, or what changed since a pre-copy). Otherwise the states not stored yet travel with it
 * (the next owner reads the others from the store), and durable mode checkpoints the slot when none
 * did. Either way the slot's outputs go out before the held events are
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
  } else {
    // What is not stored yet goes with the handoff (the next owner writes it behind, as its own): the
    // pause does not wait for a slot's worth of writes.
    idle = actorsOf.isSlotIdle(slot);
    const unstored = await actorsOf.takeUnstored(slot);
    states = { all: () => unstored, pick: (keys) => unstored.filter((a) => keys.has(a.key)) };
    // Durable mode: a checkpoint past events whose effects are only in those states could lose them
    // if the next owner failed before storing them; it replays from the last checkpoint instead (the
    // states carry the sequence they reflect, so it skips what they have).
    if (unstored.length > 0) idle = false;
  }
  const written = await host.flushOutputs?.();
  if (host.mode === "durable" && written === false && states && states.all().length > 0) {
    // A replay would skip the events these states reflect: their outputs go out first, or the handoff waits.
    actorsOf.markDirty(slot, states.all());
    throw new OutputsNotWrittenError(`slot ${slot} of ${app.name}/${app.app.partitions[partition]!.name} not handed off yet: the outputs of its last events could not be written to the sinks (check that the sink receivers are up and reading); it is tried again`);
  }
  if (host.mode !== "memory") {
    if (host.settle) settled = await host.settle(app.name, partition, slot, st.takeHeld(slot), idle);
    actorsOf.dropSlot(slot);
  }
  return { states, held: settled ?? st.takeHeld(slot) };
}

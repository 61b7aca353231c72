import type { Envelope } from "../types.js";
import type { SlotFacts } from "./slot-transitions.js";

/** Ownership state of one slot on this node. */
export const SLOT_STATES = ["foreign", "owned", "gaining", "losing"] as const;
/** Ownership state of one slot: foreign (someone else's), owned, gaining (awaiting handoff), losing (handing off). */
export type SlotState = (typeof SLOT_STATES)[number];

const FOREIGN = 0;
const OWNED = 1;
const GAINING = 2;
const LOSING = 3;

/** Per-slot ownership of one state partition on one node, with the buffers a handoff needs. */
export class SlotTable {
  /** Owner of each slot in the current epoch ("" when the cluster has no owner). */
  owners: readonly string[];
  private readonly states: Uint8Array;
  private readonly buffers: Array<Envelope[] | undefined>;
  /** For gaining slots: the node expected to hand the slot over ... */
  readonly gainFrom: Array<string | undefined>;
  /** ... and its join sequence (the same id rejoined is another member, which will not hand it over). */
  readonly gainSeq: Float64Array;
  /** For gaining and losing slots: when the transition began (ms), for the pause metric and deadlines. */
  readonly since: Float64Array;
  /** For losing slots (and gaining slots that moved on): the epoch in which the slot was lost. */
  readonly lostAt: Float64Array;
  /** ... and the node that owned it in that epoch: the next link of the handoff chain. */
  readonly lostTo: Array<string | undefined>;
  /** Losing slots whose handoff is being sent. */
  readonly sending: Uint8Array;

  constructor(readonly slots: number) {
    this.owners = [];
    this.states = new Uint8Array(slots);
    this.buffers = new Array(slots).fill(undefined);
    this.gainFrom = new Array(slots).fill(undefined);
    this.gainSeq = new Float64Array(slots);
    this.since = new Float64Array(slots);
    this.lostAt = new Float64Array(slots);
    this.lostTo = new Array(slots).fill(undefined);
    this.sending = new Uint8Array(slots);
  }

  /** State code of a slot (hot path): 0 foreign, 1 owned, 2 gaining, 3 losing. */
  code(slot: number): number {
    return this.states[slot]!;
  }

  /** State of a slot. */
  state(slot: number): SlotState {
    return SLOT_STATES[this.states[slot]!]!;
  }

  /** Sets a slot's state. */
  set(slot: number, state: SlotState, now = 0): void {
    const code = SLOT_STATES.indexOf(state);
    if (code === GAINING || code === LOSING) this.since[slot] = now;
    if (code !== LOSING) this.sending[slot] = 0;
    // A slot gained again is no longer on its way to an earlier target (a stale target would bounce it back and forth).
    if (code !== LOSING) this.lostTo[slot] = undefined;
    this.states[slot] = code;
  }

  /** Everything the handoff state machine knows of a slot. */
  facts(slot: number): SlotFacts {
    const code = SLOT_STATES[this.states[slot]!]!;
    switch (code) {
      case "foreign":
      case "owned":
        return { code };
      case "gaining":
        return { code, gainFrom: this.gainFrom[slot], gainSeq: this.gainSeq[slot], since: this.since[slot], ...(this.lostTo[slot] !== undefined ? { lostTo: this.lostTo[slot], lostAt: this.lostAt[slot] } : {}) };
      case "losing":
        return { code, lostTo: this.lostTo[slot], lostAt: this.lostAt[slot], since: this.since[slot], sending: this.sending[slot] === 1 };
    }
  }

  /** Writes a slot's next state, as the handoff state machine decided it. */
  apply(slot: number, f: SlotFacts): void {
    this.states[slot] = SLOT_STATES.indexOf(f.code);
    this.gainFrom[slot] = f.gainFrom;
    this.gainSeq[slot] = f.gainSeq ?? 0;
    this.lostTo[slot] = f.lostTo;
    this.lostAt[slot] = f.lostAt ?? 0;
    this.since[slot] = f.since ?? 0;
    this.sending[slot] = f.sending ? 1 : 0;
  }

  /** Holds `env` until the slot's transition ends. */
  hold(slot: number, env: Envelope): void {
    (this.buffers[slot] ??= []).push(env);
  }

  /** Marks a slot as lost in `epoch` to `to` (the next owner in the handoff chain). */
  lose(slot: number, epoch: number, to: string, now: number): void {
    this.set(slot, "losing", now);
    this.lostAt[slot] = epoch;
    this.lostTo[slot] = to;
  }

  /** Holds `envs` ahead of what is already held (they are older). */
  holdFirst(slot: number, envs: readonly Envelope[]): void {
    if (envs.length === 0) return;
    const b = this.buffers[slot];
    this.buffers[slot] = b ? [...envs, ...b] : [...envs];
  }

  /** Takes (and clears) the events held for a slot. */
  takeHeld(slot: number): Envelope[] {
    const b = this.buffers[slot] ?? [];
    this.buffers[slot] = undefined;
    return b;
  }

  /** Counts slots per state. */
  counts(): Record<SlotState, number> {
    const c = { foreign: 0, owned: 0, gaining: 0, losing: 0 };
    for (let i = 0; i < this.slots; i++) c[SLOT_STATES[this.states[i]!]!]++;
    return c;
  }

  /** Slots in a given state. */
  list(state: SlotState): number[] {
    const code = SLOT_STATES.indexOf(state);
    const out: number[] = [];
    for (let i = 0; i < this.slots; i++) if (this.states[i] === code) out.push(i);
    return out;
  }
}

export const SLOT_CODE = { FOREIGN, OWNED, GAINING, LOSING } as const;

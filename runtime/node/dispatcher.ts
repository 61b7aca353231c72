import type { StateStageDef } from "../builder/application.js";
import type { MembershipView } from "../cluster/membership.js";
import type { Router } from "../cluster/router.js";
import { DEFAULT_MAX_HOPS } from "../defaults.js";
import type { DeadLetters } from "../observability/dead-letters.js";
import type { Transport } from "../transport/transport.js";
import type { Envelope } from "../types.js";
import type { AppRuntime } from "./app-runtime.js";
import type { DurableSlots } from "./durable-slots.js";
import type { HandoffCoordinator } from "../rebalance/handoff-coordinator.js";
import type { MembershipSeat } from "./membership-seat.js";
import { SLOT_CODE, type SlotTable } from "../rebalance/slot-table.js";
import { envelopePayload } from "./envelope-payload.js";

/** What the dispatcher needs from its node. */
export interface DispatcherHost {
  readonly nodeId: string;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly router: Router;
  readonly transport: Transport;
  readonly deadLetters: DeadLetters;
  readonly seat: MembershipSeat;
  /** The handoff coordinator (epoch, slot transitions). */
  handoff(): HandoffCoordinator;
  /** Durable mode: the readers of owned slots. */
  readonly durable: DurableSlots | undefined;
}

/**
 * Takes every event to its actor: local owner, forward to the owner this node knows, hold while the
 * slot is in a handoff, park while no owner is known (or the event's epoch is ahead of this node's),
 * and the lease check before an owned slot's actor runs anything.
 */
export class Dispatcher {
  private readonly parked: Envelope[] = [];
  private knownMembers = new Set<string>();
  /** Envelopes forwarded to another owner. */
  forwards = 0;
  /** Durable mode: stream events a handoff or fence took back from actors, left for the slot's next reader. */
  replayLeft = 0;

  constructor(private readonly host: DispatcherHost) {}

  /** Envelopes parked until this node's view catches up or a slot has an owner. */
  parkedCount(): number {
    return this.parked.length;
  }

  /** Routes an event a source or a step made here (memory and snapshot mode: durable mode stores it instead). */
  route(env: Envelope, st: SlotTable): void {
    const owner = st.owners[env.slot];
    if (owner === this.host.nodeId) {
      const app = this.host.apps.get(env.app)!;
      this.deliverTo(env, st, app, (app.app.stages[env.stage] as StateStageDef).partition.index);
    } else if (owner) this.host.router.send(owner, env);
    else this.parked.push(env);
  }

  /** Events from another node, in the order it sent them. */
  onBatch(envs: readonly Envelope[]): void {
    for (let i = 0; i < envs.length; i++) this.deliver(envs[i]!);
  }

  /** Delivers an event through the owner check (from another node, a handoff, or parking). */
  deliver(env: Envelope): void {
    // From the event stream but held by a handoff or a fence: the slot's owner replays it from the
    // stream in order (delivering it here could run it ahead of earlier events of its key).
    if (env.offset !== 0) {
      this.replayLeft++;
      this.host.durable?.skipped(env);
      return;
    }
    const app = this.host.apps.get(env.app);
    const stage = app?.app.stages[env.stage];
    if (!app || !stage || stage.kind !== "state") {
      this.host.deadLetters.record("undeliverable", env.app, `stage ${env.stage}`, "no such app or state stage on this node; is every node running the same app version?", envelopePayload(env));
      return;
    }
    if (env.epoch > this.host.handoff().epoch) {
      this.parked.push(env);
      return;
    }
    // The app and partition found here go on with the event: one lookup of the app per event.
    const partition = (stage as StateStageDef).partition.index;
    this.deliverTo(env, app.tables[partition]!, app, partition);
  }

  /** Parks events to route again later (a fence's held events, a departed node's unacknowledged ones). */
  park(envs: readonly Envelope[]): void {
    for (const env of envs) this.parked.push(env);
  }

  /** Delivers what was parked, now that the view or a slot moved on. */
  redeliverParked(): void {
    if (this.parked.length === 0) return;
    const epoch = this.host.handoff().epoch;
    const parked = this.parked.splice(0);
    for (const env of parked) {
      if (env.epoch > epoch) this.parked.push(env);
      else this.deliver(env);
    }
  }

  /** After a view: a departed node's unacknowledged events go to the slots' new owners (it may have applied some: at-least-once). */
  viewApplied(view: MembershipView): void {
    this.host.durable?.reconcile();
    const now = new Set(view.members.map((m) => m.id));
    for (const id of this.knownMembers) if (!now.has(id)) this.park(this.host.transport.forget?.(id) ?? []);
    this.knownMembers = now;
    this.redeliverParked();
  }

  private deliverTo(env: Envelope, st: SlotTable, app: AppRuntime, partition: number): void {
    const code = st.code(env.slot);
    if (code === SLOT_CODE.OWNED) {
      // The lease is checked before every event: a node that was paused finds it expired here,
      // before it touches anything (a timer could fire only after the I/O that brought the event).
      if (!this.host.seat.mayAct()) {
        this.host.seat.holdEvent(env);
        return;
      }
      app.deliverOwned(env, partition);
    } else if (code === SLOT_CODE.GAINING || code === SLOT_CODE.LOSING) {
      st.hold(env.slot, env);
    } else {
      const owner = st.owners[env.slot];
      if (!owner || owner === this.host.nodeId) {
        // No owner, or ours in the view while its state is not here: wait for the next view or handoff.
        this.parked.push(env);
        return;
      }
      const epoch = this.host.handoff().epoch;
      if (env.hops >= DEFAULT_MAX_HOPS) {
        this.host.deadLetters.record("hop_limit", env.app, `slot ${env.slot}`, `forwarded ${env.hops} times without reaching its owner (last: ${this.host.nodeId} at epoch ${epoch} says ${owner}; envelope epoch ${env.epoch})`, envelopePayload(env));
        return;
      }
      env.hops++;
      env.epoch = epoch;
      this.forwards++;
      this.host.router.send(owner, env);
    }
  }
}

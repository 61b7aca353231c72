import type { ControlMessage, Envelope, StateMode } from "../types.js";
import { slotOwners, type MembershipView } from "../cluster/membership.js";
import type { Router } from "../cluster/router.js";
import type { Logger } from "../logger.js";
import { RoutingTable } from "../placement/routing-table.js";
import type { Transport } from "../transport/transport.js";
import type { AppRuntime } from "./app-runtime.js";
import { SLOT_CODE, type SlotTable } from "./slot-table.js";

/** What the coordinator needs from its node. */
export interface HandoffHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly transport: Transport;
  readonly router: Router;
  readonly mode: StateMode;
  readonly timeoutMs: number;
  /** Delivers an envelope through the node's owner check (after a transition ends). */
  deliver(env: Envelope): void;
  /** Reports how long a slot was paused by a handoff. */
  paused(ms: number): void;
  /** Called after every applied view (for parked envelopes and readiness). */
  viewApplied(view: MembershipView): void;
  /** Writes out the sinks' buffered outputs (a slot's outputs here go out before its next owner's). */
  flushOutputs?(): Promise<unknown>;
  /** False while the node may not act (its lease ran out): no handoff is sent then. */
  mayAct?(): boolean;
  /** Durable mode: records where the slot's next owner replays from; returns the held events still to send. */
  settle?(app: string, partition: number, slot: number, held: Envelope[], idle: boolean): Promise<Envelope[]>;
}

type HandoffDone = Extract<ControlMessage, { type: "handoff-done" }>;

const now = (): number => performance.now();

/**
 * Moves slots between owners when the placement epoch changes (DESIGN.md "Handoff").
 * The old owner stops running a slot and holds what arrives for it; once every member
 * has acknowledged the new epoch (so no stale sender can still reach it) and the slot's
 * actors are idle, it sends the state and the held events in one `handoff-done`. The
 * new owner holds events for the slot until that arrives (or the old owner is gone),
 * then runs the handed-over events before its own.
 */
export class HandoffCoordinator {
  /** Current placement epoch of this node (0 before it joined). */
  epoch = 0;
  view: MembershipView = { epoch: 0, members: [] };
  table: RoutingTable = new RoutingTable(0, []);
  private readonly acks = new Map<string, number>();
  private readonly parked: HandoffDone[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly warned = new Set<string>();
  /** Handoffs sent and received so far. */
  sent = 0;
  received = 0;
  // The rebalance in progress: when its first epoch arrived and what it moved.
  private rebalance: { epoch: number; start: number; gained: number; lost: number } | undefined;
  /** Rebalances completed on this node and the last one's duration (ms). */
  rebalances = 0;
  lastRebalanceMs = 0;

  constructor(private readonly host: HandoffHost) {}

  /** Applies a newer membership view: recomputes placement and starts every transition it implies. */
  applyView(view: MembershipView): void {
    if (view.epoch <= this.epoch) return;
    const self = this.host.nodeId;
    const first = this.epoch === 0;
    const owners = slotOwners(view);
    const table = new RoutingTable(view.epoch, owners);
    // A first join takes each slot from its owner in the view it changed (or, where that is not known,
    // in the placement without this node); later views from this node's own table.
    const joinedFrom = first ? (view.previous ?? view.members.filter((m) => m.id !== self)) : undefined;
    const previous = joinedFrom ? new RoutingTable(view.epoch, slotOwners({ epoch: view.epoch, members: joinedFrom })) : this.table;
    // A member is the same member only with the same join sequence: a node restarted under the same
    // id is a new member, and never hands over what its dead predecessor held.
    const seqs = new Map(view.members.map((m) => [m.id, m.joinedSeq]));
    const before = new Map((joinedFrom ?? this.view.members).map((m) => [m.id, m.joinedSeq]));
    const present = (id: string | undefined, seq: number): boolean => id !== undefined && seqs.get(id) === seq;
    const t = now();
    let gained = 0;
    let lost = 0;
    for (const app of this.host.apps.values()) {
      for (const p of app.app.partitions) {
        const st = app.tables[p.index]!;
        const next = table.owners(p.slots);
        const prev = first ? previous.owners(p.slots) : st.owners;
        for (let slot = 0; slot < p.slots; slot++) {
          const owner = next[slot] ?? "";
          const code = st.code(slot);
          if (owner === self) {
            if (code === SLOT_CODE.FOREIGN) {
              // A handoff that arrived ahead of its epoch is waited for even if its sender has left since.
              const parkedFrom = this.parkedFrom(app.name, p.name, slot);
              const from = parkedFrom ?? prev[slot];
              // The member that owned it, as it was in the view it owned it in.
              const fromSeq = (from === parkedFrom ? seqs.get(from ?? "") : before.get(from ?? "")) ?? -1;
              gained++;
              if (from && from !== self && (present(from, fromSeq) || from === parkedFrom)) {
                st.set(slot, "gaining", t);
                st.gainFrom[slot] = from;
                st.gainSeq[slot] = fromSeq;
              } else st.set(slot, "owned");
            } else if (code === SLOT_CODE.GAINING) {
              st.lostTo[slot] = undefined; // it came back to us while in flight
              if (!present(st.gainFrom[slot], st.gainSeq[slot]!) && this.parkedFrom(app.name, p.name, slot) === undefined) {
                this.host.log.warn({ slot, partition: p.name, from: st.gainFrom[slot] }, "previous owner left before handing off; serving the slot from the store");
                st.set(slot, "owned");
                this.release(st, slot);
              }
            }
          } else if (code === SLOT_CODE.OWNED) {
            lost++;
            st.lose(slot, view.epoch, owner, t);
            st.holdFirst(slot, app.hosts[p.index]!.detachQueued(slot));
          } else if (code === SLOT_CODE.GAINING) {
            // Still in flight to us, but it has moved on: we stay a link of the chain and pass it on when it arrives.
            if (st.lostTo[slot] === undefined && owner) {
              st.lostTo[slot] = owner;
              st.lostAt[slot] = view.epoch;
            }
            if (!present(st.gainFrom[slot], st.gainSeq[slot]!) && this.parkedFrom(app.name, p.name, slot) === undefined) st.lose(slot, st.lostAt[slot] || view.epoch, st.lostTo[slot] ?? owner, t);
          }
        }
        st.owners = next;
      }
    }
    this.view = view;
    this.table = table;
    this.epoch = view.epoch;
    this.host.router.flush();
    // Everything this node sent under older epochs is now ahead of this ack on each channel.
    for (const m of view.members) if (m.id !== self) this.host.transport.sendControl(m.id, { type: "epoch-ack", epoch: view.epoch, from: self });
    this.host.log.info({ epoch: view.epoch, members: view.members.map((m) => `${m.id}:${m.status}`), slotsGained: gained, slotsLost: lost }, "epoch changed");
    if (gained + lost > 0) {
      const r = this.rebalance;
      this.rebalance = { epoch: view.epoch, start: r?.start ?? t, gained: (r?.gained ?? 0) + gained, lost: (r?.lost ?? 0) + lost };
    }
    const parked = this.parked.splice(0);
    for (const msg of parked) this.onHandoffDone(msg);
    this.host.viewApplied(view);
    this.pump();
  }

  // The sender of a handoff of `slot` received ahead of its epoch (parked until this view), if any.
  private parkedFrom(app: string, partition: string, slot: number): string | undefined {
    if (this.parked.length === 0) return undefined;
    return this.parked.find((m) => m.slot === slot && m.app === app && m.partition === partition)?.from;
  }

  /** Records that `from` has applied `epoch`. */
  onAck(from: string, epoch: number): void {
    if ((this.acks.get(from) ?? 0) < epoch) this.acks.set(from, epoch);
    this.pump();
  }

  /** Receives a slot from its old owner. */
  onHandoffDone(msg: HandoffDone): void {
    if (msg.epoch > this.epoch) {
      this.parked.push(msg);
      return;
    }
    const app = this.host.apps.get(msg.app);
    const pi = app?.partitionIndex(msg.partition);
    if (!app || pi === undefined) {
      this.host.log.error({ app: msg.app, partition: msg.partition }, "handoff for an unknown app or partition; is every node running the same apps?");
      return;
    }
    this.received++;
    const st = app.tables[pi]!;
    const slot = msg.slot;
    this.host.log.debug({ slot, partition: msg.partition, from: msg.from, msgEpoch: msg.epoch, code: st.code(slot), lostTo: st.lostTo[slot], events: msg.buffered.length }, "handoff received");
    const held = st.takeHeld(slot);
    const events = msg.buffered.length === 0 ? held : [...msg.buffered, ...held];
    const code = st.code(slot);
    if (code === SLOT_CODE.GAINING) this.host.paused(now() - st.since[slot]!);
    if (code === SLOT_CODE.OWNED) {
      // We already serve this slot (its old owner was given up for dead): its state is stale, its events are not.
      this.host.log.warn({ slot, partition: msg.partition, from: msg.from, actors: msg.actors.length }, "late handoff for a slot already served; applying its events, not its state");
      for (const env of events) this.host.deliver(env);
      return;
    }
    app.hosts[pi]!.install(slot, msg.actors);
    if (code === SLOT_CODE.GAINING && st.lostTo[slot] === undefined && st.owners[slot] === this.host.nodeId) {
      st.set(slot, "owned");
      for (const env of events) this.host.deliver(env);
      return;
    }
    // Not ours (any more): pass state and events on, older events first.
    if (code !== SLOT_CODE.LOSING && st.lostTo[slot] === undefined) st.lose(slot, this.epoch, st.owners[slot] ?? "", now());
    else if (code === SLOT_CODE.GAINING) st.lose(slot, st.lostAt[slot]!, st.lostTo[slot]!, now());
    for (const env of events) st.hold(slot, env);
    this.pump();
  }

  /**
   * Fencing after this node was removed from the view (or could not renew its liveness):
   * it stops running every slot at once, keeps nothing it could write back, and returns the
   * events it held so the node can route them again after it rejoins.
   */
  fence(): Envelope[] {
    const held: Envelope[] = [];
    for (const app of this.host.apps.values()) {
      app.app.partitions.forEach((p) => {
        const st = app.tables[p.index]!;
        const host = app.hosts[p.index]!;
        for (let slot = 0; slot < p.slots; slot++) {
          held.push(...host.detachQueued(slot), ...st.takeHeld(slot));
          st.set(slot, "foreign");
        }
        st.owners = []; // route nothing anywhere until the next view: events park
        host.clear();
      });
    }
    this.epoch = 0; // the next view is applied as a fresh join
    return held;
  }

  /** Slots in transition on this node (gaining or losing). */
  inTransition(): number {
    let n = 0;
    for (const app of this.host.apps.values())
      for (const st of app.tables) {
        const c = st.counts();
        n += c.gaining + c.losing;
      }
    return n;
  }

  /** Sends every handoff that is ready and checks deadlines; reschedules itself while work remains. */
  pump = (): void => {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const t = now();
    let pending = 0;
    for (const app of this.host.apps.values()) {
      for (const p of app.app.partitions) {
        const st = app.tables[p.index]!;
        for (let slot = 0; slot < p.slots; slot++) {
          const code = st.code(slot);
          if (code === SLOT_CODE.LOSING) {
            pending++;
            if (st.sending[slot] || (this.host.mayAct && !this.host.mayAct())) continue;
            const target = this.targetOf(st, slot);
            if (!target) continue;
            const late = t - st.since[slot]! > this.host.timeoutMs;
            if (!this.allAcked(st.lostAt[slot]!) && !late) continue;
            if (!app.hosts[p.index]!.isSlotIdle(slot) && !late) continue;
            if (late) this.warnOnce(`lose:${app.name}:${p.name}:${slot}`, { slot, partition: p.name, target }, "handoff deadline passed before every member acknowledged the epoch; sending anyway");
            st.sending[slot] = 1;
            this.send(app, p.index, slot).catch((err: unknown) => {
              st.sending[slot] = 0;
              this.host.log.error({ err, slot, partition: p.name }, "handoff failed; retrying");
            });
          } else if (code === SLOT_CODE.GAINING) {
            pending++;
            const waited = t - st.since[slot]!;
            if (waited > this.host.timeoutMs * 3) {
              this.host.log.error({ slot, partition: p.name, from: st.gainFrom[slot], waitedMs: Math.round(waited) }, "handoff never arrived; going on from the store");
              if (st.owners[slot] === this.host.nodeId && st.lostTo[slot] === undefined) {
                st.set(slot, "owned");
                this.release(st, slot);
              } else st.lose(slot, st.lostAt[slot] || this.epoch, st.lostTo[slot] ?? st.owners[slot] ?? "", t);
            } else if (waited > this.host.timeoutMs) {
              this.warnOnce(`gain:${app.name}:${p.name}:${slot}`, { slot, partition: p.name, from: st.gainFrom[slot] }, "handoff is late; still waiting");
            }
          }
        }
      }
    }
    if (pending > 0) this.timer = setTimeout(this.pump, 5);
    else if (this.rebalance) {
      const r = this.rebalance;
      this.rebalance = undefined;
      this.rebalances++;
      this.lastRebalanceMs = t - r.start;
      this.host.log.info({ epoch: r.epoch, slotsGained: r.gained, slotsLost: r.lost, ms: Math.round(this.lastRebalanceMs) }, "rebalance complete");
    }
  };

  /** Stops the deadline timer. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private allAcked(epoch: number): boolean {
    for (const m of this.view.members) {
      if (m.id === this.host.nodeId) continue;
      if ((this.acks.get(m.id) ?? 0) < epoch) return false;
    }
    return true;
  }

  private async send(app: AppRuntime, partition: number, slot: number): Promise<void> {
    const st = app.tables[partition]!;
    const host = app.hosts[partition]!;
    const p = app.app.partitions[partition]!;
    let actors: Array<{ key: string; state: unknown }> = [];
    let settled: Envelope[] | undefined;
    let idle = false;
    if (this.host.mode === "memory") {
      actors = (await host.takeSlot(slot)).map(([key, state]) => ({ key, state }));
    } else {
      idle = host.isSlotIdle(slot);
      const t0 = now();
      const flushed = await host.flushDirty(slot);
      this.host.log.debug({ slot, partition: p.name, flushed, flushMs: Math.round(now() - t0), pausedMs: Math.round(now() - st.since[slot]!) }, "slot state flushed for its handoff");
    }
    // Outputs of the slot's events go out before its next owner can write later ones (per-key order at the sinks).
    // Before the held events are taken: any that arrive meanwhile are held, and go with the rest.
    await this.host.flushOutputs?.();
    if (this.host.mode !== "memory") {
      if (this.host.settle) settled = await this.host.settle(app.name, partition, slot, st.takeHeld(slot), idle);
      host.dropSlot(slot);
    }
    const held = settled ?? st.takeHeld(slot);
    const target = this.targetOf(st, slot);
    if (target === this.host.nodeId || !target) {
      host.install(slot, actors);
      st.set(slot, target ? "owned" : "losing", now());
      for (const env of held) {
        if (target) this.host.deliver(env);
        else st.hold(slot, env);
      }
      return;
    }
    this.host.router.flush();
    this.host.transport.sendControl(target, {
      type: "handoff-done",
      app: app.name,
      partition: p.name,
      slot,
      epoch: this.epoch,
      from: this.host.nodeId,
      actors,
      buffered: held,
    });
    this.sent++;
    this.host.log.debug({ slot, partition: p.name, to: target, events: held.length }, "handoff sent");
    this.host.paused(now() - st.since[slot]!);
    if (st.owners[slot] === this.host.nodeId) {
      // The slot came back to us while it was on its way to `target` (a link of the chain): it returns from there.
      st.set(slot, "gaining", now());
      st.gainFrom[slot] = target;
      st.gainSeq[slot] = this.view.members.find((m) => m.id === target)?.joinedSeq ?? -1;
    } else st.set(slot, "foreign");
  }

  // The next link of the chain: the owner in the epoch we lost the slot, while it is still a member.
  private targetOf(st: SlotTable, slot: number): string | undefined {
    const to = st.lostTo[slot];
    if (to && this.view.members.some((m) => m.id === to)) return to;
    return st.owners[slot] || undefined;
  }

  private release(st: SlotTable, slot: number): void {
    for (const env of st.takeHeld(slot)) this.host.deliver(env);
  }

  private warnOnce(id: string, fields: Record<string, unknown>, msg: string): void {
    if (this.warned.has(id)) return;
    this.warned.add(id);
    this.host.log.warn(fields, msg);
  }
}

// Over 300 lines: one concept, the owner side of durable mode (which slots are read, from where, and
// their checkpoints); its operations share one reader state per app. Trimming the streams is StreamTrim's.
import type { Envelope } from "../types.js";
import { DEFAULT_TRIM_INTERVAL_MS } from "../defaults.js";
import type { Logger } from "../logger.js";
import { StreamTrim } from "./stream-trim.js";
import { OFFSET_SCALE, type EventBatchView, type EventLog, type StreamReader } from "../state/event-log.js";
import type { AppRuntime } from "./app-runtime.js";
import { SLOT_CODE } from "../rebalance/slot-table.js";

/** What durable slots need from their node. */
export interface DurableHost {
  readonly nodeId: string;
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly eventLog: EventLog;
  epoch(): number;
  /** True when this node should trim the streams (one member does). */
  trims(): boolean;
  /** Writes the sinks' buffered outputs out; false when it could not (a checkpoint must not pass unwritten outputs). */
  flushOutputs(): Promise<boolean>;
  /** False while the node may not act (its lease ran out): no checkpoint is written. */
  mayAct(): boolean;
  /** False while events may not be delivered (the node may not act, or its sinks are full): the readers stop and read on later. */
  mayDeliver(): boolean;
}

interface SlotEntry {
  /** Offset of the last event handed to the slot's actors (or the checkpoint it started from). */
  delivered: number;
  /** The checkpoint as last read or written. */
  checkpoint: number;
  /** Checkpoint read; events may be delivered. */
  ready: boolean;
  /** The reader started at or before the checkpoint since: every later event of the slot reaches it. */
  live: boolean;
  /** The first event of the slot the reader passed over or an actor gave back (while not owned), if any. */
  skipped: number;
}

interface AppReader {
  readonly app: AppRuntime;
  reader: StreamReader | undefined;
  /** Reader generation: batches of a closed reader are ignored. */
  gen: number;
  /** Sequence the current reader started at, and the last it delivered. */
  from: number;
  position: number;
  /** Per partition, per slot. */
  readonly slots: Array<Map<number, SlotEntry>>;
  /** Slots whose checkpoints are being read. */
  loading: number;
  failedAt: number;
  /** Stopped because the node could not take events (its lease ran out, or its sinks were full). */
  stopped: boolean;
}

const RETRY_MS = 1_000;

/**
 * Durable mode on the owner side. Every node reads each app's event stream with one reader and
 * runs the events of the slots it owns; a slot it gains starts after the slot's checkpoint (the
 * reader restarts from the oldest such checkpoint, and slots already served skip what they had).
 * Actors skip events their stored state already reflects. Checkpoints advance after write-behind
 * and on handoff; one member trims each stream below the oldest checkpoint.
 */
export class DurableSlots {
  private readonly readers = new Map<string, AppReader>();
  private timer: NodeJS.Timeout | undefined;
  private readonly trimmer: StreamTrim;
  private poked = false;
  // Per slot handed over to this node: the offset its old owner had delivered up to (see handedOver).
  private readonly handed = new Map<string, number>();

  constructor(
    private readonly host: DurableHost,
    trimEvery = DEFAULT_TRIM_INTERVAL_MS,
  ) {
    this.trimmer = new StreamTrim(host, trimEvery);
    for (const app of host.apps.values()) {
      this.readers.set(app.name, { app, reader: undefined, gen: 0, from: 0, position: 0, slots: app.app.partitions.map(() => new Map()), loading: 0, failedAt: 0, stopped: false });
    }
  }

  /**
   * Starts following ownership. `reconcile` runs when told (a view, a slot changing code, a handoff,
   * the node taking events in again); the timer, every RETRY_MS, retries what failed (a checkpoint
   * read, a reader) and is the backstop.
   */
  start(): void {
    this.timer = setInterval(() => this.reconcile(), RETRY_MS);
    this.timer.unref();
    this.reconcile();
  }

  /** Something ownership depends on changed: reconciles once this turn of the event loop is done (coalesced). */
  poke(): void {
    if (this.poked) return;
    this.poked = true;
    setImmediate(() => {
      this.poked = false;
      this.reconcile();
    });
  }

  /** Slots read now (checkpoint loaded). */
  reading(): number {
    let n = 0;
    for (const r of this.readers.values()) for (const m of r.slots) for (const e of m.values()) if (e.ready) n++;
    return n;
  }

  /**
   * How far the readers have come: the lowest stream sequence an app's reader has delivered up to
   * (Infinity when no app has owned slots here), and how many apps' readers are not yet reading for
   * every owned slot (checkpoints loading, a reader stopped or failed, slots not yet live). A node is
   * caught up when `starting` is 0 and `position` is at its streams' last sequence.
   */
  progress(): { position: number; starting: number } {
    let position = Infinity;
    let starting = 0;
    for (const r of this.readers.values()) {
      let owned = false;
      let notLive = false;
      for (const m of r.slots) {
        for (const e of m.values()) {
          owned = true;
          if (!e.ready || !e.live) notLive = true;
        }
      }
      if (!owned) continue;
      if (notLive || r.loading > 0 || !r.reader) starting++;
      position = Math.min(position, r.position);
    }
    return { position, starting };
  }

  /** Tracks every owned slot, forgets the others, and (re)starts readers that must go back for newly gained slots. */
  reconcile(): void {
    if (!this.host.mayDeliver()) return;
    for (const r of this.readers.values()) {
      if (r.stopped) {
        // Stopped while the node could not take events: read on from where each slot was.
        r.stopped = false;
        if (r.loading === 0) this.restart(r);
      }
      let gained = 0;
      let restart = false;
      for (const p of r.app.app.partitions) {
        const st = r.app.tables[p.index]!;
        const slots = r.slots[p.index]!;
        for (let slot = 0; slot < p.slots; slot++) {
          const code = st.code(slot);
          const e = slots.get(slot);
          if (code === SLOT_CODE.OWNED) {
            if (!e) {
              slots.set(slot, this.load(r, p.index, slot));
              gained++;
            } else if (e.skipped && e.ready) {
              // Owned again after events went by unrun: go back for them.
              e.delivered = Math.min(e.delivered, e.skipped - 1);
              e.skipped = 0;
              e.live = false;
              gained++;
              restart = true;
            }
          } else if (code === SLOT_CODE.FOREIGN && e) slots.delete(slot);
          // A losing slot keeps its entry: its handoff checkpoints from what was delivered.
        }
      }
      if (restart && r.loading === 0) this.restart(r);
      else if (gained === 0 && r.loading === 0 && !r.reader && r.failedAt && Date.now() - r.failedAt > RETRY_MS) this.restart(r);
    }
  }

  /**
   * Where a checkpoint of `slot` taken now would stand: every event of the slot the reader has
   * delivered so far (taken before a flush of the slot's idle actors; -1 when the slot is not read here).
   */
  mark(app: string, partition: number, slot: number): number {
    const r = this.readers.get(app);
    const e = r?.slots[partition]?.get(slot);
    if (!r || !e || !e.live) return -1;
    const upTo = Math.max(e.delivered, r.position * OFFSET_SCALE + (OFFSET_SCALE - 1));
    return e.skipped ? Math.min(upTo, e.skipped - 1) : upTo;
  }

  /**
   * Write-behind flushed a slot whose actors were idle when `mark` was taken: every event of
   * the slot up to the mark is in the store. (Not the slot's position now: events delivered
   * during the flush may not be in the states it wrote.)
   */
  async checkpoint(app: string, partition: number, slot: number, mark: number): Promise<void> {
    const r = this.readers.get(app);
    const e = r?.slots[partition]?.get(slot);
    if (!r || !e || !e.live || mark < 0) return;
    const upTo = e.skipped ? Math.min(mark, e.skipped - 1) : mark;
    if (upTo <= e.checkpoint || !this.host.mayAct()) return;
    await this.host.eventLog.saveCheckpoint({ app, partition, slot }, upTo, this.host.epoch(), this.host.nodeId);
    e.checkpoint = upTo;
  }

  /** An event of the stream was taken back from the actors without running (a handoff or fence held it). */
  skipped(env: Envelope): void {
    const stage = this.host.apps.get(env.app)?.app.stages[env.stage];
    if (!stage || stage.kind !== "state") return;
    const e = this.readers.get(env.app)?.slots[stage.partition.index]?.get(env.slot);
    if (e && (!e.skipped || env.offset < e.skipped)) e.skipped = env.offset;
  }

  /**
   * A slot leaves this node: the offset below the first event delivered but not applied (`held`), up
   * to which every event of the slot is in the states it leaves (stored, or `travelling` with the
   * handoff); 0 when that is not known (the slot was not idle, or not read live). With nothing
   * travelling it is also the slot's checkpoint. The next owner reads the held events from the stream.
   */
  async handoff(app: string, partition: number, slot: number, held: readonly Envelope[], idle: boolean, travelling: boolean): Promise<number> {
    const r = this.readers.get(app);
    const e = r?.slots[partition]?.get(slot);
    // The slot leaves: should it come back, it starts afresh from its checkpoint (the held events were not run here).
    if (e) r!.slots[partition]!.delete(slot);
    if (!r || !e || !e.live || !idle) return 0;
    let upTo = Math.max(e.delivered, r.position * OFFSET_SCALE + (OFFSET_SCALE - 1));
    for (const env of held) if (env.offset > 0 && env.offset - 1 < upTo) upTo = env.offset - 1;
    if (e.skipped) upTo = Math.min(upTo, e.skipped - 1);
    // A checkpoint past states not stored yet could lose them if the next owner failed before storing them.
    if (!travelling && upTo > e.checkpoint && this.host.mayAct() && (await this.host.flushOutputs())) {
      await this.host.eventLog.saveCheckpoint({ app, partition, slot }, upTo, this.host.epoch(), this.host.nodeId);
      e.checkpoint = upTo;
    }
    return upTo;
  }

  /**
   * A handoff said every event of the slot up to `offset` is in the states it handed over (or stored):
   * this node delivers the slot's events after it, not after its (older) checkpoint, so a join does not
   * rewind the reader. The checkpoint stays where it is: after a crash, the next owner replays from it.
   */
  handedOver(app: string, partition: number, slot: number, offset: number): void {
    if (offset > 0) this.handed.set(`${app}\u0000${partition}\u0000${slot}`, offset);
  }

  /** Trims each stream below the oldest slot checkpoint (see StreamTrim). */
  trim(): Promise<void> {
    return this.trimmer.trim();
  }

  // Stops an app's reader while the node cannot take events (bounded memory): every slot reads on
  // from the last event delivered to it when `reconcile` finds the node able again.
  private stop(r: AppReader): void {
    r.reader?.close();
    r.reader = undefined;
    r.gen++;
    r.stopped = true;
    for (const m of r.slots) for (const e of m.values()) e.live = false;
  }

  /** Closes every reader. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const r of this.readers.values()) {
      r.reader?.close();
      r.reader = undefined;
      r.gen++;
    }
  }

  private load(r: AppReader, partition: number, slot: number): SlotEntry {
    const e: SlotEntry = { delivered: 0, checkpoint: 0, ready: false, live: false, skipped: 0 };
    const key = `${r.app.name}\u0000${partition}\u0000${slot}`;
    const handed = this.handed.get(key) ?? 0;
    this.handed.delete(key);
    r.loading++;
    const done = () => {
      r.loading--;
      if (r.loading === 0) this.restart(r);
    };
    this.host.eventLog.checkpoint({ app: r.app.name, partition, slot }).then(
      (cp) => {
        e.checkpoint = cp;
        e.delivered = Math.max(cp, handed);
        e.ready = true;
        done();
      },
      (err: unknown) => {
        this.host.log.error({ err, app: r.app.name, partition, slot }, "cannot read a slot checkpoint; retrying");
        r.slots[partition]!.delete(slot); // the next reconcile loads it again
        if (handed) this.handed.set(key, handed);
        done();
      },
    );
    return e;
  }

  // (Re)starts the app's reader where the slots that are not live yet need it: at the stream message
  // of the first event they have not had. A reader already before that place just goes on.
  private restart(r: AppReader): void {
    let need = Infinity;
    for (const m of r.slots) for (const e of m.values()) if (e.ready && !e.live) need = Math.min(need, Math.floor(e.delivered / OFFSET_SCALE) || 1);
    if (need === Infinity) return;
    const markLive = () => {
      for (const m of r.slots) for (const e of m.values()) if (e.ready) e.live = true;
    };
    if (r.reader && need > r.position) {
      markLive();
      return;
    }
    r.reader?.close();
    const gen = ++r.gen;
    r.from = need;
    r.position = need - 1;
    r.failedAt = 0;
    markLive();
    r.reader = this.host.eventLog.read(
      r.app.name,
      need,
      (seq, batch) => {
        if (gen !== r.gen) return;
        r.position = seq;
        this.deliver(r, seq, batch);
      },
      (err) => {
        if (gen !== r.gen) return;
        r.reader = undefined;
        r.failedAt = Date.now();
        // Every slot goes back to where it was: the next reader starts there.
        for (const m of r.slots) for (const e of m.values()) e.live = false;
        this.host.log.error({ err, app: r.app.name }, "cannot read the event stream; retrying");
      },
    );
  }

  private deliver(r: AppReader, seq: number, batch: EventBatchView): void {
    const app = r.app;
    const base = seq * OFFSET_SCALE;
    if (!this.host.mayDeliver()) {
      this.stop(r);
      return;
    }
    const { stages, slots } = batch;
    for (let i = 0; i < stages.length; i++) {
      const stage = app.app.stages[stages[i]!];
      if (!stage || stage.kind !== "state") continue;
      const partition = stage.partition.index;
      const slot = slots[i]!;
      const e = r.slots[partition]?.get(slot);
      if (!e || !e.live) continue;
      const offset = base + i;
      if (app.tables[partition]!.code(slot) !== SLOT_CODE.OWNED) {
        if (offset > e.delivered && !e.skipped) e.skipped = offset;
        continue;
      }
      if (e.skipped) continue; // owned again: the reader goes back for what it passed over first
      if (offset <= e.delivered) continue; // before the slot's checkpoint, or already delivered before a restart
      let env: Envelope;
      try {
        env = batch.event(i);
      } catch (err) {
        e.delivered = offset;
        this.host.log.error({ err, seq, index: i }, "malformed event in the event stream; skipped");
        continue;
      }
      e.delivered = offset;
      env.offset = offset;
      app.deliverOwned(env, partition);
    }
  }
}

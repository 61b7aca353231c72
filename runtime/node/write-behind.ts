import type { Logger } from "../logger.js";
import type { DeadLetters } from "../observability/dead-letters.js";
import type { AppRuntime } from "./app-runtime.js";
import type { DurableSlots } from "./durable-slots.js";
import { SLOT_CODE } from "../rebalance/slot-table.js";

/** What write-behind needs from its node. */
export interface WriteBehindHost {
  readonly log: Logger;
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly deadLetters: DeadLetters;
  /** Durable mode: checkpoints and trims. */
  readonly durable: DurableSlots | undefined;
  /** The node's epoch (0 before it joined). */
  epoch(): number;
  /** False while the node may not act (its lease ran out): nothing is written then. */
  mayAct(): boolean;
  /** Writes the sinks' buffered outputs out; false when it could not. */
  flushOutputs(): Promise<boolean>;
}

/**
 * Write-behind (snapshot and durable modes): every interval, the state of every dirty actor of the
 * slots this node owns goes to the store; in durable mode each slot whose actors were idle as its
 * flush began gets a checkpoint, after the outputs of the events below it reached the sinks.
 */
export class WriteBehind {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Actor states written so far. */
  writes = 0;

  constructor(private readonly host: WriteBehindHost) {}

  /** Writes behind every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.round(), intervalMs);
    this.timer.unref();
  }

  /** Stops the interval. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Waits for a round in flight, then runs one (the last node out stores everything it has). */
  async now(): Promise<number> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
    return this.round();
  }

  /** One round; a round already running or a node that may not act makes it a no-op (0). */
  async round(): Promise<number> {
    const { host } = this;
    if (this.running || host.epoch() === 0 || !host.mayAct()) return 0;
    this.running = true;
    let n = 0;
    let failedSlots = 0;
    const checkpoints: Array<{ app: string; partition: number; slot: number; mark: number }> = [];
    try {
      for (const app of host.apps.values()) {
        for (let i = 0; i < app.hosts.length; i++) {
          const actors = app.hosts[i]!;
          const st = app.tables[i]!;
          // Only slots this node still owns: a losing slot's state is written by its handoff.
          // A slot whose writes fail is counted and left dirty for the next round; the others go on.
          const slots = host.durable ? Array.from({ length: st.slots }, (_, s) => s) : [...actors.dirtySlots()];
          for (const slot of slots) {
            if (st.code(slot) !== SLOT_CODE.OWNED) continue;
            // Idle as the flush begins: every event delivered so far is in the states it writes.
            const idle = host.durable ? actors.isSlotIdle(slot) : false;
            const mark = host.durable ? host.durable.mark(app.name, i, slot) : -1;
            try {
              n += await actors.flushDirty(slot);
              if (idle) checkpoints.push({ app: app.name, partition: i, slot, mark });
            } catch {
              failedSlots++;
            }
          }
        }
      }
      if (failedSlots > 0) host.log.warn({ failedSlots }, "write-behind could not store some slots' states; they stay dirty and are written next round");
      // A checkpoint also stands for the outputs of the events below it: they reach the sinks first.
      const durable = host.durable;
      if (durable && checkpoints.length && (await host.flushOutputs())) {
        await Promise.all(checkpoints.map((c) => (host.apps.get(c.app)!.tables[c.partition]!.code(c.slot) === SLOT_CODE.OWNED ? durable.checkpoint(c.app, c.partition, c.slot, c.mark) : undefined)));
      }
      await durable?.trim();
    } catch (err) {
      host.deadLetters.record("store_error", "*", "write-behind", err);
    } finally {
      this.running = false;
    }
    this.writes += n;
    return n;
  }
}

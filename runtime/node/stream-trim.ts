import { DEFAULT_TRIM_INTERVAL_MS } from "../defaults.js";
import { OFFSET_SCALE } from "../state/event-log.js";
import type { EventLog } from "../state/event-log.js";
import type { AppRuntime } from "./app-runtime.js";

/** What trimming needs from its node. */
export interface StreamTrimHost {
  readonly apps: ReadonlyMap<string, AppRuntime>;
  readonly eventLog: EventLog;
  /** True when this node should trim the streams (one member does). */
  trims(): boolean;
}

/**
 * Durable mode: trims each app's event stream below the oldest slot checkpoint, at most every
 * `trimEvery` ms and only on the member chosen to trim (`host.trims()`). A stream with a slot that was
 * never checkpointed is kept whole: every event in it may still be needed.
 */
export class StreamTrim {
  private lastTrim = Date.now();

  constructor(
    private readonly host: StreamTrimHost,
    private readonly trimEvery = DEFAULT_TRIM_INTERVAL_MS,
  ) {}

  /** Trims every app's stream if this node trims and the interval has passed. */
  async trim(): Promise<void> {
    if (!this.host.trims() || Date.now() - this.lastTrim < this.trimEvery) return;
    this.lastTrim = Date.now();
    for (const app of this.host.apps.values()) {
      const cps = await this.host.eventLog.checkpoints(app.name);
      let min = Infinity;
      for (const p of app.app.partitions) {
        for (let slot = 0; slot < p.slots; slot++) {
          const cp = cps.get(`${p.index}.${slot}`);
          if (cp === undefined) return; // a slot never checkpointed: everything may still be needed
          if (cp < min) min = cp;
        }
      }
      const keepFrom = Math.floor(min / OFFSET_SCALE);
      if (keepFrom > 1) await this.host.eventLog.trim(app.name, keepFrom);
    }
  }
}

/** The JetStream event log's counters (plain numbers, read by metrics and /cluster; a type, not an interface, so that it is a `Record`). */
export type EventLogStats = {
  /** Events stored, and the batches that stored them. */
  appended: number;
  batches: number;
  /** Acknowledged clients' frames found stored already (by an earlier connection) and not stored again. */
  alreadyStored: number;
  /** Batches published again because their answer was late (same condition: stored at most once). */
  readonly republished: number;
  appendFailed: number;
  batchesRead: number;
  eventsRead: number;
  malformed: number;
  checkpoints: number;
  trims: number;
  trimmed: number;
  /** Events refused because even alone they are over the max payload (each one a `too_large` dead letter). */
  tooLarge: number;
  /** Batches nats.js refused as over the max payload (their events went out again in smaller batches). */
  oversizedBatches: number;
};

/** Counters for a new event log; `republished` reads the publisher's count. */
export function newEventLogStats(republished: () => number): EventLogStats {
  return {
    appended: 0,
    batches: 0,
    alreadyStored: 0,
    get republished() {
      return republished();
    },
    appendFailed: 0,
    batchesRead: 0,
    eventsRead: 0,
    malformed: 0,
    checkpoints: 0,
    trims: 0,
    trimmed: 0,
    tooLarge: 0,
    oversizedBatches: 0,
  };
}

/** Events appended and not yet stored, over every producer (the sources pause on it). */
export interface Backlog {
  events: number;
  bytes: number;
}

/** The last batch stored on a producer's subject: where the producer goes on from. */
export interface LastBatch {
  readonly seq: number;
  readonly clientLastSeq: number;
  readonly batchId: number;
  readonly count: number;
}

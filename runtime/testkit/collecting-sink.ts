import type { SinkWriter } from "../io/sink-writer.js";

/** A sink that keeps every output frame in memory, in the order written (the test cluster's sinks). */
export class CollectingSink implements SinkWriter {
  readonly frames: Uint8Array[] = [];
  readonly stats = { framesOut: 0, dropped: 0 };

  constructor(
    readonly name: string,
    private readonly maxFrames = 1_000_000,
  ) {}

  start(): void {}

  write(payload: Uint8Array): void {
    // Bounded: a test that floods a sink counts what it could not keep rather than exhausting memory.
    if (this.frames.length >= this.maxFrames) {
      this.stats.dropped++;
      return;
    }
    this.stats.framesOut++;
    // The caller may reuse its buffer: keep a copy.
    this.frames.push(Uint8Array.from(payload));
  }

  isHigh(): boolean {
    return false;
  }

  async flush(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}

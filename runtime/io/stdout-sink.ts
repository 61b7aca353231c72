import type { SinkWriter } from "./sink-writer.js";

/** A sink that prints one line per output (for demos). */
export class StdoutSink implements SinkWriter {
  readonly name: string;
  readonly stats = { framesOut: 0, dropped: 0 };
  private readonly format: (payload: Uint8Array) => string;

  constructor(options: { name: string; format?: (payload: Uint8Array) => string }) {
    this.name = options.name;
    this.format = options.format ?? ((p) => Buffer.from(p).toString("base64"));
  }

  start(): void {}

  write(payload: Uint8Array): void {
    this.stats.framesOut++;
    process.stdout.write(`${this.name}: ${this.format(payload)}\n`);
  }

  isHigh(): boolean {
    return process.stdout.writableLength > 1024 * 1024;
  }

  async flush(timeoutMs: number): Promise<boolean> {
    if (process.stdout.writableLength === 0) return true;
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      process.stdout.write("", () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    await this.flush(1000);
  }
}

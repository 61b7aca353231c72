import { ConfigError } from "../errors.js";
import type { Backpressure } from "../io/backpressure.js";
import type { SinkWriter } from "../io/sink-writer.js";
import { outputFormatter } from "../io/output-format.js";
import { StdoutSink } from "../io/stdout-sink.js";
import { TcpSink } from "../io/tcp-sink.js";
import type { Logger } from "../logger.js";
import type { AppRuntime } from "./app-runtime.js";
import type { SinkTarget } from "./node-options.js";

/**
 * The node's sinks, one writer per sink name its apps use: TCP, stdout, or a writer the embedder
 * gives. Each takes part in backpressure (sources pause while one is over its high-water mark).
 */
export class SinkSet {
  readonly writers = new Map<string, SinkWriter>();

  constructor(
    apps: ReadonlyMap<string, AppRuntime>,
    targets: Readonly<Record<string, SinkTarget>>,
    log: Logger,
    backpressure: Backpressure,
  ) {
    for (const app of apps.values()) {
      for (const name of app.app.sinks.keys()) {
        if (this.writers.has(name)) continue;
        const t = targets[name];
        if (!t) throw new ConfigError(`app "${app.name}" writes to sink "${name}" but no target was given: pass --sink ${name}=HOST:PORT (or ${name}=stdout:text)`);
        let writer: SinkWriter;
        if ("write" in t) writer = t;
        else if ("kind" in t) writer = new StdoutSink({ name, format: outputFormatter(t.format ?? "base64", app.app.sinks.get(name)?.decode) });
        else writer = new TcpSink({ name, host: t.host, port: t.port, logger: log, backpressure });
        backpressure.addProbe(() => writer.isHigh());
        this.writers.set(name, writer);
      }
    }
  }

  /** Starts every writer (connecting; a sink that is down is retried, not an error). */
  async start(): Promise<void> {
    for (const w of this.writers.values()) await w.start();
  }

  /** Writes one output frame; true when the sink is over its high-water mark after it. */
  write(sink: string, payload: Uint8Array): boolean {
    const w = this.writers.get(sink)!;
    w.write(payload);
    return w.isHigh();
  }

  /** True while any sink is over its high-water mark. */
  anyHigh(): boolean {
    for (const w of this.writers.values()) if (w.isHigh()) return true;
    return false;
  }

  /** Writes every sink's buffered outputs to its connection; false when one could not in time (disconnected). */
  async flush(timeoutMs = 2_000): Promise<boolean> {
    const done = await Promise.all([...this.writers.values()].map((s) => s.flush(timeoutMs)));
    return done.every(Boolean);
  }

  /** Flushes briefly and closes every writer. */
  async close(): Promise<void> {
    await Promise.all([...this.writers.values()].map((s) => s.close().catch(() => undefined)));
  }
}

/** Something outputs are written to: a TCP sink, stdout, or your own. */
export interface SinkWriter {
  readonly name: string;
  /** Begins connecting; does not fail when the far side is down (it retries). */
  start(): Promise<void> | void;
  /** Writes one output frame (buffered, never blocking). */
  write(payload: Uint8Array): void;
  /** True while buffered output is over the high-water mark (sources pause). */
  isHigh(): boolean;
  /** Output bytes held (its socket's buffer included), for metrics (optional). */
  bufferedBytes?(): number;
  /** Resolves true once every output written before the call was handed to the OS (later ones need not be), false after `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Flushes briefly and closes. */
  close(): Promise<void>;
  readonly stats: { framesOut: number; dropped: number };
}

import type { KvWatchEntry } from "@nats-io/kv";
import type { Logger } from "../logger.js";

// Between two tries to open a watch again (NATS away).
const REOPEN_MS = 500;

/**
 * Hands every entry of a KV watch to `handle`, and opens the watch again whenever it ends (its
 * consumer lost across a reconnect): a node that stopped hearing of changes would act on a stale
 * picture. Resolves once the first watch is open, with the function that stops it for good.
 */
export async function watchForever(what: string, open: () => Promise<AsyncIterable<KvWatchEntry> & { stop(): void }>, log: Logger, handle: (e: KvWatchEntry) => void): Promise<() => void> {
  let it = await open();
  let stopped = false;
  void (async () => {
    while (!stopped) {
      try {
        for await (const e of it) handle(e);
      } catch (err) {
        log.warn({ err: (err as Error).message, watch: what }, "membership watch failed");
      }
      if (stopped) return;
      log.warn({ watch: what }, "membership watch ended; opening it again");
      for (;;) {
        try {
          it = await open();
          if (stopped) it.stop();
          break;
        } catch {
          if (stopped) return;
          await new Promise((r) => setTimeout(r, REOPEN_MS));
        }
      }
    }
  })();
  return () => {
    stopped = true;
    it.stop();
  };
}

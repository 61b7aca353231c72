import type { JetStreamManager, StreamConfig } from "@nats-io/jetstream";
import { isApiError, STREAM_NAME_IN_USE } from "./jetstream-codes.js";

/** Creates a JetStream stream unless it exists (another node may create it at the same moment). */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const exists = await jsm.streams.info(config.name).then(
    () => true,
    () => false,
  );
  if (exists) return;
  await jsm.streams.add(config).catch((err: unknown) => {
    // Created first by another node (the same configuration is no error at all).
    if (!isApiError(err, STREAM_NAME_IN_USE)) throw err;
  });
}

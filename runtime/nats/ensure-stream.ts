import type { JetStreamManager, StreamConfig } from "@nats-io/jetstream";

/** Creates a JetStream stream unless it exists (another node may create it at the same moment). */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const exists = await jsm.streams.info(config.name).then(
    () => true,
    () => false,
  );
  if (exists) return;
  await jsm.streams.add(config).catch((err: unknown) => {
    if (!/already in use/i.test((err as Error).message)) throw err;
  });
}

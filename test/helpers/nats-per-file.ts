import { afterAll, beforeAll } from "vitest";
import { startNatsServer, type NatsServer } from "./nats-server.js";

/** One real nats-server for the whole test file (started before its tests, stopped after); call the result for it. */
export function natsServerPerFile(): () => NatsServer {
  let nats: NatsServer | undefined;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats?.stop();
  });
  return () => {
    if (!nats) throw new Error("the nats-server of this file is not started yet (use it inside a test)");
    return nats;
  };
}

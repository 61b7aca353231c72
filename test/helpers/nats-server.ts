// Tests use the testing kit that ships with the runtime (also used by the benchmarks).
export { startNatsServer, natsServerVersion, type NatsServer } from "../../runtime/testing/nats-server.js";

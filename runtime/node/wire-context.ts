import type { Application, StateStageDef } from "../builder/application.js";
import { ConfigError } from "../errors.js";
import type { WireContext } from "../transport/transport.js";
import type { AppRuntime } from "./app-runtime.js";
import { envelopePayload } from "./envelope-payload.js";

/** How a node turns envelopes and actor states into bytes, with the codecs of the apps it runs. */
export function wireContext(nodeId: string, apps: ReadonlyMap<string, AppRuntime>): WireContext {
  const partitionOf = (app: string, partition: string): Application["partitions"][number] => {
    const p = apps.get(app)?.app.partitions.find((x) => x.name === partition);
    if (!p) throw new ConfigError(`app "${app}" has no state partition "${partition}" on node ${nodeId}`);
    return p;
  };
  return {
    payloadOf: (env) => {
      const payload = envelopePayload(env);
      if (payload) return payload;
      const stage = apps.get(env.app)!.app.stages[env.stage] as StateStageDef;
      if (stage.input === "frame") throw new Error(`envelope for ${env.app} stage ${stage.name} lost its frame`);
      return (env.payload = stage.input.encode(env.value));
    },
    encodeState: (app, partition, state) => partitionOf(app, partition).state.codec.encode(state),
    decodeState: (app, partition, bytes) => partitionOf(app, partition).state.codec.decode(bytes),
  };
}

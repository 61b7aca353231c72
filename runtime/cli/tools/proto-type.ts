import protobuf from "protobufjs";
import { ConfigError } from "../../errors.js";

/** A protobuf message type loaded from a `.proto` file: JSON objects to frames and back. */
export interface ProtoType {
  encode(record: unknown): Uint8Array;
  decode(payload: Uint8Array): unknown;
}

/** Loads `--type` from `--proto` (the app's wire format), or fails naming what to pass. */
export function loadProtoType(file: string, typeName: string | undefined): ProtoType {
  if (!typeName) throw new ConfigError("--proto needs --type: the message type, with its package (e.g. loyalty.Click)");
  let type: protobuf.Type;
  try {
    type = protobuf.loadSync(file).lookupType(typeName);
  } catch (err) {
    throw new ConfigError(`--proto ${file} --type ${typeName}: ${(err as Error).message}`, { cause: err });
  }
  return {
    encode: (record) => {
      if (record === null || typeof record !== "object" || Array.isArray(record)) throw new ConfigError(`not a ${typeName}: a JSON object is needed`);
      // fromObject converts as protobuf's JSON mapping does (an int64 may be a string); verify checks the result.
      const message = type.fromObject(record as Record<string, unknown>);
      const problem = type.verify(message);
      if (problem) throw new ConfigError(`not a ${typeName}: ${problem}`);
      return type.encode(message).finish();
    },
    // Longs as strings: JSON has no 64-bit integers.
    decode: (payload) => type.toObject(type.decode(payload), { longs: String, defaults: true }),
  };
}

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

// int64 fields decode as plain numbers (safe up to 2^53), not Long objects: cheaper on the hot path.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

/** The repository's `proto/` folder, found from this file whether it runs from source or from dist/. */
export const PROTO_DIR = findProtoDir();

function findProtoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "proto", "runtime.proto"))) return join(dir, "proto");
    dir = dirname(dir);
  }
  throw new Error("cannot find proto/runtime.proto above " + fileURLToPath(import.meta.url) + "; is the package installed whole?");
}

/** Loads a `.proto` file from `proto/` (synchronously, once per file). */
export function loadProto(file: string): protobuf.Root {
  let root = cache.get(file);
  if (!root) {
    root = protobuf.loadSync(join(PROTO_DIR, file));
    cache.set(file, root);
  }
  return root;
}
const cache = new Map<string, protobuf.Root>();

/** A typed encoder/decoder pair over one protobuf message type. */
export interface MessageCodec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** Builds a typed codec for `package.Message` in a `.proto` file under `proto/`. */
export function messageCodec<T>(file: string, typeName: string): MessageCodec<T> {
  const type = loadProto(file).lookupType(typeName);
  return {
    encode: (value: T) => type.encode(value as unknown as protobuf.Message).finish(),
    decode: (bytes: Uint8Array) => type.decode(bytes) as unknown as T,
  };
}

import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import type { MessageCodec } from "./static-codec.js";

// Runtime reflection over .proto files, for apps that bring their own .proto and do not generate code.
// Troupe's own messages use the static code generated from proto/ (./generated/, `npm run proto`).

export type { MessageCodec } from "./static-codec.js";

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

/** Loads a `.proto` file (a path under `proto/`, or an absolute path), synchronously, once per file. */
export function loadProto(file: string): protobuf.Root {
  const path = resolve(PROTO_DIR, file);
  let root = cache.get(path);
  if (!root) {
    root = protobuf.loadSync(path);
    cache.set(path, root);
  }
  return root;
}
const cache = new Map<string, protobuf.Root>();

// Decoded as a plain object with every field present (proto3 defaults, empty repeated and map fields,
// null for an absent message), 64-bit integers as numbers (exact up to 2^53), the oneof's case named.
const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, defaults: true, oneofs: true };

/**
 * Builds a typed codec for `package.Message` in a `.proto` file loaded at runtime by reflection.
 * `file` is a path under Troupe's `proto/`, or an absolute path to your own, e.g.
 * `messageCodec<Order>(fileURLToPath(new URL("./orders.proto", import.meta.url)), "shop.Order")`.
 * Decoding gives a plain object with every field set (defaults: "", 0, false, empty; null for an
 * absent message field) and 64-bit integers as numbers; no process-wide protobufjs setting changes.
 */
export function messageCodec<T>(file: string, typeName: string): MessageCodec<T> {
  const type = loadProto(file).lookupType(typeName);
  return {
    encode: (value: T) => type.encode(value as unknown as protobuf.Message).finish(),
    decode: (bytes: Uint8Array) => type.toObject(type.decode(bytes), TO_OBJECT) as T,
  };
}

import { describe, expect, it } from "vitest";
import protobuf from "protobufjs";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { FastWriter } from "../../../runtime/wire/fast-writer.js";
import { staticCodec } from "../../../runtime/wire/static-codec.js";
import { troupe } from "../../../runtime/wire/generated/runtime.js";
import { loyalty } from "../../../runtime/wire/generated/loyalty.js";
import { sequencer } from "../../../runtime/wire/generated/sequencer.js";

// The generated static code writes through FastWriter (staticProtobuf.Writer); protobufjs's own
// writer is the reference: every message type of every proto/*.proto, with random values, must come
// out byte for byte the same both ways.

const protoDir = join(import.meta.dirname, "../../../proto");
const generated: Record<string, Record<string, { encode(m: unknown, w?: unknown): { finish(): Uint8Array } }>> = { troupe, loyalty, sequencer } as never;

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const strings = ["", "a", "customer-1234", "ü-umlaut", "日本語キー", "emoji-😀-key", "x".repeat(42), "é".repeat(42), "y".repeat(43), "z".repeat(127), "w".repeat(128), "v".repeat(300), "日".repeat(50), "q".repeat(20_000)];
const uints = [0, 1, 127, 128, 255, 16_383, 16_384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1];
const longs = [0, 1, 127, 128, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 49, Number.MAX_SAFE_INTEGER, 1_700_000_000_123];
const doubles = [0, -0, 1.5, -2.25, 1_700_000_000_123.5, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN];

function scalar(type: string): unknown {
  switch (type) {
    case "string":
      return pick(strings);
    case "bytes":
      return Uint8Array.from({ length: pick([0, 1, 5, 127, 128, 300]) }, () => Math.floor(rand() * 256));
    case "bool":
      return rand() < 0.5;
    case "uint32":
    case "fixed32":
      return pick(uints);
    case "int32":
    case "sint32":
    case "sfixed32":
      return pick(uints) * (rand() < 0.5 ? -1 : 1) | 0;
    case "uint64":
    case "fixed64":
      return pick(longs);
    case "int64":
    case "sint64":
    case "sfixed64":
      return pick(longs) * (rand() < 0.3 ? -1 : 1);
    case "double":
    case "float":
      return pick(doubles);
    default:
      throw new Error(`no sample for ${type}`);
  }
}

function sample(type: protobuf.Type, depth = 0): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  const oneofFields = new Set(type.oneofsArray.flatMap((o) => o.fieldsArray.map((f) => f.name)));
  for (const o of type.oneofsArray) {
    const f = pick(o.fieldsArray);
    m[f.name] = value(f, depth);
  }
  for (const f of type.fieldsArray) {
    if (oneofFields.has(f.name) || rand() < 0.15) continue;
    if (f.map) {
      const map: Record<string, unknown> = {};
      for (let i = 0; i < 3; i++) map[String(i)] = value(f, depth);
      m[f.name] = map;
    } else if (f.repeated) m[f.name] = Array.from({ length: pick([0, 1, 3]) }, () => value(f, depth));
    else m[f.name] = value(f, depth);
  }
  return m;
}

function value(f: protobuf.Field, depth: number): unknown {
  const t = f.resolve().resolvedType;
  if (t instanceof protobuf.Type) return depth > 3 ? {} : sample(t, depth + 1);
  if (t instanceof protobuf.Enum) return pick(Object.values(t.values));
  return scalar(f.type);
}

describe("FastWriter (the generated code's writer)", () => {
  const root = new protobuf.Root().loadSync(readdirSync(protoDir).map((f) => join(protoDir, f)));
  root.resolveAll();
  const types: protobuf.Type[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const x of ns.nestedArray) {
      if (x instanceof protobuf.Type) types.push(x);
      if (x instanceof protobuf.Namespace || x instanceof protobuf.Type) walk(x);
    }
  };
  walk(root);

  it("writes protobufjs's bytes for every message type of every .proto, over random values", () => {
    expect(types.length).toBeGreaterThan(25);
    let compared = 0;
    for (const type of types) {
      const [pkg, ...rest] = type.fullName.slice(1).split(".");
      const cls = rest.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], generated[pkg!]) as { encode(m: unknown, w?: unknown): { finish(): Uint8Array } };
      for (let i = 0; i < 40; i++) {
        const m = sample(type);
        const ours = Buffer.from(cls.encode(m).finish());
        const theirs = Buffer.from(cls.encode(m, protobuf.Writer.create()).finish());
        if (!ours.equals(theirs)) throw new Error(`${type.fullName}: bytes differ for ${JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? [...v] : v))}`);
        compared++;
      }
    }
    expect(compared).toBe(types.length * 40);
  });

  it("writes each field kind as protobufjs does, at the edges of its sizes", () => {
    const ops: Array<[string, unknown[]]> = [
      ["uint32", [...uints, -1, 2 ** 32 + 5, 1.7]],
      ["int32", [...uints.map((u) => u | 0), -1, -128, -(2 ** 31)]],
      ["sint32", [0, 1, -1, 63, -64, 2 ** 30, -(2 ** 31)]],
      ["uint64", [...longs, -1, -(2 ** 40), "12345678901", { low: 5, high: 7 }]],
      ["int64", [...longs, -1, -Number.MAX_SAFE_INTEGER, "-42"]],
      ["sint64", [...longs, -1, -(2 ** 40), "77"]],
      ["fixed32", [...uints, -1]],
      ["sfixed32", [0, -1, 2 ** 31 - 1]],
      ["fixed64", [...longs, -1]],
      ["sfixed64", [...longs, -3]],
      ["bool", [true, false]],
      ["float", [...doubles, 3.4e38, 1e-40]],
      ["double", doubles],
      ["bytes", [new Uint8Array(0), Uint8Array.from([1, 2, 3]), new Uint8Array(200).fill(7), "AQID"]],
      ["string", strings],
    ];
    for (const [op, values] of ops) {
      const ours = new FastWriter() as unknown as Record<string, (v: unknown) => unknown> & { finish(): Uint8Array };
      const theirs = protobuf.Writer.create() as unknown as Record<string, (v: unknown) => unknown> & { finish(): Uint8Array };
      for (const v of values) {
        ours[op]!(v);
        theirs[op]!(v);
      }
      expect(Buffer.from(ours.finish()).toString("hex"), op).toBe(Buffer.from(theirs.finish()).toString("hex"));
    }
  });

  it("nests (fork/ldelim across length-prefix sizes), resets to the fork, and delimits a whole message", () => {
    const run = (w: protobuf.Writer | FastWriter) => {
      w.uint32(1).fork().string("inner").fork().bytes(new Uint8Array(200).fill(1)).ldelim().fork().bytes(new Uint8Array(20_000).fill(2)).ldelim().ldelim();
      w.fork().string("dropped").reset().uint32(9);
      w.fork().ldelim();
      w.ldelim();
      return Buffer.from(w.finish());
    };
    expect(run(new FastWriter()).equals(run(protobuf.Writer.create()))).toBe(true);
  });

  it("is empty again after finish (protobufjs's writer would append to what it finished; the generated code never reuses one)", () => {
    const w = new FastWriter().string("first");
    w.finish();
    expect(Buffer.from(w.string("again").finish()).toString()).toBe("\x05again");
  });

  it("gives each finished message its own bytes (the scratch buffer is reused)", () => {
    const a = new FastWriter().string("first").finish();
    const b = new FastWriter().string("second").finish();
    expect(Buffer.from(a).toString()).toBe("\x05first");
    expect(Buffer.from(b).toString()).toBe("\x06second");
    // Two writers at once (one inside the other's encode) do not share bytes.
    const outer = new FastWriter().string("outer");
    const inner = new FastWriter().string("inner").finish();
    expect(Buffer.from(outer.finish()).toString()).toBe("\x05outer");
    expect(Buffer.from(inner).toString()).toBe("\x05inner");
  });
});

describe("staticCodec's encode (one shared writer)", () => {
  const codec = staticCodec(loyalty.PromotionEmail);
  const email = (n: number) => ({ clickId: `click-${n}`, customerId: `cust-${n}`, email: `c${n}@example.com`, adId: "ad-1", promotion: "offer", clickTsMs: 1_700_000_000_000 + n });

  it("gives each output its own bytes, the same as a writer of its own", () => {
    const a = codec.encode(email(1));
    const b = codec.encode(email(2));
    expect(codec.decode(a)).toMatchObject(email(1));
    expect(codec.decode(b)).toMatchObject(email(2));
    expect(Buffer.from(b)).toEqual(Buffer.from(loyalty.PromotionEmail.encode(email(2)).finish()));
  });

  it("encodes a message whose getter encodes another one inside it (that one gets a writer of its own)", () => {
    let inner: Uint8Array | undefined;
    const outer = {
      ...email(1),
      get email() {
        inner = codec.encode(email(2));
        return "outer@example.com";
      },
    };
    const bytes = codec.encode(outer);
    expect(codec.decode(bytes)).toMatchObject({ ...email(1), email: "outer@example.com" });
    expect(codec.decode(inner!)).toMatchObject(email(2));
  });

  it("keeps nothing of an encode that threw: the next output is whole", () => {
    const bad = {
      ...email(1),
      get adId(): string {
        throw new Error("getter failed");
      },
    };
    expect(() => codec.encode(bad)).toThrow("getter failed");
    // (Compared as bytes: decoding would hide a stale prefix, as a later field of the same number wins.)
    expect(Buffer.from(codec.encode(email(3)))).toEqual(Buffer.from(loyalty.PromotionEmail.encode(email(3)).finish()));
  });
});

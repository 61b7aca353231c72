import { describe, expect, it } from "vitest";
import { parseSinks } from "../../../runtime/cli/options.js";
import { outputFormatter } from "../../../runtime/io/output-format.js";

const bytes = (s: string) => Buffer.from(s, "utf8");

describe("stdout sink formats", () => {
  it("--sink NAME=stdout stays base64; stdout:text|json|base64 choose; anything else is a ConfigError naming the choices", () => {
    expect(parseSinks(["a=stdout", "b=stdout:text", "c=stdout:json"])).toEqual({ a: { kind: "stdout", format: "base64" }, b: { kind: "stdout", format: "text" }, c: { kind: "stdout", format: "json" } });
    expect(() => parseSinks(["a=stdout:yaml"])).toThrow(/--sink a=stdout:FORMAT: "yaml" is not one of text, json, base64/);
  });

  it("text is one line per output; json uses the sink's decoder, else the frame's JSON, else says base64", () => {
    expect(outputFormatter("text")(bytes("two\nlines"))).toBe("two\\nlines");
    expect(outputFormatter("base64")(bytes("hi"))).toBe("aGk=");
    expect(outputFormatter("json", (b) => ({ n: b.length, big: 2n ** 64n }))(bytes("abc"))).toBe('{"n":3,"big":"18446744073709551616"}');
    expect(outputFormatter("json")(bytes('{"a": 1}'))).toBe('{"a":1}');
    expect(outputFormatter("json")(Uint8Array.of(0xff))).toBe('{"base64":"/w=="}');
  });
});

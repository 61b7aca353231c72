import { describe, expect, it } from "vitest";
import { SHORT_STRING_BYTES, utf8 } from "../../../runtime/wire/utf8.js";

// Pinned against Node's own decoder: the same string for every input, fast path or not.
describe("utf8", () => {
  const native = (b: Buffer, s: number, e: number) => b.toString("utf8", s, e);

  it("reads ASCII strings of every length up to and past the short-string bound", () => {
    for (let n = 0; n <= SHORT_STRING_BYTES + 4; n++) {
      const text = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7 + n) % 95))).join("");
      const b = Buffer.from(`<<${text}>>`);
      expect(utf8(b, 2, 2 + n)).toBe(text);
      expect(utf8(b, 2, 2 + n)).toBe(native(b, 2, 2 + n));
    }
  });

  it("reads control characters and NUL as they are", () => {
    const b = Buffer.from([0, 1, 9, 10, 13, 0x7f]);
    expect(utf8(b, 0, b.length)).toBe("\u0000\u0001\t\n\r\u007f");
  });

  it("decodes multi-byte characters, short and long, as Node does", () => {
    for (const text of ["é", "cust-é", "日本", "😀", "a😀b", "ünïcödé-customer-0123456789"]) {
      const b = Buffer.from(text);
      expect(utf8(b, 0, b.length)).toBe(text);
    }
  });

  it("replaces invalid UTF-8 as Node does", () => {
    for (const bytes of [[0xff], [0x61, 0xc3], [0xe6, 0x97], [0x80, 0x61], [0xed, 0xa0, 0x80]]) {
      const b = Buffer.from(bytes);
      expect(utf8(b, 0, b.length)).toBe(native(b, 0, b.length));
    }
  });

  it("matches Node on random bytes at random offsets", () => {
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 48271) >>> 0) % 2147483647) / 2147483647);
    for (let k = 0; k < 5_000; k++) {
      const len = Math.floor(rnd() * 40);
      const ascii = rnd() < 0.7;
      const b = Buffer.from(Array.from({ length: len + 4 }, () => Math.floor(rnd() * (ascii ? 128 : 256))));
      const s = Math.floor(rnd() * 3);
      const e = s + Math.floor(rnd() * (b.length - s + 1));
      expect(utf8(b, s, e)).toBe(native(b, s, e));
    }
  });

  it("clamps a range past the end of the buffer as Node does", () => {
    const b = Buffer.from("abc");
    expect(utf8(b, 1, 10)).toBe("bc");
    expect(utf8(b, 5, 10)).toBe("");
    expect(utf8(b, 2, 1)).toBe("");
  });
});

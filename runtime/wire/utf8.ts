// Strings out of wire bytes. Most strings a node reads are short ASCII (keys, ids, app and source
// names); a call into Node's native UTF-8 decoder costs ~100 ns whatever the length, while V8 builds
// a short one-byte string from char codes in ~45 ns (measured on this machine, 3 x 3M reads of 8-12 byte
// keys). A key is read once on the node that takes an event and once more on its owner.

/** Strings up to this many bytes are built in JS when they are ASCII; longer ones go to the native decoder. */
export const SHORT_STRING_BYTES = 16;

// Typed for indexed reads of `buf`: every index is within [start, end), checked by the caller.
const fromCharCode = String.fromCharCode as (...codes: Array<number | undefined>) => string;

/** The UTF-8 string in bytes [start, end) of `buf`, exactly as `buf.toString("utf8", start, end)`. */
export function utf8(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  // (Past the end of `buf`, or backwards: the native decoder's clamping.)
  if (n > SHORT_STRING_BYTES || n < 0 || end > buf.length) return buf.toString("utf8", start, end);
  let any = 0;
  for (let i = start; i < end; i++) any |= buf[i]!;
  // Any byte over 0x7f: a multi-byte character (or invalid UTF-8, which the native decoder replaces).
  if (any > 0x7f) return buf.toString("utf8", start, end);
  return ascii(buf, start, n);
}

// n (1-16) ASCII bytes from s: one fromCharCode call with the bytes as arguments (V8's fast path; an
// array through `apply`, or concatenation, is slower than the native decoder).
function ascii(b: Buffer, s: number, n: number): string {
  switch (n) {
    case 0:
      return "";
    case 1:
      return fromCharCode(b[s]);
    case 2:
      return fromCharCode(b[s], b[s + 1]);
    case 3:
      return fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    case 12:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
    case 13:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12]);
    case 14:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13]);
    case 15:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14]);
    case 16:
      return fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15]);
    default:
      return b.toString("latin1", s, s + n);
  }
}

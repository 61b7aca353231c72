/**
 * 32-bit FNV-1a over the UTF-8 bytes of `s`, without allocating: the same value on
 * every node and every version (it is part of the placement contract).
 */
export function hash32(s: string): number {
  return hashBits(s) >>> 0;
}

/**
 * hash32's bits as a signed 32-bit integer (`hash32(s) === hashBits(s) >>> 0`): always a small integer
 * (Smi) to V8, so returning it allocates nothing, where a uint32 of 2^31 or more comes back from a call
 * as a heap number (8 bytes per event on average in the embedded benchmark's allocation profile).
 */
export function hashBits(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), 0x01000193);
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo < 0xe000) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        h = Math.imul(h ^ (0xf0 | (c >> 18)), 0x01000193);
        h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), 0x01000193);
      } else {
        h = Math.imul(h ^ (0xe0 | (c >> 12)), 0x01000193);
        h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), 0x01000193);
      }
    } else {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), 0x01000193);
    }
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), 0x01000193);
  }
  // FNV's low bits mix poorly for short keys that differ in the last byte; a final avalanche fixes `mod S`.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** The slot of a key in a partition of `slots` slots. */
export function slotOf(key: string, slots: number): number {
  // `| 0` keeps the slot a small integer (a Smi) for V8: a hash of 2^30 or more is a heap number, and
  // unoptimized code's `%` of one returns a heap number even when the result is small. One such slot in
  // an envelope or actor changed the field's representation and deprecated the envelope's map, after
  // which a node migrated every envelope it decoded on first touch (about 3 µs each: a third of its CPU).
  return ((hashBits(key) >>> 0) % slots) | 0;
}

// Deterministic pseudo-random bytes, identical in Node and in the page.
//
// fillRandom is self-contained (no closure, no imports) so that its source text can be
// sent to the page inside a page.evaluate() expression and produce the same bytes there.
// It is mulberry32, 4 bytes per step, written little-endian byte by byte (so the result
// does not depend on the platform's endianness).

/**
 * Fills `bytes` from `seed` and returns it.
 * @param {Uint8Array} bytes
 * @param {number} seed
 * @returns {Uint8Array}
 */
export function fillRandom(bytes, seed) {
  let a = seed >>> 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    t = (t ^ (t >>> 14)) >>> 0;
    if (i + 4 <= n) {
      bytes[i] = t & 255;
      bytes[i + 1] = (t >>> 8) & 255;
      bytes[i + 2] = (t >>> 16) & 255;
      bytes[i + 3] = t >>> 24;
      i += 4;
    } else {
      for (; i < n; i++, t >>>= 8) bytes[i] = t & 255;
    }
  }
  return bytes;
}

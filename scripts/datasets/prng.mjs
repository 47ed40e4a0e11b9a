// Small seeded PRNG (mulberry32) so generated data is the same on every run and machine.

/** FNV-1a hash of a string, used to turn a seed label into a 32-bit seed. @param {string} s */
export function hashString(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * @param {number | string} seed
 * @returns {{ next: () => number, int: (lo: number, hi: number) => number, range: (lo: number, hi: number) => number }}
 *   next() in [0, 1); int(lo, hi) inclusive; range(lo, hi) real in [lo, hi)
 */
export function prng(seed) {
  let a = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    range: (lo, hi) => lo + next() * (hi - lo),
  };
}

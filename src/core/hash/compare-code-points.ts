/**
 * Orders strings by Unicode code point, as Python (and so DVC) does.
 * JavaScript's default `<` compares UTF-16 code units, which puts astral
 * characters (stored as surrogates D800–DFFF) before BMP characters
 * E000–FFFF. At the first differing unit, moving surrogates above E000–FFFF
 * restores code-point order.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * Sorts `items` in place by code-point order of `key`. Below U+D800 UTF-16
 * order is code-point order, so unless a key has a surrogate or a character
 * from U+E000 up (rare in file names), the engine's own string comparison
 * sorts: several times faster for a data set of thousands of paths.
 */
export function sortByCodePoints<T>(items: T[], key: (item: T) => string): T[] {
  const needsCodePoints = items.some((item) => /[\ud800-\uffff]/.test(key(item)));
  if (needsCodePoints) return items.sort((a, b) => compareCodePoints(key(a), key(b)));
  return items.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

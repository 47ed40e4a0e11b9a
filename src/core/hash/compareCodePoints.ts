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

/**
 * Invisible format characters (Unicode category Cf) in a name: bidi controls
 * such as U+202E RIGHT-TO-LEFT OVERRIDE make a class name display as another
 * ("cat‮gnp" shows reversed), zero-width ones make two names that look alike
 * differ. Two joiners are real parts of words and emoji, so they pass where
 * they join two visible characters: U+200C ZERO WIDTH NON-JOINER (Persian
 * words) and U+200D ZERO WIDTH JOINER (emoji sequences); so do the tag
 * characters of a flag emoji (🏴 followed by tags, ended by U+E007F).
 */
const NAMES = new Map<number, string>([
  [0x00ad, 'SOFT HYPHEN'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2061, 'FUNCTION APPLICATION'],
  [0x2062, 'INVISIBLE TIMES'],
  [0x2063, 'INVISIBLE SEPARATOR'],
  [0x2064, 'INVISIBLE PLUS'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE (byte order mark)'],
]);

const FORMAT = /\p{Cf}/u;
const JOINERS = new Set([0x200c, 0x200d]);
const VISIBLE = /[\p{L}\p{M}\p{N}\p{S}\p{P}]/u;
const BLACK_FLAG = 0x1f3f4;
const isTag = (code: number) => code >= 0xe0020 && code <= 0xe007f;

/** "U+202E RIGHT-TO-LEFT OVERRIDE": how a message names a character. */
export function describeCharacter(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${hex} ${NAMES.get(code) ?? '(an invisible format character)'}`;
}

/** The first invisible format character that does not belong where it is, or null. */
export function invisibleCharacter(text: string): number | null {
  const chars = [...text];
  let inFlag = false;
  for (const [i, char] of chars.entries()) {
    const code = char.codePointAt(0)!;
    if (code === BLACK_FLAG) inFlag = true;
    else if (!isTag(code)) inFlag = false;
    if (!FORMAT.test(char)) continue;
    if (isTag(code) && inFlag) continue;
    if (JOINERS.has(code) && VISIBLE.test(chars[i - 1] ?? '') && VISIBLE.test(chars[i + 1] ?? '')) continue;
    return code;
  }
  return null;
}

/** The text with every invisible format character written out as ⟨U+202E⟩, so a message shows what is there. */
export function visibleText(text: string): string {
  return text.replace(/\p{Cf}/gu, (char) => `⟨${describeCharacter(char.codePointAt(0)!).split(' ')[0]}⟩`);
}

/**
 * Formats a string as the value of a block mapping key exactly as DVC's YAML
 * writer (ruamel.yaml, round-trip dumper, YAML 1.2, width 80) emits it, so
 * that `.dvc` files match byte for byte. This is a port of the emitter's
 * scalar analysis and of its plain, single-quoted and double-quoted writers,
 * cross-checked against ruamel.yaml 0.17.21.
 *
 * Known gap: U+0085, U+2028 and U+2029 (line breaks other than "\n") are
 * written double-quoted, where ruamel writes a folded single-quoted scalar.
 * Both read back as the same string.
 */

const BEST_WIDTH = 80;
const LINE_BREAKS = '\n\u0085\u2028\u2029';
const WHITESPACE = '\0 \t\r' + LINE_BREAKS;
const HAS_LINE_BREAK = /[\n\u0085\u2028\u2029]/;

interface ScalarLine {
  /** Column right after `key:`. */
  column: number;
  /** Indentation of continuation lines when a long scalar is folded. */
  indent: number;
}

/** Returns the text that follows `key:`, leading space included. */
export function yamlMappingValue(value: string, line: ScalarLine): string {
  const chars = Array.from(value); // the emitter counts code points, not UTF-16 units
  const style = chooseStyle(value, chars);
  if (style === 'plain') return writePlain(chars, line);
  if (style === 'single') return writeSingleQuoted(chars, line);
  return writeDoubleQuoted(chars, line);
}

type Style = 'plain' | 'single' | 'double';

function chooseStyle(value: string, chars: string[]): Style {
  const analysis = analyze(value, chars);
  if (analysis.allowPlain && !resolvesToNonString(value)) return 'plain';
  // ruamel prefers double quotes for anything holding a quote or a newline.
  if (value.includes("'") || value.includes('\n')) return 'double';
  if (analysis.allowSingleQuoted && !HAS_LINE_BREAK.test(value)) return 'single';
  return 'double';
}

function isPrintable(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if (ch === '\n' || (cp >= 0x20 && cp <= 0x7e)) return true;
  if (cp === 0xfeff) return false;
  return cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** The emitter's analyze_scalar, reduced to what a block mapping value needs. */
function analyze(text: string, chars: string[]): { allowPlain: boolean; allowSingleQuoted: boolean } {
  if (chars.length === 0) return { allowPlain: true, allowSingleQuoted: true };
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let spaceBreak = false;
  let breakSpace = false;
  let previousSpace = false;
  let previousBreak = false;
  const last = chars.length - 1;
  const leadingWhitespace = chars[0] === ' ' || LINE_BREAKS.includes(chars[0]!);
  const trailingWhitespace = chars[last] === ' ' || LINE_BREAKS.includes(chars[last]!);

  chars.forEach((ch, index) => {
    const precededByWhitespace = index === 0 || WHITESPACE.includes(chars[index - 1]!);
    const next = chars[index + 1];
    const followedByWhitespace = next === undefined || WHITESPACE.includes(next);
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ('?:-'.includes(ch) && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (LINE_BREAKS.includes(ch)) lineBreaks = true;
    if (!isPrintable(ch)) special = true;

    if (ch === ' ') {
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (LINE_BREAKS.includes(ch)) {
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
  });

  const allowPlain = !(leadingWhitespace || trailingWhitespace || breakSpace || spaceBreak || special || lineBreaks || blockIndicators);
  const allowSingleQuoted = !(breakSpace || spaceBreak || special);
  return { allowPlain, allowSingleQuoted };
}

/**
 * YAML 1.2 implicit types as ruamel resolves them: a plain scalar matching
 * one of these would read back as a bool, number, null, date or merge key,
 * so the emitter quotes it instead. Python's `$` also matches before a final
 * newline; such strings are never plain anyway.
 */
const IMPLICIT_TYPES: { firstChars: string; pattern: RegExp }[] = [
  { firstChars: 'tTfF', pattern: /^(?:true|True|TRUE|false|False|FALSE)$/ },
  {
    firstChars: '-+0123456789.',
    pattern:
      /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  },
  { firstChars: '-+0123456789', pattern: /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/ },
  { firstChars: '<', pattern: /^(?:<<)$/ },
  { firstChars: '~nN', pattern: /^(?:~|null|Null|NULL)$/ },
  {
    firstChars: '0123456789',
    pattern:
      /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  },
  { firstChars: '=', pattern: /^(?:=)$/ },
];

function resolvesToNonString(value: string): boolean {
  if (value === '') return true; // the empty plain scalar is null
  const first = value[0]!;
  return IMPLICIT_TYPES.some(({ firstChars, pattern }) => firstChars.includes(first) && pattern.test(value));
}

/** Tracks the output column the way the emitter does, to fold long lines. */
class Writer {
  text = '';
  constructor(
    public column: number,
    private readonly indent: number,
  ) {}

  write(data: string[] | string): void {
    const chunk = typeof data === 'string' ? data : data.join('');
    this.text += chunk;
    this.column += Array.from(chunk).length;
  }

  newline(): void {
    this.text += '\n' + ' '.repeat(this.indent);
    this.column = this.indent;
  }
}

function writePlain(chars: string[], { column, indent }: ScalarLine): string {
  const out = new Writer(column, indent);
  out.write(' ');
  let start = 0;
  let inSpaces = false;
  for (let end = 0; end <= chars.length; end++) {
    const ch = chars[end];
    if (inSpaces) {
      if (ch !== ' ') {
        // A single space past the width becomes a line break.
        if (start + 1 === end && out.column > BEST_WIDTH) out.newline();
        else out.write(chars.slice(start, end));
        start = end;
      }
    } else if (ch === undefined || ch === ' ') {
      out.write(chars.slice(start, end));
      start = end;
    }
    inSpaces = ch === ' ';
  }
  return out.text;
}

function writeSingleQuoted(chars: string[], { column, indent }: ScalarLine): string {
  const out = new Writer(column, indent);
  out.write(" '");
  let start = 0;
  let inSpaces = false;
  for (let end = 0; end <= chars.length; end++) {
    const ch = chars[end];
    if (inSpaces) {
      if (ch !== ' ') {
        const foldable = start + 1 === end && start !== 0 && end !== chars.length;
        if (foldable && out.column > BEST_WIDTH) out.newline();
        else out.write(chars.slice(start, end));
        start = end;
      }
    } else if ((ch === undefined || ch === ' ' || ch === "'") && start < end) {
      out.write(chars.slice(start, end));
      start = end;
    }
    if (ch === "'") {
      out.write("''");
      start = end + 1;
    }
    inSpaces = ch === ' ';
  }
  out.write("'");
  return out.text;
}

const DOUBLE_QUOTED_ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u00a0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

function needsEscape(ch: string): boolean {
  if ('"\\\u0085\u2028\u2029\ufeff'.includes(ch)) return true;
  const cp = ch.codePointAt(0)!;
  const printable = (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd);
  return !printable;
}

function escapeChar(ch: string): string {
  const short = DOUBLE_QUOTED_ESCAPES[ch];
  if (short !== undefined) return '\\' + short;
  const cp = ch.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return '\\x' + hex.padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + hex.padStart(4, '0');
  return '\\U' + hex.padStart(8, '0');
}

function writeDoubleQuoted(chars: string[], { column, indent }: ScalarLine): string {
  const out = new Writer(column, indent);
  out.write(' "');
  let start = 0;
  for (let end = 0; end <= chars.length; end++) {
    const ch = chars[end];
    if (ch === undefined || needsEscape(ch)) {
      if (start < end) out.write(chars.slice(start, end));
      if (ch !== undefined) out.write(escapeChar(ch));
      start = end + 1;
    }
    // Fold at a space (or right after an escape) past the width, with a
    // trailing backslash so no whitespace is added to the value.
    const foldHere = end > 0 && end < chars.length - 1 && (ch === ' ' || start >= end);
    if (foldHere && out.column + (end - start) > BEST_WIDTH) {
      out.write(chars.slice(start, end).join('') + '\\');
      if (start < end) start = end;
      out.newline();
      if (chars[start] === ' ') out.write('\\');
    }
  }
  out.write('"');
  return out.text;
}

// BENCHMARKS.md: one section per benchmark, each replaced in place between its markers
//   <!-- bench:NAME -->
//   ...
//   <!-- /bench:NAME -->
// so every benchmark rewrites only its own section and keeps the others.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/harness/server.mjs';

export const BENCHMARKS_FILE = join(REPO_ROOT, 'BENCHMARKS.md');

const HEADER = `# Benchmarks

Figures written by \`npm run bench\` (all) or \`npm run bench:NAME\` (one). Each section is
rewritten in place by its benchmark; do not edit between the markers by hand.
`;

/**
 * Replaces (or appends) the section of benchmark `name`.
 * @param {string} name e.g. "store"
 * @param {string} markdown The section body, without markers.
 * @param {string} [file]
 */
export function writeSection(name, markdown, file = BENCHMARKS_FILE) {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start !== -1 && end > start) {
    text = text.slice(0, start) + block + text.slice(end + close.length);
  } else {
    text = `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

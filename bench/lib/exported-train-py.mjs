// The train.py that "Download as DVC project" exports (src/core/exchange/train-py.ts), written
// to a file, so benchmarks run the very model definition users get rather than a copy of it.
// The TypeScript modules hold only strings; TypeScript's own transpiler turns each into JS in a
// temporary folder (relative imports such as './data-py' followed and pointed at the .mjs).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { REPO_ROOT } from '../../test/harness/server.mjs';

const RELATIVE_IMPORT = /from '(\.\/[\w-]+)'/g;

/** Transpiles `file` and the sibling modules it imports into `outDir`; returns the .mjs path. */
function transpileInto(file, outDir, done = new Set()) {
  const out = join(outDir, `${basename(file, '.ts')}.mjs`);
  if (done.has(out)) return out;
  done.add(out);
  const source = readFileSync(file, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const rewritten = outputText.replace(RELATIVE_IMPORT, (_, specifier) => {
    transpileInto(join(dirname(file), `${specifier}.ts`), outDir, done);
    return `from '${specifier}.mjs'`;
  });
  writeFileSync(out, rewritten);
  return out;
}

/** Path of a temporary train.py with the exported script's text. */
export async function writeExportedTrainPy() {
  const dir = mkdtempSync(join(tmpdir(), 'pawprint-train-py-'));
  const module = transpileInto(join(REPO_ROOT, 'src', 'core', 'exchange', 'train-py.ts'), dir);
  const { TRAIN_PY } = await import(pathToFileURL(module).href);
  const path = join(dir, 'train.py');
  writeFileSync(path, TRAIN_PY);
  return path;
}

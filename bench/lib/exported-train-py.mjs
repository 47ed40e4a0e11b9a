// The train.py that "Download as DVC project" exports (src/core/exchange/train-py.ts), written
// to a file, so benchmarks run the very model definition users get rather than a copy of it.
// The TypeScript module holds only the string; TypeScript's own transpiler turns it into JS.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../test/harness/server.mjs';

/** Path of a temporary train.py with the exported script's text. */
export async function writeExportedTrainPy() {
  const source = readFileSync(join(REPO_ROOT, 'src', 'core', 'exchange', 'train-py.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const { TRAIN_PY } = await import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
  const path = join(mkdtempSync(join(tmpdir(), 'pawprint-train-py-')), 'train.py');
  writeFileSync(path, TRAIN_PY);
  return path;
}

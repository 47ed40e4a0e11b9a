import { pythonJsonString } from '../hash/dvc';
import { utf8Bytes } from '../hash/bytes';
import type { Dataset } from '../objects/types';
import type { SplitOptions } from '../train/split';
import { assignSplits, classNamesOf } from '../train/split';
import type { Example } from '../train/types';
import { npyFloat32, npyInt64 } from './npy';

/**
 * features/ as features.py writes it from bottleneck/ and data/: the rows of
 * the images that have features, per split (the page's split and hold-out,
 * over those images, as features.py computes them), their labels as int64
 * and classes.json — the same bytes, so dvc.lock can record the stage's
 * output. Null when a split would be empty (features.py stops there).
 */
export function featuresFolder(dataset: Dataset, rows: ReadonlyMap<string, Float32Array>, dims: number, options: SplitOptions): Map<string, Uint8Array> | null {
  const entries = dataset.entries.filter((entry) => rows.has(entry.sha256));
  const splits = assignSplits(entries, options);
  if (splits.train.length === 0 || splits.validation.length === 0) return null;
  const files = new Map<string, Uint8Array>();
  for (const [name, examples] of [['train', splits.train], ['validation', splits.validation]] as const) {
    files.set(`${name}.npy`, npyFloat32(matrixOf(examples, rows, dims), [examples.length, dims]));
    files.set(`${name}_labels.npy`, npyInt64(examples.map((example) => example.label)));
  }
  // json.dumps(class_names) + "\n": Python's separators and ASCII escapes.
  files.set('classes.json', utf8Bytes(`[${classNamesOf(entries).map(pythonJsonString).join(', ')}]\n`));
  return files;
}

function matrixOf(examples: readonly Example[], rows: ReadonlyMap<string, Float32Array>, dims: number): Float32Array {
  const matrix = new Float32Array(examples.length * dims);
  examples.forEach((example, i) => matrix.set(rows.get(example.sha256)!, i * dims));
  return matrix;
}

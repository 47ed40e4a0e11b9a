import type { Confusion } from '../versions/confusion';
import { PyFloat, pythonJsonDumps, type PyJson } from './python-json';

/**
 * evaluation.json, the evaluate stage's output, as evaluate.py writes it:
 * the page's confusion matrix on the validation split with its class names,
 * and the accuracy it gives (correct ÷ images, the same division as Python's).
 */
export function evaluationJson({ names, matrix }: Confusion): string {
  const total = matrix.flat().reduce((sum, n) => sum + n, 0);
  const correct = matrix.reduce((sum, row, c) => sum + row[c]!, 0);
  return pythonJsonDumps(
    new Map<string, PyJson>([
      ['accuracy', new PyFloat(total > 0 ? correct / total : 0)],
      ['classes', names],
      ['confusion', matrix],
    ]),
  );
}

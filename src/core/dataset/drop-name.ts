import { countOf } from '../format/numbers';
import type { DroppedFile } from './types';

/** How a drop is named while it waits its turn: "new-labels.zip", "photos (120 files)", "3 files". */
export function dropName(files: readonly Pick<DroppedFile, 'path'>[]): string {
  const [first] = files;
  if (first === undefined) return countOf(0, 'file');
  if (files.length === 1) return first.path.split('/').at(-1)!;
  const top = first.path.split('/')[0]!;
  const oneFolder = top !== first.path && files.every(({ path }) => path.startsWith(`${top}/`));
  return oneFolder ? `${top} (${countOf(files.length, 'file')})` : countOf(files.length, 'file');
}

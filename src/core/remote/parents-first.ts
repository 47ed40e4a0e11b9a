import type { Version } from '../objects/types';

/** Items holding versions, reordered so that a parent comes before its children (the order a timeline is written in). */
export function parentsFirst<T>(items: ReadonlyMap<string, T>, versionOf: (item: T) => Version): Map<string, T> {
  const ordered = new Map<string, T>();
  const visit = (id: string) => {
    const item = items.get(id);
    if (item === undefined || ordered.has(id)) return;
    const { parent } = versionOf(item);
    if (parent !== null) visit(parent);
    ordered.set(id, item);
  };
  for (const id of items.keys()) visit(id);
  return ordered;
}

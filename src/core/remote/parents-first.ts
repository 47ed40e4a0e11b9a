import type { Version } from '../objects/types';

/** The versions reordered so that a parent comes before its children (the order a timeline is written in). */
export function parentsFirst<T extends { version: Version }>(items: ReadonlyMap<string, T>): Map<string, T> {
  const ordered = new Map<string, T>();
  const visit = (id: string) => {
    const item = items.get(id);
    if (item === undefined || ordered.has(id)) return;
    if (item.version.parent !== null) visit(item.version.parent);
    ordered.set(id, item);
  };
  for (const id of items.keys()) visit(id);
  return ordered;
}

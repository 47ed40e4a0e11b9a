/**
 * What a derived value was made from, read from its key. Every owner of the
 * derived cache (pixel caches, per-data-set figures, feature rows…) names in
 * the key the object ids and blob hashes its value derives from, as segments
 * of 64 hex digits ("pixels/64/<data set id>", "datasets/<id>/split-counts",
 * "features/<feature set>/<image sha256>"). A value is garbage once it names
 * at least one and none of them is stored any more; one that names none
 * ("pixels/64/latest") is kept. Keeping too much only costs space; dropping a
 * live value only costs a rebuild.
 */
const ID = /^[0-9a-f]{64}$/;

export function sourcesOf(key: string): string[] {
  return key.split('/').filter((segment) => ID.test(segment));
}

export function isDerivedGarbage(key: string, stored: (id: string) => boolean): boolean {
  const sources = sourcesOf(key);
  return sources.length > 0 && !sources.some(stored);
}

/** About how many bytes a stored value takes: its binary data and text, and a little per field. */
export function sizeOfValue(value: unknown, seen = new Set<object>()): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object') return 8;
  if (seen.has(value)) return 0;
  seen.add(value);
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof Blob) return value.size;
  let total = 0;
  for (const [key, field] of Object.entries(value)) total += key.length + sizeOfValue(field, seen);
  return total;
}

/**
 * A push or pull that stopped partway: says what failed (the cause's message,
 * naming the path) and which versions were not transferred. A push never
 * writes the index before its objects, and a pull commits nothing before
 * every file is verified, so the other side stays as it was.
 */
export class TransferError extends Error {
  override name = 'TransferError';
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** "v1.0, v2.0 and 3f2a9c01b7e4": versions by their first tag, else a short id. */
export function nameVersions(ids: readonly string[], tags: ReadonlyMap<string, string>): string {
  const byVersion = new Map<string, string>();
  for (const [tag, id] of tags) if (!byVersion.has(id)) byVersion.set(id, tag);
  const names = [...new Set(ids)].map((id) => byVersion.get(id) ?? id.slice(0, 12));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

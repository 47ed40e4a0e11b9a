import { packDirectory } from './directory';

/** Appends blob bytes to one new pack file, owned by this writer alone. */
export interface PackWriter {
  readonly file: string;
  /** Appends the bytes and returns the offset they start at. */
  append(bytes: Uint8Array): number;
  /** Makes everything appended durable; records may point at the bytes only after this. */
  flush(): void;
  /** Closes the file; a pack nothing was appended to is deleted. */
  close(): void | Promise<void>;
}

/**
 * A new, uniquely named pack file: no other writer (tab, worker) ever opens
 * it, so the exclusive lock of its sync access handle never waits. A name
 * starts with its creation time, for people reading the folder.
 */
export async function createPackWriter(dbName: string): Promise<PackWriter> {
  const file = `${Date.now()}-${crypto.randomUUID()}.pack`;
  const directory = await packDirectory(dbName);
  const handle = await (await directory.getFileHandle(file, { create: true })).createSyncAccessHandle();
  let end = 0;
  return {
    file,
    append(bytes) {
      const offset = end;
      const written = handle.write(bytes, { at: offset });
      if (written !== bytes.byteLength) throw new Error(`Only ${written} of ${bytes.byteLength} bytes reached pack file ${file}.`);
      end += written;
      return offset;
    },
    flush: () => handle.flush(),
    async close() {
      handle.close();
      // Opened before its first blob was known to be new (to overlap hashing), then not needed: no empty file stays.
      if (end === 0) await directory.removeEntry(file);
    },
  };
}

/** A file the user gave us, with the path it had in their folder or zip (forward slashes). */
export interface PickedFile {
  path: string;
  file: File;
}

/**
 * Collects files from a drop, walking folders recursively. The entries must be taken
 * synchronously from the DataTransfer (it is emptied after the event), then read async.
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  const walked = await Promise.all(entries.map((entry) => walkEntry(entry, '')));
  return [...walked.flat(), ...loose.map((file) => ({ path: file.name, file }))];
}

/** Files from an `<input type="file">`, keeping folder paths when it has `webkitdirectory`. */
export function filesFromInput(list: FileList): PickedFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

async function walkEntry(entry: FileSystemEntry, parent: string): Promise<PickedFile[]> {
  const path = parent ? `${parent}/${entry.name}` : entry.name;
  if (isFileEntry(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    return [{ path, file }];
  }
  if (!isDirectoryEntry(entry)) return [];
  const children = await readAllEntries(entry.createReader());
  const nested = await Promise.all(children.map((child) => walkEntry(child, path)));
  return nested.flat();
}

/** readEntries returns at most ~100 entries per call: call until it returns none. */
async function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

import type { DroppedFile } from '../../core/dataset/types';

/**
 * Collects files from a drop, walking folders recursively. The entries must be taken
 * synchronously from the DataTransfer (it is emptied after the event), then read async.
 */
export async function filesFromDrop(transfer: DataTransfer): Promise<DroppedFile[]> {
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
  return [...walked.flat(), ...loose.map((file) => ({ path: file.name, blob: file }))];
}

/** Files from an `<input type="file">`, keeping folder paths when it has `webkitdirectory`. */
export function filesFromInput(list: FileList): DroppedFile[] {
  return Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, blob: file }));
}

async function walkEntry(entry: FileSystemEntry, parent: string): Promise<DroppedFile[]> {
  const path = parent ? `${parent}/${entry.name}` : entry.name;
  if (isFileEntry(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    return [{ path, blob: file }];
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

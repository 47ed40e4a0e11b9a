type DirectoryPicker = (options?: { id?: string; mode?: 'read' | 'readwrite' }) => Promise<FileSystemDirectoryHandle>;

/** The File System Access folder picker, or null where the browser has none (Firefox, Safari). */
export function folderPicker(): DirectoryPicker | null {
  const picker = (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(window) : null;
}

/**
 * Asks the user for a folder to push to (read-write, asked up front so a push
 * does not stop halfway to ask) or pull from (read only); null when they close
 * the picker.
 */
export async function pickFolder(picker: DirectoryPicker, mode: 'read' | 'readwrite'): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await picker({ id: 'pawprint-remote', mode });
  } catch (error) {
    if ((error as Error).name === 'AbortError') return null;
    throw error;
  }
}

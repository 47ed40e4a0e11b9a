import { RemoteError, type Remote } from './remote';

/**
 * A folder as a remote (`dvc remote add -d local /path`): one the user picked
 * with the File System Access API, or an origin-private (OPFS) folder. Folders
 * are created as files are written into them.
 */
export class FolderRemote implements Remote {
  readonly name: string;

  /** Folders already opened, by path: a push touches each `files/md5/<2>` folder many times. */
  private readonly folders = new Map<string, FileSystemDirectoryHandle>();

  constructor(private readonly root: FileSystemDirectoryHandle) {
    this.name = `the folder “${root.name}”`;
  }

  async read(path: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    const file = await this.fileHandle(path, false, signal);
    return file === null ? null : this.attempt(path, async () => new Uint8Array(await (await file.getFile()).arrayBuffer()));
  }

  async has(path: string, signal?: AbortSignal): Promise<boolean> {
    return (await this.fileHandle(path, false, signal)) !== null;
  }

  async write(path: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const file = (await this.fileHandle(path, true, signal))!;
    await this.attempt(path, async () => {
      const writable = await file.createWritable();
      try {
        await writable.write(bytes as Uint8Array<ArrayBuffer>);
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => undefined);
        throw error;
      }
    });
  }

  /** The file's handle, walking (and with `create`, making) its folders; null when it does not exist. */
  private async fileHandle(path: string, create: boolean, signal?: AbortSignal): Promise<FileSystemFileHandle | null> {
    signal?.throwIfAborted();
    const parts = path.split('/');
    const name = parts.pop()!;
    return this.attempt(path, async () => {
      try {
        return await (await this.folder(parts, create)).getFileHandle(name, { create });
      } catch (error) {
        if (!create && ((error as Error).name === 'NotFoundError' || (error as Error).name === 'TypeMismatchError')) return null;
        throw error;
      }
    });
  }

  private async folder(parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
    let folder = this.root;
    for (let i = 0; i < parts.length; i++) {
      const path = parts.slice(0, i + 1).join('/');
      const known = this.folders.get(path);
      folder = known ?? (await folder.getDirectoryHandle(parts[i]!, { create }));
      this.folders.set(path, folder);
    }
    return folder;
  }

  /** File system errors in words: what failed, where. */
  private async attempt<T>(path: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const { name, message } = error as Error;
      if (name === 'AbortError' || error instanceof RemoteError) throw error;
      if (name === 'NotAllowedError' || name === 'SecurityError') {
        throw new RemoteError('forbidden', path, `${this.name} does not allow this page to use ${path}; allow access to the folder and try again.`, { cause: error });
      }
      if (name === 'QuotaExceededError') throw new RemoteError('refused', path, `${this.name} is full: ${path} could not be written.`, { cause: error });
      throw new RemoteError('unreachable', path, `${path} in ${this.name} could not be used: ${message}`, { cause: error });
    }
  }
}

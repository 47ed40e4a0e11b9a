import { FolderRemote, type Remote } from '../../core/remote';
import { HttpRemote } from '../../core/remote/http-remote';

/** Where the page wants to push to or pull from; a folder handle crosses to the worker as it is. */
export type RemoteTarget = { kind: 'folder'; handle: FileSystemDirectoryHandle } | { kind: 'http'; url: string; authorization?: string };

export function openRemote(target: RemoteTarget): Remote {
  if (target.kind === 'folder') return new FolderRemote(target.handle);
  return new HttpRemote(target.url, target.authorization ? { authorization: target.authorization } : {});
}

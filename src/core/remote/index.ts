// Remotes: push and pull versions in DVC's remote layout to a folder, an HTTP server or a bundle zip.
export { RemoteError, type Remote } from './remote';
export { INDEX_PATH } from './layout';
export { push, type PushOptions, type PushResult } from './push';
export { pull, type PullOptions, type PullResult } from './pull';
export { exportBundle, importBundle } from './bundle';
export { MemoryRemote } from './memory-remote';
export { FolderRemote } from './folder-remote';
export { TransferError } from './transfer-error';
export type { TagConflict } from './tag-conflict';

// Remotes: push and pull versions in DVC's remote layout to a folder, an HTTP server or a bundle zip.
export { RemoteError, type Remote, type RemoteFailure } from './remote';
export { INDEX_PATH, filePath, objectPath } from './layout';
export { INDEX_FORMAT, INDEX_SCHEMA, type RemoteIndex } from './remote-index';
export { push, type PushOptions, type PushResult } from './push';
export { pull, type PullOptions, type PullResult } from './pull';
export { exportBundle, importBundle, type BundleOptions } from './bundle';
export { MemoryRemote } from './memory-remote';
export { FolderRemote } from './folder-remote';
export { TransferError } from './transfer-error';
export type { TagConflict } from './tag-conflict';

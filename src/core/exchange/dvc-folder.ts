import { dvcDirHash, dvcFileText } from '../hash/dvc';
import { md5Hex } from '../hash/md5';

/**
 * The `.dvc` text `dvc add <path>` writes for a folder holding `files`
 * (relpath → bytes): DVC's `.dir` hash over the files' md5s, their total size
 * and their count.
 */
export async function dvcFolderFileText(path: string, files: ReadonlyMap<string, Uint8Array>): Promise<string> {
  const entries = await Promise.all([...files].map(async ([relpath, bytes]) => ({ relpath, md5: await md5Hex(bytes) })));
  const size = [...files.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
  return dvcFileText({ md5: await dvcDirHash(entries), size, nfiles: files.size, path });
}

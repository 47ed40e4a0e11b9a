import { dvcDirHash, dvcFileText, type DvcOut } from '../hash/dvc';
import { md5Hex } from '../hash/md5';

/**
 * How DVC records a folder holding `files` (relpath → bytes): its `.dir`
 * hash over the files' md5s, their total size and their count.
 */
export async function dvcFolderInfo(files: ReadonlyMap<string, Uint8Array>): Promise<Omit<Required<DvcOut>, 'path'>> {
  const entries = await Promise.all([...files].map(async ([relpath, bytes]) => ({ relpath, md5: await md5Hex(bytes) })));
  const size = [...files.values()].reduce((sum, bytes) => sum + bytes.byteLength, 0);
  return { md5: await dvcDirHash(entries), size, nfiles: files.size };
}

/** The `.dvc` text `dvc add <path>` writes for a folder holding `files`. */
export async function dvcFolderFileText(path: string, files: ReadonlyMap<string, Uint8Array>): Promise<string> {
  return dvcFileText({ ...(await dvcFolderInfo(files)), path });
}

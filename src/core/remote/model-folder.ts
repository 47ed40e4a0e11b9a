import { WEIGHTS_FILE, modelTexts } from '../exchange/model-files';
import type { ModelSource } from '../exchange/model-metadata';
import { utf8Bytes } from '../hash/bytes';
import { dvcDirText } from '../hash/dvc';
import { md5Hex } from '../hash/md5';
import { filePath } from './layout';
import type { PlannedFile } from './push-plan';

/**
 * The model/ folder of "Download as DVC project" (model.json, weights.bin,
 * metadata.json) as DVC keeps it on a remote: the two text files under their
 * md5 and the folder's `.dir` listing, so `dvc pull` of that project's
 * model.dvc finds it. The weights are pushed with the other files already.
 */
export async function modelFolderFiles(source: ModelSource, weightsMd5: string): Promise<{ bytes: PlannedFile[]; listing: PlannedFile }> {
  const texts = modelTexts(source);
  const named = await Promise.all(
    (['model.json', 'metadata.json'] as const).map(async (relpath) => {
      const bytes = utf8Bytes(texts[relpath]);
      return { relpath, bytes, md5: await md5Hex(bytes) };
    }),
  );
  const listing = utf8Bytes(dvcDirText([...named, { relpath: WEIGHTS_FILE, md5: weightsMd5 }]));
  return {
    bytes: named.map(({ bytes, md5 }) => constantFile(filePath(md5), bytes)),
    listing: constantFile(filePath(`${await md5Hex(listing)}.dir`), listing),
  };
}

export function constantFile(path: string, bytes: Uint8Array): PlannedFile {
  return { path, size: bytes.byteLength, bytes };
}

import { kerasWeightsFile } from '../exchange/keras/keras-weights-file';
import { WEIGHTS_FILE, modelTexts } from '../exchange/model-files';
import type { ModelSource } from '../exchange/model-metadata';
import { utf8Bytes } from '../hash/bytes';
import { dvcDirText } from '../hash/dvc';
import { md5Hex } from '../hash/md5';
import { filePath } from './layout';
import type { PlannedFile } from './push-plan';

/**
 * The model files of "Download as DVC project" as DVC keeps them on a remote:
 * model/'s two text files under their md5 and the folder's `.dir` listing, so
 * `dvc pull` of that project's model.dvc finds it (the weights are pushed with
 * the other files already), and model.weights.h5 under its md5 for
 * model.weights.h5.dvc (written as the export writes it: the same bytes).
 */
export async function modelFolderFiles(
  source: ModelSource,
  weights: { md5: string; bytes: Uint8Array },
): Promise<{ bytes: PlannedFile[]; listing: PlannedFile }> {
  const texts = modelTexts(source);
  const named = await Promise.all(
    (['model.json', 'metadata.json'] as const).map(async (relpath) => {
      const bytes = utf8Bytes(texts[relpath]);
      return { relpath, bytes, md5: await md5Hex(bytes) };
    }),
  );
  const listing = utf8Bytes(dvcDirText([...named, { relpath: WEIGHTS_FILE, md5: weights.md5 }]));
  const keras = await kerasWeightsFile(source, weights.bytes, new Date(source.version.createdAt));
  return {
    bytes: [...named.map(({ bytes, md5 }) => constantFile(filePath(md5), bytes)), ...(keras ? [constantFile(filePath(await md5Hex(keras)), keras)] : [])],
    listing: constantFile(filePath(`${await md5Hex(listing)}.dir`), listing),
  };
}

export function constantFile(path: string, bytes: Uint8Array): PlannedFile {
  return { path, size: bytes.byteLength, bytes };
}

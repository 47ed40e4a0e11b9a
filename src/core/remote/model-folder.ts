import { kerasWeightsFile } from '../exchange/keras/keras-weights-file';
import { WEIGHTS_FILE, exportedModel, modelTexts } from '../exchange/model-files';
import type { Store } from '../store';
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
 * model.dvc finds it. The weights are pushed with the other files already,
 * except a head on pretrained features joined with its backbone: those joined
 * weights are made here and pushed with the folder. model.weights.h5 goes
 * under its md5 too, as the export writes it, for model.weights.h5.dvc.
 */
export async function modelFolderFiles(store: Store, source: ModelSource, weightsMd5: string): Promise<{ bytes: PlannedFile[]; listing: PlannedFile }> {
  const exported = await exportedModel(store, source);
  const texts = modelTexts(exported.source);
  const named = await Promise.all(
    (['model.json', 'metadata.json'] as const).map(async (relpath) => {
      const bytes = utf8Bytes(texts[relpath]);
      return { relpath, bytes, md5: await md5Hex(bytes) };
    }),
  );
  const weights = source.model.features ? { bytes: exported.weights, md5: await md5Hex(exported.weights) } : null;
  const listing = utf8Bytes(dvcDirText([...named, { relpath: WEIGHTS_FILE, md5: weights?.md5 ?? weightsMd5 }]));
  const kerasBytes = await kerasWeightsFile(exported.source, exported.weights, new Date(source.version.createdAt));
  const keras = kerasBytes ? { bytes: kerasBytes, md5: await md5Hex(kerasBytes) } : null;
  return {
    bytes: [...named, ...(weights ? [weights] : []), ...(keras ? [keras] : [])].map(({ bytes, md5 }) => constantFile(filePath(md5), bytes)),
    listing: constantFile(filePath(`${await md5Hex(listing)}.dir`), listing),
  };
}

export function constantFile(path: string, bytes: Uint8Array): PlannedFile {
  return { path, size: bytes.byteLength, bytes };
}

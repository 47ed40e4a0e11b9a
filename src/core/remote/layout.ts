import { dvcCachePath } from '../hash/dvc';

/**
 * Where things live on a remote. Blob bytes and data sets' `.dir` listings use
 * DVC's own remote layout, so `dvc pull` from the same folder or URL finds them;
 * Pawprint's records sit beside it under `pawprint/`:
 *
 *   files/md5/<2 hex>/<30 hex>         a file's bytes (a data file, weights, model.json, metadata.json)
 *   files/md5/<2 hex>/<30 hex>.dir     a .dir listing (DVC's JSON) of a data set or of the model/
 *                                      folder "Download as DVC project" tracks in model.dvc
 *   pawprint/objects/<sha256>.json     a data set, model or version object (canonical JSON)
 *   pawprint/index.json                the remote's timeline: versions, tags, HEAD
 *
 * Objects are written before the index, so an interrupted push leaves a remote
 * whose index names only versions that are complete.
 */
export const INDEX_PATH = 'pawprint/index.json';

/** `files/md5/ab/cdef…` for an md5, `…/cdef….dir` for a `<md5>.dir` hash. */
export function filePath(md5OrDirHash: string): string {
  return dvcCachePath(md5OrDirHash);
}

export function objectPath(id: string): string {
  return `pawprint/objects/${id}.json`;
}

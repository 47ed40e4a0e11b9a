import type { PawprintObject } from './types';

/**
 * What an object points at: blobs by sha256, other objects by id. No duplicates.
 * `objects` are strong references (the object cannot be read without them;
 * gc keeps them alive); `weakObjects` are history only (a version's parent):
 * deleting a version frees what only it held even when a later version still
 * names it as its parent.
 */
export interface References {
  blobs: string[];
  objects: string[];
  weakObjects: string[];
}

export function referencesOf(obj: PawprintObject): References {
  switch (obj.kind) {
    case 'dataset':
      return { blobs: [...new Set(obj.entries.map((entry) => entry.sha256))], objects: [], weakObjects: [] };
    case 'model':
      // A head cannot run without its backbone: a strong reference, kept and pushed with it.
      return { blobs: [obj.weights], objects: obj.features ? [obj.features.backbone] : [], weakObjects: [] };
    case 'version': {
      const objects = [obj.dataset, obj.model].filter((id): id is string => id !== null);
      return { blobs: [], objects, weakObjects: obj.parent === null ? [] : [obj.parent] };
    }
    // History: deleting a version that once held a stage frees it (one that holds one now is refused).
    case 'assignment':
      return { blobs: [], objects: [], weakObjects: [obj.version] };
    // A batch is about its version's model; deleting the version deletes its records (their refs) too.
    case 'monitoring':
      return { blobs: [...new Set(obj.predictions.map((prediction) => prediction.sha256))], objects: [obj.version, obj.model], weakObjects: [] };
    case 'feedback':
      return { blobs: [...new Set(obj.items.map((item) => item.sha256))], objects: [], weakObjects: [] };
  }
}

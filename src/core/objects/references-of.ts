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
  }
}

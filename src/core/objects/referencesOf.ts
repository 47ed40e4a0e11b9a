import type { PawprintObject } from './types';

/** What an object points at: blobs by sha256, other objects by id. No duplicates. */
export interface References {
  blobs: string[];
  objects: string[];
}

export function referencesOf(obj: PawprintObject): References {
  switch (obj.kind) {
    case 'dataset':
      return { blobs: [...new Set(obj.entries.map((entry) => entry.sha256))], objects: [] };
    case 'model':
      return { blobs: [obj.weights], objects: [] };
    case 'version': {
      const objects = [obj.parent, obj.dataset, obj.model].filter((id): id is string => id !== null);
      return { blobs: [], objects: [...new Set(objects)] };
    }
  }
}

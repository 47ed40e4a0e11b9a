import type { ImageType } from './types';

/** Quoted paths for a sentence, the first few only: "a.jpg", "b.jpg" and 3 more. */
export function listPaths(paths: readonly string[], shown = 3): string {
  const quoted = paths.slice(0, shown).map((path) => `"${path}"`);
  const rest = paths.length - quoted.length;
  if (rest > 0) return `${quoted.join(', ')} and ${rest} more`;
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : quoted.join('');
}

const IMAGE_TYPE_NAMES: Record<ImageType, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/bmp': 'BMP',
};

/** "JPEG", "PNG", … */
export function imageTypeName(type: ImageType): string {
  return IMAGE_TYPE_NAMES[type];
}

// Shared vocabulary of the ingest code.

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/bmp';

/** A file as the user gave it (a drop, the "Add images" or "Add folder" input), with the path it had in their folder or zip ("/"-separated). */
export interface DroppedFile {
  path: string;
  blob: Blob;
}

/** A file the ingest could not take, with a sentence the user can act on. */
export interface PathWithReason {
  path: string;
  reason: string;
}

export interface ImageSize {
  width: number;
  height: number;
}

// Shared vocabulary of the ingest code. `Split` is identical to the one in
// src/core/objects so the two can be unified later.
export type Split = 'train' | 'validation' | 'test';

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/bmp';

/** A file the ingest could not take, with a sentence the user can act on. */
export interface PathWithReason {
  path: string;
  reason: string;
}

export interface ImageSize {
  width: number;
  height: number;
}

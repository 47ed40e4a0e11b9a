/** Largest width or height accepted; bigger images are rejected before any decode. */
export const MAX_IMAGE_SIDE = 16_384;
/** Largest pixel count accepted (a decoded RGBA copy of this is 400 MB). */
export const MAX_IMAGE_PIXELS = 100_000_000;
/** Longest accepted path, in UTF-8 bytes (Linux PATH_MAX). */
export const MAX_PATH_BYTES = 4096;

/** Why an image of this size is refused, or null when it is within the limits. */
export function oversizeReason(width: number, height: number): string | null {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    return (
      `image is too large (${width}×${height} pixels; the limit is ${MAX_IMAGE_SIDE} pixels ` +
      `per side and ${MAX_IMAGE_PIXELS / 1_000_000} megapixels)`
    );
  }
  return null;
}

import { sniffImage, SNIFF_HEAD_BYTES } from '../../core/dataset/sniff';

/**
 * A small copy of an image for the page to show: decoded and scaled in one
 * step here (createImageBitmap), to fit in size×size with its shape kept and
 * never enlarged, and encoded as PNG (alpha kept, and 2–3× faster to encode
 * than WebP here). The page's main thread then never reads the stored bytes
 * (a slice of a pack file costs it a synchronous look at the file) nor
 * decodes a full-size image.
 */
export async function makeThumbnail(blob: Blob, size: number): Promise<Blob> {
  const original = sniffImage(new Uint8Array(await blob.slice(0, SNIFF_HEAD_BYTES).arrayBuffer()));
  if (!original) throw new Error('not an image this browser can show');
  const scale = Math.min(1, size / Math.max(original.width, original.height));
  const width = Math.max(1, Math.round(original.width * scale));
  const height = Math.max(1, Math.round(original.height * scale));
  const bitmap = await createImageBitmap(blob, { resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' });
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('bitmaprenderer');
  if (!context) {
    bitmap.close();
    throw new Error('this browser cannot draw images off-screen');
  }
  context.transferFromImageBitmap(bitmap);
  return canvas.convertToBlob({ type: 'image/png' });
}

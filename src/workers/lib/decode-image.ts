import { sniffImage, SNIFF_HEAD_BYTES } from '../../core/dataset/sniff';
import type { DecodeImage } from '../../core/preprocess/pixels';

// One canvas per size for every image: from here to getImageData nothing
// awaits, so concurrent decodes never share it at once, and a new canvas and
// context per image cost more than drawing the image.
let shared: OffscreenCanvasRenderingContext2D | undefined;

function canvasOf(size: number): OffscreenCanvasRenderingContext2D {
  if (shared?.canvas.width !== size) {
    const context = new OffscreenCanvas(size, size).getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser cannot draw images off-screen');
    shared = context;
  }
  return shared;
}

/**
 * Browser decoder for the pixel cache. createImageBitmap decodes and resizes in
 * one step off this thread (a JPEG can be scaled while it is decoded), squashing
 * to a square as Keras' image_dataset_from_directory does; the canvas then
 * composites transparency over white so cut-out photos keep their shape. The
 * original size comes from the header, for the validation report.
 */
export const decodeImage: DecodeImage = async (blob, size) => {
  const [bitmap, head] = await Promise.all([
    createImageBitmap(blob, { resizeWidth: size, resizeHeight: size, resizeQuality: 'high' }),
    blob.slice(0, SNIFF_HEAD_BYTES).arrayBuffer(),
  ]);
  try {
    const context = canvasOf(size);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, size, size);
    context.drawImage(bitmap, 0, 0);
    const original = sniffImage(new Uint8Array(head));
    return { rgba: context.getImageData(0, 0, size, size).data, width: original?.width ?? size, height: original?.height ?? size };
  } finally {
    bitmap.close();
  }
};

import type { DecodeImage } from '../../core/preprocess/pixels';

/**
 * Browser decoder for the pixel cache. The image is squashed to a square (as
 * Keras' image_dataset_from_directory does) with high-quality smoothing, over
 * a white background so transparent cut-out photos keep their shape.
 */
export const decodeImage: DecodeImage = async (blob, size) => {
  const bitmap = await createImageBitmap(blob);
  try {
    const canvas = new OffscreenCanvas(size, size);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser cannot draw images off-screen');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, size, size);
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, 0, 0, size, size);
    return { rgba: context.getImageData(0, 0, size, size).data, width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
};

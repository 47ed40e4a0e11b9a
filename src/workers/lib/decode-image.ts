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
 * size×size RGBA of an image, a video frame or a bitmap, as Pawprint feeds its models.
 * createImageBitmap resizes in one step off this thread (a JPEG can be scaled while it is
 * decoded), squashing to a square as Keras' image_dataset_from_directory does; the canvas then
 * composites transparency over white so cut-out photos keep their shape. Training, "Classify an
 * image", batch predict and the deployed app's file and camera input all prepare images here.
 */
export async function squareRgba(source: ImageBitmapSource, size: number): Promise<Uint8ClampedArray> {
  const bitmap = await createImageBitmap(source, { resizeWidth: size, resizeHeight: size, resizeQuality: 'high' });
  try {
    const context = canvasOf(size);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, size, size);
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, size, size).data;
  } finally {
    bitmap.close();
  }
}

/** Browser decoder for the pixel cache: squareRgba of the file, with its original size from the header (for the validation report). */
export const decodeImage: DecodeImage = async (blob, size) => {
  const [rgba, head] = await Promise.all([squareRgba(blob, size), blob.slice(0, SNIFF_HEAD_BYTES).arrayBuffer()]);
  const original = sniffImage(new Uint8Array(head));
  return { rgba, width: original?.width ?? size, height: original?.height ?? size };
};

import { versionsWorker } from './workers';

/** Offers text or bytes as a file download, the way a server response would. */
export function download(name: string, content: BlobPart, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Download ONNX": model.onnx of a version's model, or a sentence saying why there is none (nothing downloaded). */
export async function downloadOnnx(versionId: string): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await versionsWorker.exportOnnx(versionId);
  } catch (error) {
    throw new Error(`ONNX not written: ${(error as Error).message} Nothing was downloaded.`);
  }
  download('model.onnx', bytes as Uint8Array<ArrayBuffer>, 'application/octet-stream');
}

/** The three files of a tfjs model, as "Download model" gives them. */
export function downloadModelFiles(files: { 'model.json': string; 'weights.bin': Uint8Array; 'metadata.json': string }): void {
  download('model.json', files['model.json'], 'application/json');
  download('weights.bin', files['weights.bin'] as Uint8Array<ArrayBuffer>, 'application/octet-stream');
  download('metadata.json', files['metadata.json'], 'application/json');
}

/** A download's name from a version's label: "v1.0" → "pawprint-v1.0", a message → a safe file name. */
export function downloadName(label: string): string {
  return `pawprint-${label.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'version'}`;
}

/**
 * Turns a failure during training into a sentence with a way forward. GPU
 * memory and lost devices are the failures a user can act on.
 */
export function describeTrainingError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/out of memory|OOM|allocation|exceeds the size limit|Failed to allocate/i.test(message)) {
    return `Training ran out of GPU memory (${message}). Try a smaller batch size or image size, or another backend.`;
  }
  if (/device (was )?lost|context lost|CONTEXT_LOST|GPUDevice/i.test(message)) {
    return `The GPU stopped responding during training (${message}). Nothing was saved. Try again, or choose another backend.`;
  }
  return message;
}

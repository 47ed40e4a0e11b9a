import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';

export type BackendName = 'webgpu' | 'webgl' | 'cpu';

/** DESIGN.md's preference: the GPU through WebGPU first, then WebGL, then plain JS. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

/**
 * Activates the first backend of `order` that initialises here and returns its name.
 * tfjs only reports failure through setBackend's boolean (or a throw), so try each in turn.
 */
export async function activateBackend(order: readonly BackendName[] = BACKEND_ORDER): Promise<BackendName> {
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // Not available in this browser or context: try the next one.
    }
  }
  throw new Error(`None of the tfjs backends ${order.join(', ')} could start in this browser.`);
}

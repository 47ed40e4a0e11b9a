import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { BACKEND_ORDER, type BackendName } from './backend-names';

/**
 * Activates one backend and says whether it started. tfjs reports failure
 * through setBackend's boolean or a throw, depending on the backend.
 */
export async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Activates the first backend of `order` that starts here and returns its name. */
export async function activateBackend(order: readonly BackendName[] = BACKEND_ORDER): Promise<BackendName> {
  for (const name of order) if (await tryBackend(name)) return name;
  throw new Error(`None of the tfjs backends ${order.join(', ')} could start in this browser.`);
}

/** The backends that start in this browser, in preference order (leaves the last one active). */
export async function availableBackends(order: readonly BackendName[] = BACKEND_ORDER): Promise<BackendName[]> {
  const available: BackendName[] = [];
  for (const name of order) if (await tryBackend(name)) available.push(name);
  return available;
}

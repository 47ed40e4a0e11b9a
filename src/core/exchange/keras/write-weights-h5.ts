import type { H5Group } from './keras-weights';

export const KERAS_WEIGHTS_FILE = 'model.weights.h5';

let files = 0;

/**
 * Writes the groups as an HDF5 file with h5wasm (HDF5's own C library, built
 * to WebAssembly; loaded on first use, as it is 4 MB). HDF5 stamps objects
 * with the time, so the clock reads `time` while the file is written: the same
 * version always gives the same bytes (and the same md5 in model.weights.h5.dvc).
 */
export async function writeWeightsH5(groups: readonly H5Group[], time: Date): Promise<Uint8Array> {
  const h5wasm = await import('h5wasm');
  await h5wasm.ready;
  const path = `/pawprint-weights-${++files}.h5`;
  const now = Date.now;
  Date.now = () => time.getTime();
  try {
    const file = new h5wasm.File(path, 'w');
    try {
      for (const group of groups) {
        let node: InstanceType<typeof h5wasm.Group> = file;
        // h5wasm makes one level at a time.
        for (const part of group.path.split('/')) node = (node.get(part) as InstanceType<typeof h5wasm.Group> | null) ?? node.create_group(part);
        for (const { name, weight } of group.datasets) node.create_dataset({ name, data: weight.values, shape: weight.shape, dtype: '<f' });
      }
    } finally {
      file.close();
    }
    return h5wasm.FS!.readFile(path);
  } finally {
    Date.now = now;
    h5wasm.FS?.unlink(path);
  }
}

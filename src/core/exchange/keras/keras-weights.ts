import type { LayerWeight, ModelGraph } from '../model-graph';

/** One HDF5 group of model.weights.h5 and the datasets in it (`0`, `1`, … in the layer's variable order). */
export interface H5Group {
  path: string;
  datasets: { name: string; weight: LayerWeight }[];
}

/**
 * The groups Keras 3's `model.save_weights("model.weights.h5")` writes for the
 * same model: the model's own (empty) `vars`, then `layers/<name>/vars` per
 * layer, every layer named by its class in snake case, numbered from the
 * second of a class on (`conv2d`, `conv2d_1`, …: saving_lib's container
 * naming, not the layers' own names), with its variables as datasets `0`,
 * `1`, … in Keras' order — trainable, then not (`kernel`, `bias`; `gamma`,
 * `beta`, `moving_mean`, `moving_variance`), which is tfjs' order too. A
 * functional model lists its input layer first, as Keras' `model.layers` does.
 */
export function kerasWeightGroups(graph: ModelGraph): H5Group[] {
  const layers = [...(graph.kind === 'functional' ? [{ className: 'InputLayer', weights: [] as LayerWeight[] }] : []), ...graph.layers];
  const used = new Map<string, number>();
  const groups: H5Group[] = [{ path: 'vars', datasets: [] }];
  for (const layer of layers) {
    const base = snakeCase(layer.className);
    const count = used.get(base);
    used.set(base, (count ?? -1) + 1);
    const name = count === undefined ? base : `${base}_${count + 1}`;
    groups.push({ path: `layers/${name}/vars`, datasets: layer.weights.map((weight, i) => ({ name: String(i), weight })) });
  }
  return groups;
}

/** Keras' naming.to_snake_case: "MaxPooling2D" → "max_pooling2d", "ReLU" → "re_lu". */
export function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * A feature layer names one layer of a backbone, or several joined by "+" whose outputs
 * (each averaged over its positions when it gives a map) are put side by side: a mid-level
 * layer next to the last one gives a head both kinds of features from one pass.
 */
export const FEATURE_LAYER_JOIN = '+';

/**
 * The layers a feature layer names, in order. A name the backbone has as it is wins (a layer
 * may have "+" in its name); otherwise every part must be a layer. Throws naming what is missing.
 */
export function featureLayerParts(layer: string, has: (name: string) => boolean): string[] {
  if (has(layer)) return [layer];
  const parts = layer.split(FEATURE_LAYER_JOIN);
  const missing = parts.length > 1 ? parts.filter((part) => !has(part)) : [layer];
  if (missing.length > 0) throw new Error(`The backbone has no layer named “${missing[0]}”.`);
  if (new Set(parts).size !== parts.length) throw new Error(`The feature layer “${layer}” names a layer twice.`);
  return parts;
}

/** How the page names a feature layer: "layer x (…)", or "layers x and y side by side (…)". */
export function describeFeatureLayer(layer: string, has: (name: string) => boolean): string {
  let parts = [layer];
  try {
    parts = featureLayerParts(layer, has);
  } catch {
    // Named as it is: the run itself says what is wrong with it.
  }
  if (parts.length === 1) return `layer ${parts[0]} (averaged over its positions when it gives a map)`;
  return `layers ${parts.slice(0, -1).join(', ')} and ${parts.at(-1)} side by side (each averaged over its positions when it gives a map)`;
}

/** The layers of a Keras model config in order (all but the input), or a graph's node names. */
export function featureLayers(topology: unknown): string[] {
  type Keras = { config?: { layers?: { name?: unknown; class_name?: unknown; config?: { name?: unknown } }[] } };
  const keras = topology as Keras & { model_config?: Keras };
  const config = (keras.model_config ?? keras).config;
  // A functional model names its layers at the top, a Sequential one in each layer's config.
  if (config?.layers) return config.layers.filter((layer) => layer.class_name !== 'InputLayer').map((layer) => String(layer.name ?? layer.config?.name));
  const nodes = (topology as { node?: { name?: unknown; op?: unknown }[] }).node ?? [];
  return nodes.filter((node) => node.op !== 'Const' && node.op !== 'Placeholder').map((node) => String(node.name));
}

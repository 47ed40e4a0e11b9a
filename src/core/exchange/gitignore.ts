import { PROJECT } from './layout';

/**
 * The .gitignore DVC would have written: one `/<path>` line per output it
 * caches (`dvc add data`, `dvc add model`, `dvc add model.weights.h5`, and
 * model.pt once `dvc repro` runs),
 * so git never takes the big files DVC tracks.
 */
export function gitignoreText(hasModel: boolean, options: { pretrained?: boolean; kerasWeights?: boolean } = {}): string {
  const paths = [
    PROJECT.data,
    ...(hasModel ? [PROJECT.model] : []),
    ...(options.kerasWeights ? [PROJECT.kerasWeights] : []),
    ...(options.pretrained ? [PROJECT.bottleneck, PROJECT.features] : []),
    PROJECT.torchModel,
  ];
  return paths.map((path) => `/${path}\n`).join('');
}

import { PROJECT } from './layout';

/**
 * The .gitignore DVC would have written: one `/<path>` line per output it
 * caches (`dvc add data`, `dvc add model`, and model.pt once `dvc repro` runs),
 * so git never takes the big files DVC tracks.
 */
export function gitignoreText(hasModel: boolean, pretrained = false): string {
  const paths = [PROJECT.data, ...(hasModel ? [PROJECT.model] : []), ...(pretrained ? [PROJECT.bottleneck, PROJECT.features] : []), PROJECT.torchModel];
  return paths.map((path) => `/${path}\n`).join('');
}

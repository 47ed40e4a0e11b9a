import { formatBytes } from '../format/bytes';
import type { Dataset, Version } from '../objects/types';
import { classNamesOf } from '../train/split';
import { PROJECT } from './layout';

export interface ReadmeFacts {
  versionId: string;
  version: Version;
  dataset: Dataset;
  /** A head on pretrained features: two stages, features then train. */
  pretrained?: boolean;
  /** model.weights.h5 is in the project (a model with a Keras layer graph). */
  kerasWeights?: boolean;
}

/** README.md of the exported project: what each file is, and the commands that make it a working DVC repository. */
export function projectReadme({ versionId, version, dataset, pretrained = false, kerasWeights = false }: ReadmeFacts): string {
  const hasModel = version.model !== null;
  const short = versionId.slice(0, 8);
  const { md5, size, nfiles } = dataset.dvc;
  const files = [
    ['`data/`', 'the images, as `data/<split>/<class>/…` (split: train, validation, test)'],
    ['`data.dvc`', 'DVC\'s record of `data/`, byte for byte what `dvc add data` writes'],
    ...(hasModel
      ? [
          ['`model/`', 'the model trained in the browser: TensorFlow.js `model.json` + `weights.bin`, and `metadata.json` (labels, image size, preprocessing)'],
          ['`model.dvc`', 'DVC\'s record of `model/`'],
          ...(kerasWeights
            ? [
                ['`model.weights.h5`', 'the same weights as Keras 3 saves them (`model.save_weights`, as the DVC tutorial does): build the same layers in Keras and `model.load_weights("model.weights.h5")`'],
                ['`model.weights.h5.dvc`', 'DVC\'s record of `model.weights.h5`'],
              ]
            : []),
          ['`metrics.json`, `metrics.csv`', 'the browser\'s results: final figures, and one row per epoch'],
        ]
      : []),
    ['`params.yaml`', 'the training parameters (section `train`)'],
    ...(pretrained
      ? [
          ['`bottleneck/`', 'the bottleneck features the browser computed with the pretrained backbone (`backbone.json` says which): `features.npy`, one row per image, `images.txt`, each row\'s image sha256'],
          ['`bottleneck.dvc`', 'DVC\'s record of `bottleneck/`'],
          ['`dvc.yaml`', `two stages, as the DVC tutorial's train.py: \`features\` (\`python features.py\`: the rows per split, as the browser trained on them, into \`features/\`) and \`train\` (\`python train.py\`: the dense head on them, writing \`${PROJECT.torchModel}\`, \`metrics.json\` and \`metrics.csv\`)`],
          ['`features.py`, `train.py`', 'the two steps in Python: features per split, then the same head and training in PyTorch'],
        ]
      : [
          ['`dvc.yaml`', `the \`train\` stage: \`python train.py\` on \`data/\` and \`params.yaml\`, writing \`${PROJECT.torchModel}\`, \`metrics.json\` and \`metrics.csv\``],
          ...(hasModel
            ? [
                ['`model.pt`', 'the same model as PyTorch weights, as `train.py` writes them (`torch.load`, then `ReferenceConvnet.load_state_dict`)'],
                ['`dvc.lock`', 'what the browser ran, in DVC\'s format: the hashes of `data/`, `train.py`, the params and the outputs, so `dvc status` says "Data and pipelines are up to date"'],
              ]
            : []),
          ['`train.py`', 'the same convnet, preprocessing and training in PyTorch'],
        ]),
  ];
  const lines = [
    `# ${version.message || `Pawprint version ${short}`}`,
    '',
    `Exported from Pawprint: version \`${versionId}\`, made ${version.createdAt}.`,
    '',
    `Data: ${nfiles} files, ${formatBytes(size)}, classes ${classNamesOf(dataset.entries).join(', ')}; DVC hash \`${md5}\`.`,
    ...(hasModel ? [`Model: ${String(version.params['architecture'])}; ${describeMetrics(version.metrics)}.`] : [
      'This version holds data only: `dvc repro` trains a first model with the default parameters in `params.yaml`.',
    ]),
    '',
    '| file | what it is |',
    '| --- | --- |',
    ...files.map(([file, what]) => `| ${file} | ${what} |`),
    '',
    '## Use it',
    '',
    'You need git, DVC and Python 3 with torch, numpy, pillow and pyyaml',
    '(`pip install dvc torch numpy pillow pyyaml`; on Debian `apt install python3-torch python3-pil`).',
    '',
    '```sh',
    'git init && dvc init        # make this folder a git + DVC repository',
    `git add -A && git commit -m "Pawprint version ${short}"`,
    pretrained
      ? 'dvc repro                   # caches data/, model/ and bottleneck/, runs features.py then train.py'
      : hasModel
        ? 'dvc commit -f               # puts data/, model/ and model.pt in DVC\'s cache, as the .dvc files and dvc.lock record them\ndvc status                  # Data and pipelines are up to date: dvc.lock records the browser\'s run\ndvc repro --force           # retrains in PyTorch (plain `dvc repro` runs only what changed)'
        : 'dvc repro                   # caches data/, runs train.py',
    '```',
    '',
    pretrained ? 'Without DVC, `python features.py && python train.py` trains all the same.' : 'Without DVC, `python train.py` trains all the same.',
    '',
    ...(hasModel ? ['After `dvc repro`, `dvc metrics diff` compares PyTorch\'s figures with the browser\'s (the commit above), and `dvc plots diff` their learning curves.'] : []),
    'Change `params.yaml` and run `dvc repro` again, or try `dvc exp run -S train.epochs=20`.',
  ];
  return lines.map((line) => `${line}\n`).join('');
}

/** "accuracy 0.9, val_loss 0.3412" */
function describeMetrics(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${Number(value.toFixed(4))}`)
    .join(', ');
}

import { formatBytes } from '../format/bytes';
import type { Dataset, Version } from '../objects/types';
import { classNamesOf } from '../train/split';
import { PROJECT } from './layout';

export interface ReadmeFacts {
  versionId: string;
  version: Version;
  dataset: Dataset;
  /** A head on pretrained features: its features stage comes before train. */
  pretrained?: boolean;
  /** model.weights.h5 is in the project (a model with a Keras layer graph). */
  kerasWeights?: boolean;
  /** Which of the stages' outputs the export holds as the page computed them; `lock`: dvc.lock records them all. */
  outputs?: { torchModel: boolean; evaluation: boolean; lock: boolean };
}

/** README.md of the exported project: what each file is, and the commands that make it a working DVC repository. */
export function projectReadme({ versionId, version, dataset, pretrained = false, kerasWeights = false, outputs = NO_OUTPUTS }: ReadmeFacts): string {
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
    [
      '`dvc.yaml`',
      `the page's pipeline: \`data.dvc\` is its import (\`dvc add data\`, no stage); \`validate\` (\`python validate.py\`, writing \`${PROJECT.validation}\`); ${
        pretrained
          ? "`features`, the preprocessing (`python features.py`: the rows per split, as the browser trained on them, into `features/`); `train` (`python train.py`: the dense head on them"
          : '`train` (`python train.py`, which decodes and resizes the images itself, as the browser\'s training does'
      }, writing \`${PROJECT.torchModel}\`, \`metrics.json\` and \`metrics.csv\`); \`evaluate\` (\`python evaluate.py\`: \`${PROJECT.torchModel}\` on the validation split, writing \`${PROJECT.evaluation}\`)`,
    ],
    ...(pretrained
      ? [
          ['`bottleneck/`', 'the bottleneck features the browser computed with the pretrained backbone (`backbone.json` says which): `features.npy`, one row per image, `images.txt`, each row\'s image sha256'],
          ['`bottleneck.dvc`', 'DVC\'s record of `bottleneck/`'],
          ['`features/`', 'the `features` stage\'s output as the browser trained on it, byte for byte what `features.py` writes'],
          ['`features.py`, `train.py`', 'the two steps in Python: features per split, then the same head and training in PyTorch'],
        ]
      : [['`train.py`', 'the same convnet, preprocessing and training in PyTorch']]),
    ['`validate.py`, `validation.json`', 'the data checks the browser makes: images per split and class, exact duplicates, the same image under two labels, in train and validation (leakage), files that do not decode'],
    ['`evaluate.py`', `${PROJECT.torchModel} on the validation split: the confusion matrix and accuracy, as \`${PROJECT.evaluation}\` (a DVC metric)`],
    ...(outputs.torchModel
      ? [['`model.pt`', pretrained ? 'the head as PyTorch weights, as `train.py` writes them (`torch.load`, then `Head.load_state_dict`)' : 'the same model as PyTorch weights, as `train.py` writes them (`torch.load`, then `ReferenceConvnet.load_state_dict`)']]
      : []),
    ...(outputs.evaluation ? [['`evaluation.json`', 'the browser\'s evaluation on the validation split']] : []),
    ...(outputs.lock
      ? [['`dvc.lock`', 'what the browser ran, in DVC\'s format: the hashes of every stage\'s deps, params and outputs, so `dvc status` says "Data and pipelines are up to date"']]
      : []),
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
    outputs.lock
      ? `dvc commit -f               # puts data/, model/, model.pt${pretrained ? ', bottleneck/ and features/' : ''} in DVC's cache, as the .dvc files and dvc.lock record them\ndvc status                  # Data and pipelines are up to date: dvc.lock records the browser's run\ndvc repro --force           # reruns every stage in Python (plain \`dvc repro\` runs only what changed)`
      : `dvc repro                   # caches data/, runs validate.py, ${pretrained ? 'features.py, ' : ''}train.py and evaluate.py`,
    '```',
    '',
    `Without DVC, \`python validate.py && ${pretrained ? 'python features.py && ' : ''}python train.py && python evaluate.py\` runs the same stages.`,
    '',
    ...(hasModel ? ['After `dvc repro`, `dvc metrics diff` compares PyTorch\'s figures with the browser\'s (the commit above), and `dvc plots diff` their learning curves.'] : []),
    'Change `params.yaml` and run `dvc repro` again, or try `dvc exp run -S train.epochs=20`.',
  ];
  return lines.map((line) => `${line}\n`).join('');
}

const NO_OUTPUTS = { torchModel: false, evaluation: false, lock: false };

/** "accuracy 0.9, val_loss 0.3412" */
function describeMetrics(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${Number(value.toFixed(4))}`)
    .join(', ');
}

import { canonicalJson } from '../objects/canonical-json';
import { pretrainedSize, type FormBackbone } from '../train/params-form';
import type { Architecture, TrainParams } from '../train/params';

/** The values chosen for each training parameter: the grid is every combination of them. */
export interface GridChoices {
  architecture: Architecture[];
  imageSize: number[];
  learningRate: number[];
  epochs: number[];
  batchSize: number[];
  flip: boolean[];
  shift: boolean[];
  seed: number[];
}

/** The numeric fields of a grid, in the order their loops nest (the last varies fastest). */
export const GRID_NUMBERS = ['imageSize', 'learningRate', 'epochs', 'batchSize', 'seed'] as const;

/** One run of the form: each field's single current value. */
export function choicesOf(params: TrainParams): GridChoices {
  return {
    architecture: [params.architecture],
    imageSize: [params.imageSize],
    learningRate: [params.learningRate],
    epochs: [params.epochs],
    batchSize: [params.batchSize],
    flip: [params.augment.flip],
    shift: [params.augment.shift],
    seed: [params.seed],
  };
}

/**
 * Every combination of the choices, as training parameters, in nesting order
 * (model, image size, learning rate, epochs, batch size, flip, shift, seed:
 * the seeds of one setting come together). Pretrained features take the
 * image size the form sets for them (else the backbone's default) and no
 * augmentation whatever the grid says (features are computed once per image),
 * so combinations that differ only there are one run. `base` gives what the grid does not vary (the hold-out) and the
 * backbone and layer of pretrained runs; without a backbone, pretrained runs
 * name none and paramsProblems says so.
 */
export function buildGrid(choices: GridChoices, base: TrainParams, backbone: FormBackbone | null): TrainParams[] {
  const runs = new Map<string, TrainParams>();
  const { backbone: _backbone, featureLayer: _featureLayer, ...common } = base;
  const asked = base.architecture === 'pretrained-features' ? base.imageSize : null;
  for (const architecture of choices.architecture) {
    const pretrained = architecture === 'pretrained-features';
    for (const imageSize of choices.imageSize) {
      for (const learningRate of choices.learningRate) {
        for (const epochs of choices.epochs) {
          for (const batchSize of choices.batchSize) {
            for (const flip of choices.flip) {
              for (const shift of choices.shift) {
                for (const seed of choices.seed) {
                  const shared = { ...common, architecture, learningRate, epochs, batchSize, seed };
                  const params: TrainParams = !pretrained
                    ? { ...shared, imageSize, augment: { flip, shift } }
                    : {
                        ...shared,
                        ...(backbone ? { backbone: backbone.id, featureLayer: base.featureLayer ?? backbone.layer, imageSize: pretrainedSize(backbone, asked) } : { imageSize: base.imageSize }),
                        augment: { flip: false, shift: false },
                      };
                  const key = canonicalJson(params);
                  if (!runs.has(key)) runs.set(key, params);
                }
              }
            }
          }
        }
      }
    }
  }
  return [...runs.values()];
}

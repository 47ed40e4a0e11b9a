import type { TrainParams } from './params';

/** The parameter inputs as a form holds them: a field left empty or not a number is null. */
export interface ParamsForm {
  imageSize: number | null;
  epochs: number | null;
  batchSize: number | null;
  learningRate: number | null;
  seed: number | null;
  flip: boolean;
  shift: boolean;
}

const FIELD_NAMES: Record<Exclude<keyof ParamsForm, 'flip' | 'shift'>, string> = {
  imageSize: 'Image size',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  seed: 'Seed',
};

export function formFromParams(params: TrainParams): ParamsForm {
  const { imageSize, epochs, batchSize, learningRate, seed } = params;
  return { imageSize, epochs, batchSize, learningRate, seed, flip: params.augment.flip, shift: params.augment.shift };
}

/** The parameters, or the sentences saying which fields are not numbers. */
export function paramsFromForm(form: ParamsForm, base: TrainParams): { params: TrainParams; problems: string[] } {
  const problems = (Object.keys(FIELD_NAMES) as (keyof typeof FIELD_NAMES)[])
    .filter((field) => form[field] === null || !Number.isFinite(form[field]))
    .map((field) => `${FIELD_NAMES[field]} must be a number.`);
  const number = (field: keyof typeof FIELD_NAMES) => form[field] ?? Number.NaN;
  return {
    params: {
      ...base,
      imageSize: number('imageSize'),
      epochs: number('epochs'),
      batchSize: number('batchSize'),
      learningRate: number('learningRate'),
      seed: number('seed'),
      augment: { flip: form.flip, shift: form.shift },
    },
    problems,
  };
}

import { ARCHITECTURES, DEFAULT_PARAMS, type Architecture, type TrainParams } from './params';

/** The parameter inputs as a form holds them: a field left empty or not a number is null. */
export interface ParamsForm {
  architecture: Architecture;
  /** Pretrained features: the chosen backbone's id and layer (null: the backbone's default layer). */
  backbone: string | null;
  featureLayer: string | null;
  imageSize: number | null;
  /** Pretrained features: the image size the backbone is fed (null: the backbone's default). */
  featureSize: number | null;
  epochs: number | null;
  batchSize: number | null;
  learningRate: number | null;
  seed: number | null;
  flip: boolean;
  shift: boolean;
}

/** What the form needs to know of the chosen backbone. */
export interface FormBackbone {
  id: string;
  /** Its default feature layer. */
  layer: string;
  /** Its default image size. */
  size: number;
  /** Whether it takes other image sizes. */
  resizable: boolean;
}

/** The image size a pretrained run feeds `backbone`: the one asked for if it takes other sizes, else its default. */
export function pretrainedSize(backbone: FormBackbone, asked: number | null): number {
  return (backbone.resizable ? asked : null) ?? backbone.size;
}

/** The Model select's words for each architecture, shown wherever a run's model is named. */
export const ARCHITECTURE_LABELS: Record<Architecture, string> = {
  'reference-convnet': 'Convnet from scratch',
  'pretrained-features': 'Pretrained features',
};

/** The label of a recorded architecture, or the recorded name itself when this Pawprint does not know it. */
export function architectureLabel(architecture: unknown): string {
  return (ARCHITECTURES as readonly unknown[]).includes(architecture) ? ARCHITECTURE_LABELS[architecture as Architecture] : String(architecture);
}

const FIELD_NAMES = {
  imageSize: 'Image size',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  seed: 'Seed',
} as const;

export function formFromParams(params: TrainParams): ParamsForm {
  const { architecture, imageSize, epochs, batchSize, learningRate, seed } = params;
  const pretrained = architecture === 'pretrained-features';
  return {
    architecture,
    backbone: params.backbone ?? null,
    featureLayer: params.featureLayer ?? null,
    imageSize: pretrained ? DEFAULT_PARAMS.imageSize : imageSize,
    featureSize: pretrained ? imageSize : null,
    epochs,
    batchSize,
    learningRate,
    seed,
    flip: params.augment.flip,
    shift: params.augment.shift,
  };
}

/**
 * The parameters, or the sentences saying which fields are not numbers. With
 * pretrained features the image size is the one set for them (the backbone's
 * default when none is, its own when it takes no other) and nothing is
 * augmented (features are computed once per image); without a backbone yet,
 * none is named and paramsProblems says so.
 */
export function paramsFromForm(form: ParamsForm, base: TrainParams, backbone: FormBackbone | null = null): { params: TrainParams; problems: string[] } {
  const pretrained = form.architecture === 'pretrained-features';
  const problems = (Object.keys(FIELD_NAMES) as (keyof typeof FIELD_NAMES)[])
    .filter((field) => !(pretrained && field === 'imageSize'))
    .filter((field) => form[field] === null || !Number.isFinite(form[field]))
    .map((field) => `${FIELD_NAMES[field]} must be a number.`);
  const number = (field: keyof typeof FIELD_NAMES) => form[field] ?? Number.NaN;
  const { backbone: _backbone, featureLayer: _featureLayer, ...common } = base;
  const shared = {
    ...common,
    architecture: form.architecture,
    epochs: number('epochs'),
    batchSize: number('batchSize'),
    learningRate: number('learningRate'),
    seed: number('seed'),
  };
  const params: TrainParams = !pretrained
    ? { ...shared, imageSize: number('imageSize'), augment: { flip: form.flip, shift: form.shift } }
    : backbone
      ? {
          ...shared,
          backbone: backbone.id,
          featureLayer: form.featureLayer ?? backbone.layer,
          imageSize: pretrainedSize(backbone, form.featureSize),
          augment: { flip: false, shift: false },
        }
      : { ...shared, imageSize: base.imageSize, augment: { flip: false, shift: false } };
  return { params, problems };
}

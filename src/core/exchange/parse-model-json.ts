import { parseJsonObject, readArray, readCount, readObject, readString } from './json-fields';
import { ModelImportError } from './model-import-error';

/** One weight of model.json's manifest, in the dtypes whose byte size is fixed. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; [key: string]: unknown };
}

/** What an import takes from model.json: the topology and the weights, which sit in one file. */
export interface ParsedModelJson {
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
}

const DTYPES: readonly string[] = ['float32', 'int32', 'bool'];
const QUANTIZED_DTYPES: readonly string[] = ['uint8', 'uint16', 'float16'];

/** Reads model.json as TensorFlow.js' LayersModel format with its weights in one file, as "Download model" writes it. */
export function parseModelJson(text: string): ParsedModelJson {
  const json = parseJsonObject(text, 'model.json');
  if (json['format'] !== 'layers-model') {
    const found = typeof json['format'] === 'string' ? `format “${json['format']}”` : 'no format';
    throw new ModelImportError(
      'wrong-format',
      `model.json has ${found}, not “layers-model”: Pawprint imports TensorFlow.js Layers models, as “Download model” writes them.`,
    );
  }
  const modelTopology = readObject(json['modelTopology'], 'model.json’s modelTopology');
  const groups = readArray(json['weightsManifest'], 'model.json’s weightsManifest').map((group, i) =>
    readObject(group, `model.json’s weightsManifest[${i}]`),
  );
  const paths = groups.flatMap((group, i) => readArray(group['paths'], `model.json’s weightsManifest[${i}].paths`));
  if (paths.length !== 1) {
    throw new ModelImportError(
      'wrong-format',
      `model.json keeps its weights in ${paths.length} files; Pawprint imports a model whose weights are in one file (weights.bin), as “Download model” writes it.`,
    );
  }
  const weightSpecs = groups.flatMap((group, i) =>
    readArray(group['weights'], `model.json’s weightsManifest[${i}].weights`).map((spec, j) => readWeightSpec(spec, `model.json’s weight ${i}.${j}`)),
  );
  return { modelTopology, weightSpecs };
}

export function readWeightSpec(value: unknown, where: string): WeightSpec {
  const spec = readObject(value, where);
  const name = readString(spec['name'], `${where}’s name`);
  const shape = readArray(spec['shape'], `${where} (${name}) shape`).map((n, i) => readCount(n, `${where} (${name}) shape[${i}]`));
  const dtype = readString(spec['dtype'], `${where} (${name}) dtype`);
  if (!DTYPES.includes(dtype)) {
    throw new ModelImportError('wrong-format', `model.json’s weight ${name} has dtype “${dtype}”; Pawprint imports float32, int32 and bool weights.`);
  }
  if (spec['quantization'] !== undefined) {
    const quantization = readObject(spec['quantization'], `${where} (${name}) quantization`);
    const quantized = readString(quantization['dtype'], `${where} (${name}) quantization dtype`);
    if (!QUANTIZED_DTYPES.includes(quantized)) {
      throw new ModelImportError('wrong-format', `model.json’s weight ${name} is quantized as “${quantized}”, which TensorFlow.js does not read.`);
    }
  }
  // The other fields (quantization's scale, a group) go to tfjs as they are.
  return { ...spec, name, shape, dtype } as WeightSpec;
}

import { zipSync, type Zippable } from 'fflate';
import { utf8Bytes } from '../hash/bytes';
import type { ModelRecord } from '../objects/types';
import { torchPickle, type TorchTensor } from './torch-pickle';

/**
 * The state dict's layers of train.py's module, in the order of the tfjs
 * weights (kernel, bias per layer): ReferenceConvnet's, or for a head on
 * pretrained features the Head of the pretrained project's train.py.
 */
const CONVNET_LAYERS = ['conv1', 'conv2', 'conv3', 'dense', 'output'];
const HEAD_LAYERS = ['dense', 'output'];

/**
 * The page's model as the model.pt train.py writes: a torch.save zip of
 * `{"state_dict", "class_names", "image_size"}` (a head: no image_size, it
 * takes features) whose state dict loads into train.py's module (tfjs kernels
 * [h, w, in, out] and [in, out] transposed to torch's [out, in, h, w] and
 * [out, in]). With it the export holds every output of the train stage, so
 * dvc.lock can record the run the page made. `weights` are the model's own (a
 * head's, not joined with its backbone). Null for any other model.
 */
export function modelPt(model: ModelRecord, weights: Uint8Array, date: Date): Uint8Array | null {
  const specs = model.weightSpecs as { name: string; shape: number[]; dtype?: string }[];
  const layers = model.features ? HEAD_LAYERS : model.architecture === 'reference-convnet' ? CONVNET_LAYERS : null;
  if (layers === null || specs.length !== layers.length * 2) return null;
  if (specs.some((spec) => (spec.dtype ?? 'float32') !== 'float32')) return null;
  if (weights.byteLength % 4 !== 0) return null;
  // A copy: the bytes may not start on a 4-byte boundary.
  const floats = new Float32Array(weights.slice().buffer);
  const entries: Zippable = Object.create(null) as Zippable;
  const stateDict: [string, TorchTensor][] = [];
  const storages: Uint8Array[] = [];
  let offset = 0;
  specs.forEach((spec, i) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const { shape, data } = toTorchLayout(spec.shape, floats.subarray(offset, offset + size));
    offset += size;
    const key = String(i);
    stateDict.push([`${layers[i >> 1]}.${i % 2 === 0 ? 'weight' : 'bias'}`, { shape, key }]);
    storages.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
  if (offset * 4 !== weights.byteLength) return null;
  entries['archive/data.pkl'] = torchPickle({
    entries: [
      ['state_dict', { ordered: true, entries: stateDict }],
      ['class_names', model.classNames],
      ...(model.features ? [] : [['image_size', model.inputShape[0]!] as [string, number]]),
    ],
  });
  storages.forEach((bytes, i) => (entries[`archive/data/${i}`] = bytes));
  entries['archive/version'] = utf8Bytes('3\n');
  return zipSync(entries, { level: 0, mtime: date });
}

/** A tfjs kernel in torch's layout (biases as they are); the bytes little-endian float32, as both store them. */
function toTorchLayout(shape: readonly number[], values: Float32Array): { shape: number[]; data: Float32Array } {
  if (shape.length === 2) {
    const [inputs, outputs] = shape as [number, number];
    const data = new Float32Array(values.length);
    for (let i = 0; i < inputs; i++) for (let o = 0; o < outputs; o++) data[o * inputs + i] = values[i * outputs + o]!;
    return { shape: [outputs, inputs], data };
  }
  if (shape.length === 4) {
    const [h, w, inputs, outputs] = shape as [number, number, number, number];
    const data = new Float32Array(values.length);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let i = 0; i < inputs; i++)
          for (let o = 0; o < outputs; o++) data[((o * inputs + i) * h + y) * w + x] = values[((y * w + x) * inputs + i) * outputs + o]!;
    return { shape: [outputs, inputs, h, w], data };
  }
  return { shape: [...shape], data: values.slice() };
}

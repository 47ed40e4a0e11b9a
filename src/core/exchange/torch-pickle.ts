import { utf8Bytes } from '../hash/bytes';

/** A float32 tensor of a PyTorch state dict: its shape (row-major, contiguous) and which storage holds it. */
export interface TorchTensor {
  shape: readonly number[];
  /** The storage's name in the archive (`data/<key>`). */
  key: string;
}

/** What the pickle holds: strings, small whole numbers, lists of strings, tensors, and dicts of them (OrderedDict when `ordered`). */
export type PickleValue = string | number | readonly string[] | TorchTensor | PickleDict;
export interface PickleDict {
  ordered?: boolean;
  entries: readonly (readonly [string, PickleValue])[];
}

/**
 * The pickle (protocol 2) torch.save writes as data.pkl, for the values a
 * checkpoint of train.py holds: each tensor is a call to
 * torch._utils._rebuild_tensor_v2 on a persistent id ('storage',
 * torch.FloatStorage, key, 'cpu', numel), which torch.load resolves to the
 * archive's `data/<key>`. Written opcode by opcode: the subset of pickle that
 * these values need, nothing that runs other code.
 */
export function torchPickle(value: PickleValue): Uint8Array {
  const out: number[] = [0x80, 2];
  write(out, value);
  out.push(0x2e); // STOP
  return Uint8Array.from(out);
}

const MARK = 0x28;
const TUPLE = 0x74;
const REDUCE = 0x52;

function write(out: number[], value: PickleValue): void {
  if (typeof value === 'string') writeString(out, value);
  else if (typeof value === 'number') writeInt(out, value);
  else if (Array.isArray(value)) {
    out.push(0x5d, MARK); // EMPTY_LIST, MARK
    for (const item of value as readonly string[]) writeString(out, item);
    out.push(0x65); // APPENDS
  } else if ('shape' in (value as object)) writeTensor(out, value as TorchTensor);
  else writeDict(out, value as PickleDict);
}

function writeDict(out: number[], dict: PickleDict): void {
  if (dict.ordered) {
    writeGlobal(out, 'collections', 'OrderedDict');
    out.push(0x29, REDUCE); // EMPTY_TUPLE, REDUCE: OrderedDict()
  } else out.push(0x7d); // EMPTY_DICT
  if (dict.entries.length === 0) return;
  out.push(MARK);
  for (const [key, value] of dict.entries) {
    writeString(out, key);
    write(out, value);
  }
  out.push(0x75); // SETITEMS
}

function writeTensor(out: number[], tensor: TorchTensor): void {
  const numel = tensor.shape.reduce((a, b) => a * b, 1);
  const strides = tensor.shape.map((_, i) => tensor.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  writeGlobal(out, 'torch._utils', '_rebuild_tensor_v2');
  out.push(MARK);
  // The storage, by persistent id.
  out.push(MARK);
  writeString(out, 'storage');
  writeGlobal(out, 'torch', 'FloatStorage');
  writeString(out, tensor.key);
  writeString(out, 'cpu');
  writeInt(out, numel);
  out.push(TUPLE, 0x51); // TUPLE, BINPERSID
  writeInt(out, 0); // storage offset
  writeTuple(out, tensor.shape);
  writeTuple(out, strides);
  out.push(0x89); // NEWFALSE: requires_grad
  writeDict(out, { ordered: true, entries: [] }); // backward hooks
  out.push(TUPLE, REDUCE);
}

function writeTuple(out: number[], numbers: readonly number[]): void {
  out.push(MARK);
  for (const n of numbers) writeInt(out, n);
  out.push(TUPLE);
}

function writeGlobal(out: number[], module: string, name: string): void {
  out.push(0x63, ...utf8Bytes(`${module}\n${name}\n`)); // GLOBAL
}

function writeString(out: number[], text: string): void {
  const bytes = utf8Bytes(text);
  out.push(0x58, ...uint32(bytes.length), ...bytes); // BINUNICODE
}

function writeInt(out: number[], n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`pickle: ${n} is not a whole number this writer takes`);
  if (n < 256) out.push(0x4b, n); // BININT1
  else out.push(0x4a, ...uint32(n)); // BININT
}

const uint32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

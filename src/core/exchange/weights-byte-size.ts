import type { WeightSpec } from './parse-model-json';

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** How many bytes the weights file of these specs holds: tfjs packs them one after another, quantized ones at their stored width. */
export function weightsByteSize(specs: readonly WeightSpec[]): number {
  return specs.reduce((total, spec) => {
    const elements = spec.shape.reduce((product, n) => product * n, 1);
    return total + elements * BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype]!;
  }, 0);
}

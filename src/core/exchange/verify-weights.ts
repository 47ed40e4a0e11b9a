import { sha256Hex } from '../hash/sha256';
import { groupDigits } from '../format/numbers';
import type { ModelMetadata } from './model-metadata';
import { ModelImportError } from './model-import-error';
import type { WeightSpec } from './parse-model-json';
import { weightsByteSize } from './weights-byte-size';

/** weights.bin is the file model.json's manifest describes and metadata.json recorded: same size, same SHA-256. */
export async function verifyWeights(weights: Uint8Array, specs: readonly WeightSpec[], recorded: ModelMetadata['weights']): Promise<void> {
  const needed = weightsByteSize(specs);
  if (weights.byteLength !== needed) {
    throw new ModelImportError(
      'size-mismatch',
      `weights.bin has ${groupDigits(weights.byteLength)} bytes, but model.json’s weights take ${groupDigits(needed)}: it is cut short or belongs to another model.`,
    );
  }
  if (recorded.size !== weights.byteLength) {
    throw new ModelImportError(
      'size-mismatch',
      `metadata.json records weights.bin as ${groupDigits(recorded.size)} bytes, but it has ${groupDigits(weights.byteLength)}: these files do not belong together.`,
    );
  }
  const sha256 = await sha256Hex(weights);
  if (sha256 !== recorded.sha256) {
    throw new ModelImportError(
      'hash-mismatch',
      `weights.bin’s SHA-256 is ${sha256.slice(0, 12)}…, but metadata.json records ${recorded.sha256.slice(0, 12)}…: the file was changed or damaged, or belongs to another model.`,
    );
  }
}

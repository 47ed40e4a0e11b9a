import type { ModelFiles } from './model-files';
import { ModelImportError } from './model-import-error';

export type ModelFileName = keyof ModelFiles;

// By name, leniently: a browser saves a second download of model.json as “model (1).json”.
const ROLES: [ModelFileName, RegExp][] = [
  ['model.json', /^model\b.*\.json$/i],
  ['weights.bin', /\.bin$/i],
  ['metadata.json', /^metadata\b.*\.json$/i],
];

/** Which picked file is model.json, weights.bin and metadata.json; refuses a missing, doubled or unknown file by name. */
export function pickModelFiles<T extends { name: string }>(files: readonly T[]): Record<ModelFileName, T> {
  const unknown = files.filter((file) => !ROLES.some(([, pattern]) => pattern.test(file.name)));
  if (unknown.length > 0) {
    const names = unknown.map((file) => file.name).join(', ');
    throw new ModelImportError('missing-file', `${names} ${unknown.length === 1 ? 'is' : 'are'} not among the files “Download model” gives (model.json, weights.bin, metadata.json).`);
  }
  const picked: Partial<Record<ModelFileName, T>> = {};
  const missing: ModelFileName[] = [];
  for (const [role, pattern] of ROLES) {
    const matches = files.filter((file) => pattern.test(file.name));
    if (matches.length > 1) {
      throw new ModelImportError('missing-file', `${matches.map((file) => file.name).join(' and ')} could both be ${role}: pick one of each.`);
    }
    if (matches[0]) picked[role] = matches[0];
    else missing.push(role);
  }
  if (missing.length > 0) {
    throw new ModelImportError('missing-file', `Missing ${missing.join(' and ')}: pick model.json, weights.bin and metadata.json together, as “Download model” gives them.`);
  }
  return picked as Record<ModelFileName, T>;
}

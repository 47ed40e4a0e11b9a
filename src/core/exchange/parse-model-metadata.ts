import { parseJsonObject, readArray, readCount, readNumber, readObject, readString } from './json-fields';
import { METADATA_FORMAT, METADATA_SCHEMA, type ModelMetadata } from './model-metadata';
import { ModelImportError } from './model-import-error';

const SHA256 = /^[0-9a-f]{64}$/;

/** Reads metadata.json as "Download model" writes it, refusing other files and schema versions this code does not know. */
export function parseModelMetadata(text: string): ModelMetadata {
  const json = parseJsonObject(text, 'metadata.json');
  if (json['format'] !== METADATA_FORMAT) {
    throw new ModelImportError(
      'wrong-format',
      `metadata.json is not Pawprint model metadata (it has no format “${METADATA_FORMAT}”): pick the metadata.json that “Download model” gave with this model.`,
    );
  }
  if (json['schema'] !== METADATA_SCHEMA) {
    throw new ModelImportError(
      'unknown-schema',
      `metadata.json has schema version ${JSON.stringify(json['schema']) ?? 'none'}, which this Pawprint does not know (it reads version ${METADATA_SCHEMA}): import it with the Pawprint that wrote it, or a newer one.`,
    );
  }
  const field = (name: string) => `metadata.json’s ${name}`;
  const labels = readArray(json['labels'], field('labels')).map((label, i) => readString(label, field(`labels[${i}]`)));
  if (labels.length < 2 || new Set(labels).size !== labels.length || labels.includes('')) {
    throw new ModelImportError('malformed', `${field('labels')} should be two or more different class names, but are ${JSON.stringify(labels)}.`);
  }
  const version = readObject(json['version'], field('version'));
  const dataset = readObject(json['dataset'], field('dataset'));
  const dvc = readObject(dataset['dvc'], field('dataset.dvc'));
  const weights = readObject(json['weights'], field('weights'));
  const sha256 = readString(weights['sha256'], field('weights.sha256'));
  if (!SHA256.test(sha256)) throw new ModelImportError('malformed', `${field('weights.sha256')} should be 64 hex digits, but is “${sha256.slice(0, 70)}”.`);
  const metrics = readObject(json['metrics'], field('metrics'));
  return {
    format: METADATA_FORMAT,
    schema: METADATA_SCHEMA,
    labels,
    imageSize: readCount(json['imageSize'], field('imageSize')),
    inputShape: readArray(json['inputShape'], field('inputShape')).map((n, i) => readCount(n, field(`inputShape[${i}]`))),
    normalization: readString(json['normalization'], field('normalization')),
    output: readString(json['output'], field('output')),
    architecture: readString(json['architecture'], field('architecture')),
    version: {
      id: readString(version['id'], field('version.id')),
      message: readString(version['message'], field('version.message')),
      createdAt: readString(version['createdAt'], field('version.createdAt')),
    },
    dataset: {
      id: readString(dataset['id'], field('dataset.id')),
      dvc: {
        md5: readString(dvc['md5'], field('dataset.dvc.md5')),
        size: readCount(dvc['size'], field('dataset.dvc.size')),
        nfiles: readCount(dvc['nfiles'], field('dataset.dvc.nfiles')),
      },
    },
    metrics: Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, readNumber(value, field(`metrics.${name}`))])),
    params: readObject(json['params'], field('params')),
    appVersion: json['appVersion'] === null ? null : readString(json['appVersion'], field('appVersion')),
    weights: { sha256, size: readCount(weights['size'], field('weights.size')) },
  };
}

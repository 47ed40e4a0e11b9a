import { compareCodePoints } from '../hash/compare-code-points';
import { InvalidObjectError, SchemaError } from '../store/errors';
import {
  ACCEPTANCE_METRICS,
  FEEDBACK_SOURCES,
  OBJECT_KINDS,
  OBJECT_SCHEMA,
  SPLITS,
  type AcceptanceRule,
  type Assignment,
  type Dataset,
  type DatasetEntry,
  type FeedbackItem,
  type FeedbackList,
  type ModelRecord,
  type MonitoringRecord,
  type PawprintObject,
  type Version,
} from './types';

const SHA256 = /^[0-9a-f]{64}$/;
const MD5 = /^[0-9a-f]{32}$/;
const DIR_HASH = /^[0-9a-f]{32}\.dir$/;

/**
 * Checks that a decoded value (from the store or an imported file) is an
 * object this code understands, and returns it typed. A newer schema raises
 * SchemaError so the app can say "update Pawprint" instead of misreading it.
 */
export function validateObject(x: unknown): PawprintObject {
  if (valid.has(x as object)) return x as PawprintObject;
  const obj = record(x, 'object');
  const kind = obj['kind'];
  if (typeof kind !== 'string' || !(OBJECT_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidObjectError(`Not a Pawprint object: unknown kind ${JSON.stringify(kind)}.`);
  }
  if (obj['schema'] !== OBJECT_SCHEMA) {
    throw new SchemaError(
      `This ${kind} was saved in format ${JSON.stringify(obj['schema'])}, but this version of Pawprint reads format ${OBJECT_SCHEMA}. Update Pawprint to open it.`,
    );
  }
  const checked = VALIDATORS.get(kind as PawprintObject['kind'])!(obj);
  valid.add(checked);
  return checked;
}

const VALIDATORS = new Map<PawprintObject['kind'], (obj: Record<string, unknown>) => PawprintObject>([
  ['dataset', validateDataset],
  ['model', validateModel],
  ['version', validateVersion],
  ['assignment', validateAssignment],
  ['monitoring', validateMonitoring],
  ['feedback', validateFeedback],
]);

// Objects are values, not changed once made (object-id.ts relies on that too):
// a data set checked when built is not checked again, entry by entry, when committed.
const valid = new WeakSet<object>();

function validateDataset(obj: Record<string, unknown>): Dataset {
  validateDatasetFiles(obj['root'], obj['entries']);
  const dvc = record(obj['dvc'], 'dataset.dvc');
  hash(dvc['md5'], DIR_HASH, 'dataset.dvc.md5');
  count(dvc['size'], 'dataset.dvc.size');
  count(dvc['nfiles'], 'dataset.dvc.nfiles');
  return obj as unknown as Dataset;
}

/**
 * The file list of a dataset: a plain folder name as root, well-formed
 * entries, paths unique and sorted by code point.
 */
function validateDatasetFiles(root: unknown, entries: unknown): DatasetEntry[] {
  const folder = string(root, 'dataset.root');
  assertPath(folder, 'dataset.root');
  if (folder.includes('/')) fail('dataset.root', `must be a single folder name, got "${folder}"`);
  const checked = array(entries, 'dataset.entries').map((value, i) => {
    const where = `dataset.entries[${i}]`;
    const entry = record(value, where);
    assertPath(string(entry['path'], `${where}.path`), `${where}.path`);
    hash(entry['sha256'], SHA256, `${where}.sha256`);
    hash(entry['md5'], MD5, `${where}.md5`);
    count(entry['size'], `${where}.size`);
    if (entry['split'] !== null && !(SPLITS as readonly unknown[]).includes(entry['split'])) {
      fail(`${where}.split`, `must be one of ${SPLITS.join(', ')} or null`);
    }
    string(entry['label'], `${where}.label`);
    return entry as unknown as DatasetEntry;
  });
  checked.forEach((entry, i) => {
    const previous = checked[i - 1];
    if (previous === undefined) return;
    const order = compareCodePoints(previous.path, entry.path);
    if (order === 0) throw new InvalidObjectError(`The data set lists the file "${entry.path}" twice.`);
    if (order > 0) fail('dataset.entries', 'must be sorted by path');
  });
  return checked;
}

function validateModel(obj: Record<string, unknown>): ModelRecord {
  string(obj['architecture'], 'model.architecture');
  array(obj['inputShape'], 'model.inputShape').forEach((n, i) => count(n, `model.inputShape[${i}]`));
  array(obj['classNames'], 'model.classNames').forEach((s, i) => string(s, `model.classNames[${i}]`));
  array(obj['weightSpecs'], 'model.weightSpecs');
  hash(obj['weights'], SHA256, 'model.weights');
  count(obj['weightsSize'], 'model.weightsSize');
  if (obj['pretrained'] !== undefined) {
    const pretrained = record(obj['pretrained'], 'model.pretrained');
    string(pretrained['name'], 'model.pretrained.name');
    string(pretrained['layer'], 'model.pretrained.layer');
    if (pretrained['format'] !== 'layers-model' && pretrained['format'] !== 'graph-model') fail('model.pretrained.format', 'must be layers-model or graph-model');
    const range = array(pretrained['inputRange'], 'model.pretrained.inputRange');
    if (range.length !== 2 || !range.every((n) => typeof n === 'number' && Number.isFinite(n)) || !((range[0] as number) < (range[1] as number))) {
      fail('model.pretrained.inputRange', 'must be [min, max] with min < max');
    }
  }
  if (obj['features'] !== undefined) {
    const features = record(obj['features'], 'model.features');
    hash(features['backbone'], SHA256, 'model.features.backbone');
    string(features['layer'], 'model.features.layer');
    if (features['pooling'] !== 'average' && features['pooling'] !== 'none') fail('model.features.pooling', 'must be average or none');
    if (features['size'] !== undefined) count(features['size'], 'model.features.size');
  }
  return obj as unknown as ModelRecord;
}

function validateVersion(obj: Record<string, unknown>): Version {
  if (obj['parent'] !== null) hash(obj['parent'], SHA256, 'version.parent');
  hash(obj['dataset'], SHA256, 'version.dataset');
  if (obj['model'] !== null) hash(obj['model'], SHA256, 'version.model');
  record(obj['params'], 'version.params');
  numbers(obj['metrics'], 'version.metrics');
  array(obj['history'], 'version.history').forEach((row, i) => numbers(row, `version.history[${i}]`));
  string(obj['message'], 'version.message');
  date(obj['createdAt'], 'version.createdAt');
  if (obj['run'] !== null) record(obj['run'], 'version.run');
  if (obj['acceptance'] !== undefined) acceptanceRule(obj['acceptance'], 'version.acceptance');
  if (obj['feedback'] !== undefined) feedbackItems(obj['feedback'], 'version.feedback');
  return obj as unknown as Version;
}

function acceptanceRule(value: unknown, where: string): AcceptanceRule {
  const rule = record(value, where);
  if (!(ACCEPTANCE_METRICS as readonly unknown[]).includes(rule['metric'])) fail(`${where}.metric`, `must be one of ${ACCEPTANCE_METRICS.join(', ')}`);
  if (rule['op'] !== '>=' && rule['op'] !== '<=') fail(`${where}.op`, 'must be ">=" or "<="');
  finite(rule['threshold'], `${where}.threshold`);
  return rule as unknown as AcceptanceRule;
}

function validateAssignment(obj: Record<string, unknown>): Assignment {
  string(obj['artifact'], 'assignment.artifact');
  string(obj['stage'], 'assignment.stage');
  count(obj['number'], 'assignment.number');
  if (obj['action'] !== 'assign' && obj['action'] !== 'unassign') fail('assignment.action', 'must be "assign" or "unassign"');
  hash(obj['version'], SHA256, 'assignment.version');
  string(obj['message'], 'assignment.message');
  date(obj['createdAt'], 'assignment.createdAt');
  if (obj['acceptance'] !== null) {
    const check = record(obj['acceptance'], 'assignment.acceptance');
    acceptanceRule(check['rule'], 'assignment.acceptance.rule');
    if (check['value'] !== null) finite(check['value'], 'assignment.acceptance.value');
    if (typeof check['pass'] !== 'boolean') fail('assignment.acceptance.pass', 'must be true or false');
  }
  if (obj['override'] !== null) string(obj['override'], 'assignment.override');
  return obj as unknown as Assignment;
}

function validateMonitoring(obj: Record<string, unknown>): MonitoringRecord {
  hash(obj['version'], SHA256, 'monitoring.version');
  hash(obj['model'], SHA256, 'monitoring.model');
  string(obj['name'], 'monitoring.name');
  date(obj['createdAt'], 'monitoring.createdAt');
  string(obj['backend'], 'monitoring.backend');
  const classes = array(obj['classNames'], 'monitoring.classNames');
  classes.forEach((s, i) => string(s, `monitoring.classNames[${i}]`));
  array(obj['predictions'], 'monitoring.predictions').forEach((value, i) => {
    const where = `monitoring.predictions[${i}]`;
    const prediction = record(value, where);
    string(prediction['name'], `${where}.name`);
    hash(prediction['sha256'], SHA256, `${where}.sha256`);
    count(prediction['size'], `${where}.size`);
    if (prediction['label'] !== null) string(prediction['label'], `${where}.label`);
    count(prediction['predicted'], `${where}.predicted`);
    if ((prediction['predicted'] as number) >= classes.length) fail(`${where}.predicted`, 'must name one of the classes');
    const probabilities = array(prediction['probabilities'], `${where}.probabilities`);
    if (probabilities.length !== classes.length) fail(`${where}.probabilities`, 'must hold one probability per class');
    probabilities.forEach((p, j) => finite(p, `${where}.probabilities[${j}]`));
    finite(prediction['latencyMs'], `${where}.latencyMs`);
  });
  array(obj['errors'], 'monitoring.errors').forEach((value, i) => {
    const error = record(value, `monitoring.errors[${i}]`);
    string(error['name'], `monitoring.errors[${i}].name`);
    string(error['reason'], `monitoring.errors[${i}].reason`);
  });
  finite(obj['durationMs'], 'monitoring.durationMs');
  return obj as unknown as MonitoringRecord;
}

function validateFeedback(obj: Record<string, unknown>): FeedbackList {
  feedbackItems(obj['items'], 'feedback.items');
  return obj as unknown as FeedbackList;
}

function feedbackItems(value: unknown, where: string): FeedbackItem[] {
  return array(value, where).map((item, i) => {
    const at = `${where}[${i}]`;
    const entry = record(item, at);
    hash(entry['sha256'], SHA256, `${at}.sha256`);
    assertPath(string(entry['path'], `${at}.path`), `${at}.path`);
    string(entry['label'], `${at}.label`);
    if (!(FEEDBACK_SOURCES as readonly unknown[]).includes(entry['source'])) fail(`${at}.source`, `must be one of ${FEEDBACK_SOURCES.join(', ')}`);
    if (entry['record'] !== null) hash(entry['record'], SHA256, `${at}.record`);
    if (entry['batch'] !== null) string(entry['batch'], `${at}.batch`);
    return entry as unknown as FeedbackItem;
  });
}

function date(value: unknown, where: string): void {
  if (Number.isNaN(Date.parse(string(value, where)))) fail(where, 'must be an ISO date');
}

function finite(value: unknown, where: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, 'must be a finite number');
}

function fail(where: string, problem: string): never {
  throw new InvalidObjectError(`Invalid Pawprint object: ${where} ${problem}.`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'must be an object');
  return value as Record<string, unknown>;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, 'must be a list');
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(where, 'must be text');
  return value;
}

function count(value: unknown, where: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(where, 'must be a whole number ≥ 0');
}

function hash(value: unknown, pattern: RegExp, where: string): void {
  if (typeof value !== 'string' || !pattern.test(value)) fail(where, 'is not a valid hash');
}

function numbers(value: unknown, where: string): void {
  for (const [key, n] of Object.entries(record(value, where))) {
    if (typeof n !== 'number' || !Number.isFinite(n)) fail(`${where}.${key}`, 'must be a finite number');
  }
}

/** Relative, "/"-separated, no empty, "." or ".." segments: what DVC accepts as a relpath. */
function assertPath(path: string, where: string): void {
  if (/(^|\/)\.{0,2}(\/|$)/.test(path)) {
    fail(where, `"${path}" is not a relative path without empty, "." or ".." parts`);
  }
}

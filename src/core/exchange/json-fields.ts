// Readers for the fields of an imported JSON file: each refusal names the file, the field and what it should be.
import { ModelImportError } from './model-import-error';

export function parseJsonObject(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelImportError('malformed', `${file} is not valid JSON (${(error as Error).message}).`);
  }
  return readObject(value, file);
}

export function readObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(where, 'an object', value);
  return value as Record<string, unknown>;
}

export function readArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) refuse(where, 'a list', value);
  return value;
}

export function readString(value: unknown, where: string): string {
  if (typeof value !== 'string') refuse(where, 'text', value);
  return value;
}

/** A whole number ≥ 0: a size, a count, a dimension. */
export function readCount(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) refuse(where, 'a whole number ≥ 0', value);
  return value as number;
}

export function readNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) refuse(where, 'a number', value);
  return value;
}

function refuse(where: string, what: string, value: unknown): never {
  const found = value === undefined ? 'missing' : (JSON.stringify(value)?.slice(0, 40) ?? String(value));
  throw new ModelImportError('malformed', `${where} should be ${what}, but is ${found}.`);
}

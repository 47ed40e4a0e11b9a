const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The value of a file holding UTF-8 JSON, or undefined when it does not (bad UTF-8 or bad JSON; JSON has no undefined). */
export function jsonValue(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

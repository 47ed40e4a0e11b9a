/** A new experiment id: 16 random hex digits. */
export function newExperimentId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Its name, as `dvc exp` names experiments: "exp-" and the first 5 hex
 * digits of its id, one more digit each time the name is already taken.
 */
export function experimentName(id: string, taken: ReadonlySet<string>): string {
  for (let length = 5; length < id.length; length++) {
    const name = `exp-${id.slice(0, length)}`;
    if (!taken.has(name)) return name;
  }
  return `exp-${id}`;
}

/** The numbers typed in a grid field, e.g. "0.001, 0.01" or "1e-3 1e-2"; or the sentence saying why not. */
export function parseValues(text: string, label: string): { values: number[]; problem: string | null } {
  const tokens = text.split(/[\s,;]+/).filter((token) => token !== '');
  if (tokens.length === 0) return { values: [], problem: `${label}: give at least one value.` };
  const values: number[] = [];
  for (const token of tokens) {
    const value = Number(token);
    if (!Number.isFinite(value)) return { values: [], problem: `${label}: “${token}” is not a number.` };
    if (!values.includes(value)) values.push(value);
  }
  return { values, problem: null };
}

/** Shares below this count as this, so a class never predicted (or never trained on) gives a large but finite term. */
export const PSI_FLOOR = 1e-4;

/**
 * Population stability index of an observed distribution against an expected one, both as
 * counts per class: Σ (a − e) · ln(a / e) over the classes' shares. 0 when they match; by the
 * usual reading, < 0.1 is stable, 0.1–0.25 a moderate shift, > 0.25 a significant one.
 */
export function populationStabilityIndex(observed: readonly number[], expected: readonly number[]): number {
  const shares = (counts: readonly number[]) => {
    const total = counts.reduce((sum, n) => sum + n, 0);
    return counts.map((n) => Math.max(PSI_FLOOR, total > 0 ? n / total : 0));
  };
  const a = shares(observed);
  const e = shares(expected);
  return a.reduce((sum, share, i) => sum + (share - e[i]!) * Math.log(share / e[i]!), 0);
}

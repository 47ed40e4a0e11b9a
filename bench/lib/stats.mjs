// Small statistics helpers for benchmarks.

/**
 * Median of a non-empty list of numbers.
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? /** @type {number} */ (sorted[mid]) : (/** @type {number} */ (sorted[mid - 1]) + /** @type {number} */ (sorted[mid])) / 2;
}

/** Megabytes (10^6 bytes) per second. @param {number} bytes @param {number} ms */
export const mbPerSecond = (bytes, ms) => bytes / 1e6 / (ms / 1000);

/** Items per second. @param {number} count @param {number} ms */
export const perSecond = (count, ms) => count / (ms / 1000);

/** Fixed-precision formatting that keeps 3 significant figures for small values. @param {number} x */
export function fmt(x) {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** Wall-clock milliseconds of an async function. @template T @param {() => Promise<T>} fn */
export async function timed(fn) {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

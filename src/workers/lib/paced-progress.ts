/**
 * Forwards at most one progress report per `intervalMs`, and always the last
 * (done = total): a push of thousands of small files would otherwise send the
 * page a message, and a re-render, per file.
 */
export function pacedProgress<T extends { done: number; total: number }>(report: (progress: T) => void, intervalMs = 100): (progress: T) => void {
  let last = -Infinity;
  return (progress) => {
    const now = performance.now();
    if (progress.done < progress.total && now - last < intervalMs) return;
    last = now;
    report(progress);
  };
}

/**
 * Returns a function to await between items of a long loop: it yields to the
 * event loop at most every `intervalMs`, so a worker still receives a cancel
 * message (and the signal flips) without paying a timer per item.
 */
export function createPacer(intervalMs = 25): () => Promise<void> {
  let lastYield = performance.now();
  return async () => {
    if (performance.now() - lastYield < intervalMs) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    lastYield = performance.now();
  };
}

// One formatter for every count: toLocaleString with options builds a new one per call, which
// made a validation report of a few hundred findings a long main-thread task.
const DIGITS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Groups digits with spaces, as the docs write counts: "1 000 files". */
export function groupDigits(n: number): string {
  return DIGITS.format(n).replace(/,/g, ' ');
}

/** "1 file", "1 000 files". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${groupDigits(n)} ${n === 1 ? singular : plural}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

import type { AdapterSummary } from '../runtime/adapter';
import { BACKEND_LABELS, type BackendName } from '../runtime/backend-names';

export type BackendChoice = BackendName | 'auto';

export interface BackendDecision {
  backend: BackendName;
  /** A sentence for the user: why this backend. */
  reason: string;
}

/** Training images per second each backend managed in a short probe (missing: not available). */
export type ProbeRates = Partial<Record<BackendName, number>>;

/** Backends Auto weighs when WebGPU is emulated; plain-JS CPU is far behind all of them. */
export const PROBED_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm'];

/** Auto trusts a real GPU adapter without measuring; the caller probes only when this says so. */
export function needsProbe(adapter: AdapterSummary, available: readonly BackendName[]): boolean {
  return !(adapter.available && !adapter.isFallback && available.includes('webgpu'));
}

/**
 * Auto: WebGPU on a real GPU; otherwise the fastest backend in the probe,
 * told in numbers ("No GPU found: WebGPU is emulated on the CPU; using WASM,
 * 3.1× faster here than WebGPU").
 */
export function chooseBackend(adapter: AdapterSummary, available: readonly BackendName[], rates: ProbeRates): BackendDecision {
  if (!needsProbe(adapter, available)) {
    return { backend: 'webgpu', reason: `Using WebGPU on ${adapter.vendor || 'the'} GPU.` };
  }
  const measured = (Object.entries(rates) as [BackendName, number][]).filter(([, rate]) => rate > 0).sort((a, b) => b[1] - a[1]);
  const why = adapter.available ? 'No GPU found: WebGPU is emulated on the CPU' : 'No WebGPU in this browser';
  const [best, runnerUp] = measured;
  if (!best) {
    const fallback = available.find((name) => name !== 'webgpu') ?? available[0] ?? 'cpu';
    return { backend: fallback, reason: `${why}; using ${BACKEND_LABELS[fallback]}.` };
  }
  const compared = rates.webgpu && best[0] !== 'webgpu' ? (['webgpu', rates.webgpu] as const) : runnerUp;
  const speedup = compared ? `, ${(best[1] / compared[1]).toFixed(1)}× faster here than ${BACKEND_LABELS[compared[0]]}` : '';
  return { backend: best[0], reason: `${why}; using ${BACKEND_LABELS[best[0]]}${speedup}.` };
}

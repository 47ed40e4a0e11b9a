// The JSON lines bench-gpu.mjs prints: one per figure, each a self-contained object.
//
//   {"figure":"machine", cores, cpu, ramGiB, os, node, load: [1, 5, 15 min]}
//   {"figure":"adapter", "engine":"tfjs-webgpu", vendor, architecture, device, description,
//    isFallbackAdapter, label, tfjs, webgpu}
//   {"figure":"pytorch", "engine":"pytorch", python, torch}              (which PyTorch runs)
//   per size, per engine ("tfjs-webgpu" with "adapter", "pytorch" with device/threads):
//   {"figure":"train_images_per_second", engine, size, batch, classes, value, runs, load, …}
//    (PyTorch's also device, device_name, cuda_available, threads, torch)
//   {"figure":"inference_images_per_second", …}
//   per size: {"figure":"train_ratio"|"inference_ratio", "engine":"tfjs-webgpu/pytorch", size,
//              value (tfjs ÷ PyTorch), tfjs, pytorch, pytorch_device}
//   on a failure: {"figure":"error", engine, size?, message}  (the exit status is then 1)
// `value` is the median of `runs` (each run's images/s).
import { median } from '../lib/stats.mjs';

export const TFJS = 'tfjs-webgpu';
export const PYTORCH = 'pytorch';
export const FIGURES = ['train_images_per_second', 'inference_images_per_second'] as const;
export const RATIOS = ['train_ratio', 'inference_ratio'] as const;
export type Figure = (typeof FIGURES)[number];

export type Line = { figure: string } & Record<string, unknown>;

/** Two figure lines (training, inference) of one engine at one size. */
export function engineLines(
  engine: string,
  common: Record<string, unknown>,
  runs: readonly { train: number; inference: number }[],
): [Line, Line] {
  const line = (figure: Figure, values: number[]): Line => ({ figure, engine, ...common, value: median(values), runs: values });
  return [line('train_images_per_second', runs.map((r) => r.train)), line('inference_images_per_second', runs.map((r) => r.inference))];
}

/** tfjs ÷ PyTorch for both figures at one size. */
export function ratioLines(size: number, tfjs: readonly Line[], torch: readonly Line[], device: string): Line[] {
  return FIGURES.map((figure, i) => {
    const a = tfjs.find((l) => l.figure === figure)!.value as number;
    const b = torch.find((l) => l.figure === figure)!.value as number;
    return { figure: RATIOS[i]!, engine: `${TFJS}/${PYTORCH}`, size, value: a / b, tfjs: a, pytorch: b, pytorch_device: device };
  });
}

// The `gpu` section of BENCHMARKS.md from bench-gpu.mjs's JSON lines.
import { fmt } from '../lib/stats.mjs';

/** @param {number} x */
const ratio = (x) => (x >= 0.1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toPrecision(2));

/**
 * @param {{ date: string, machine: string, load: number, loadEnd: number, minutes: number, args: string[], lines: any[],
 *   packed: { bytes: number, platform: string, info: Record<string, unknown> } }} run
 */
export function gpuReport({ date, machine, load, loadEnd, minutes, args, lines, packed }) {
  const adapter = lines.find((l) => l.figure === 'adapter');
  const torch = lines.find((l) => l.figure === 'pytorch');
  const of = (/** @type {string} */ figure, /** @type {string} */ engine, /** @type {number} */ size) => lines.find((l) => l.figure === figure && l.engine === engine && l.size === size);
  const sizes = [...new Set(lines.filter((l) => typeof l.size === 'number').map((l) => l.size))];
  const anyTorch = lines.find((l) => l.engine === 'pytorch' && l.figure === 'train_images_per_second');
  const first = lines.find((l) => l.engine === 'tfjs-webgpu' && l.figure === 'train_images_per_second');
  const software = adapter?.isFallbackAdapter === true;
  const out = [];
  out.push(`## bench:gpu — the training core on tfjs-backend-webgpu in Node (Dawn), next to PyTorch

${software ? `**Software adapter run.** This machine has no GPU: Dawn runs on ${adapter.label}, Vulkan emulated on the CPU, so these figures show that the benchmark runs and what a machine without a GPU gets, not what a GPU does. The real measurement is made on a machine with a GPU from the packed folder: \`npm run bench:gpu -- --pack <dir>\`, copy the folder there, \`node bench-gpu.mjs\` (no npm needed; see README.txt in it), and read its JSON lines.` : `Adapter: ${adapter?.label ?? 'none'}.`}

What runs: bench/gpu/main.ts bundled with tfjs 4.22 and src/core/train as they are, on tfjs-backend-webgpu through Dawn's Node addon (npm package \`webgpu\` ${packed.info.webgpu}). Data: a pixel cache of random uint8 images (64 distinct ones) of each size, 2 classes; training is the app's \`trainModel\` (batches of 32 built from the uint8 cache, \`trainOnBatch\`, loss and accuracy read back; its own images/s figure, validation excluded), inference the app's \`predictInBatches\` (batches of 32, probabilities read back; wall time). PyTorch: bench/gpu/pytorch_bench.py, the exported train.py's ReferenceConvnet, Adam, the same batch and readbacks, in the same run right after tfjs at each size. Warm-up steps are not timed; each figure is the median of the runs.

- Date: ${date}; ${Math.round(minutes)} min
- Machine: ${machine}; load average (1 min) ${load.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end (a shared machine: other work was running)
- Adapter: vendor \`${adapter?.vendor}\`, architecture \`${adapter?.architecture}\`, device \`${adapter?.device}\`, description \`${adapter?.description}\`, isFallbackAdapter: ${adapter?.isFallbackAdapter}
- PyTorch: ${torch ? `${torch.torch} (${torch.python})` : 'not run'}${anyTorch ? `, device ${anyTorch.device}${anyTorch.device_name ? ` (${anyTorch.device_name})` : ''}, ${anyTorch.threads} thread${anyTorch.threads === 1 ? '' : 's'}${anyTorch.device === 'cpu' && anyTorch.cuda_available === false ? ' (torch.cuda.is_available() is False)' : ''}` : ''}
- Per run: ${first?.steps} timed training step${first?.steps === 1 ? '' : 's'} and ${first?.inference_batches} inference batch${first?.inference_batches === 1 ? '' : 'es'} of ${first?.batch}, after warm-up; ${first?.runs.length} runs; bench-gpu.mjs arguments: \`${args.join(' ')}\`
- Pack: ${(packed.bytes / 2 ** 20).toFixed(1)} MiB with Dawn for ${packed.platform} (limit 40 MiB)

| size | tfjs-webgpu train img/s | PyTorch train img/s | train ratio | tfjs-webgpu inference img/s | PyTorch inference img/s | inference ratio |
| --- | --- | --- | --- | --- | --- | --- |`);
  for (const size of sizes) {
    const cell = (/** @type {string} */ figure, /** @type {string} */ engine) => {
      const l = of(figure, engine, size);
      return l ? fmt(l.value) : '—';
    };
    const r = (/** @type {string} */ figure) => {
      const l = of(figure, 'tfjs-webgpu/pytorch', size);
      return l ? `${ratio(l.value)}×` : '—';
    };
    out.push(`| ${size} px | ${cell('train_images_per_second', 'tfjs-webgpu')} | ${cell('train_images_per_second', 'pytorch')} | ${r('train_ratio')} | ${cell('inference_images_per_second', 'tfjs-webgpu')} | ${cell('inference_images_per_second', 'pytorch')} | ${r('inference_ratio')} |`);
  }
  out.push('');
  const perRun = (/** @type {string} */ engine) =>
    sizes
      .map((size) => {
        const t = of('train_images_per_second', engine, size);
        const i = of('inference_images_per_second', engine, size);
        return t && i ? `${size} px: train ${t.runs.map(fmt).join(', ')}; inference ${i.runs.map(fmt).join(', ')} (load ${t.load})` : '';
      })
      .filter(Boolean)
      .join(' · ');
  out.push(`Per run (images/s) — tfjs-webgpu: ${perRun('tfjs-webgpu')}. PyTorch: ${perRun('pytorch')}.`);
  return out.join('\n');
}

// bench:gpu stays working: the packed folder is built, is small enough, needs nothing from npm,
// and runs here on SwiftShader (Dawn's Vulkan adapter on the CPU) in quick mode, printing every
// figure; PyTorch runs on the CPU beside it. No timing is asserted (the machine is shared).
// A missing tool (SwiftShader, Python with torch) fails these tests; nothing is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACK_LIMIT_BYTES, hostPlatform, pack } from '../../bench/gpu/pack.mjs';
import { runPacked } from '../../bench/gpu/run.mjs';
import { swiftshaderEnv } from '../../bench/gpu/swiftshader.mjs';
import { writeExportedTrainPy } from '../../bench/lib/exported-train-py.mjs';

const PYTHON = '/usr/bin/python3';

type Line = { figure: string; engine?: string; size?: number; value?: unknown; runs?: unknown; [key: string]: unknown };

describe('bench:gpu, packed', () => {
  // Outside the repository, so nothing can be found in its node_modules.
  const dir = join(mkdtempSync(join(tmpdir(), 'pawprint-bench-gpu-')), 'pack');
  let packed: Awaited<ReturnType<typeof pack>>;

  beforeAll(async () => {
    packed = await pack(dir);
  });
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('is one bundle, Dawn for this machine, the PyTorch script and a README, under 40 MiB', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['bench-gpu.mjs', join('dawn', hostPlatform(), 'dawn.node'), join('dawn', 'LICENSE.md'), 'pytorch_bench.py', 'README.txt', 'pack-info.json']),
    );
    expect(paths.filter((p) => p.endsWith('.mjs') || p.endsWith('.js'))).toEqual(['bench-gpu.mjs']);
    expect(packed.bytes).toBeLessThan(PACK_LIMIT_BYTES);
    expect(packed.bytes).toBe(packed.files.reduce((sum, f) => sum + f.bytes, 0));
    const info = JSON.parse(readFileSync(join(dir, 'pack-info.json'), 'utf8'));
    expect(info).toMatchObject({ format: 'pawprint-bench-gpu', platform: hostPlatform(), tfjs: expect.any(String), webgpu: expect.any(String) });
  });

  it('imports nothing but Node built-ins', () => {
    const bundle = readFileSync(join(dir, 'bench-gpu.mjs'), 'utf8');
    const specifiers = new Set<string>();
    for (const m of bundle.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)|\bimport\s*["']([^"']+)["']/g)) {
      specifiers.add((m[1] ?? m[2] ?? m[3] ?? m[4])!);
    }
    expect(specifiers.size).toBeGreaterThan(0);
    expect([...specifiers].filter((s) => !isBuiltin(s))).toEqual([]);
  });

  it('runs on SwiftShader in quick mode: every figure, positive and finite, on a fallback adapter, PyTorch on the CPU', async () => {
    const { code, lines, stderr } = await runPacked(dir, ['--quick'], swiftshaderEnv());
    const errors = lines.filter((l: Line) => l.figure === 'error');
    expect(errors, stderr).toEqual([]);
    expect(code, stderr).toBe(0);

    const machine = lines.find((l: Line) => l.figure === 'machine');
    expect(machine).toMatchObject({ cores: expect.any(Number), load: expect.any(Array) });
    const adapter = lines.find((l: Line) => l.figure === 'adapter');
    expect(adapter, 'no adapter line').toBeDefined();
    expect(adapter).toMatchObject({ engine: 'tfjs-webgpu', isFallbackAdapter: true, vendor: expect.any(String), architecture: expect.any(String) });
    expect(String(adapter.label)).toMatch(/software adapter/);
    expect(lines.find((l: Line) => l.figure === 'pytorch')).toMatchObject({ engine: 'pytorch', torch: expect.any(String) });

    const positive = (line: Line | undefined, what: string) => {
      expect(line, `missing: ${what}`).toBeDefined();
      expect(Number.isFinite(line!.value) && (line!.value as number) > 0, `${what}: ${String(line!.value)}`).toBe(true);
    };
    for (const figure of ['train_images_per_second', 'inference_images_per_second']) {
      const tfjs = lines.find((l: Line) => l.figure === figure && l.engine === 'tfjs-webgpu' && l.size === 28);
      positive(tfjs, `tfjs-webgpu ${figure} at 28 px`);
      expect(tfjs).toMatchObject({ batch: 32, classes: 2, isFallbackAdapter: true, runs: [tfjs.value] });
      const torch = lines.find((l: Line) => l.figure === figure && l.engine === 'pytorch' && l.size === 28);
      positive(torch, `PyTorch ${figure} at 28 px`);
      expect(torch).toMatchObject({ device: 'cpu', cuda_available: false, batch: 32, threads: expect.any(Number) });
      expect(torch.threads).toBeGreaterThanOrEqual(1);
    }
    for (const figure of ['train_ratio', 'inference_ratio']) {
      const ratio = lines.find((l: Line) => l.figure === figure && l.size === 28);
      positive(ratio, `${figure} at 28 px`);
      expect(ratio.value).toBeCloseTo((ratio.tfjs as number) / (ratio.pytorch as number), 10);
      expect(ratio.pytorch_device).toBe('cpu');
    }
    // Quick mode is 28 px only.
    expect(lines.filter((l: Line) => typeof l.size === 'number' && l.size !== 28)).toEqual([]);
  });

  it("trains the exported train.py's ReferenceConvnet in PyTorch: same parameters, same outputs", async () => {
    const trainPy = await writeExportedTrainPy();
    const script = `
import importlib.util, sys, torch
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ReferenceConvnet
Exported, Bench = load("exported", sys.argv[1]), load("bench", sys.argv[2])
for size in (28, 64, 150):
    a, b = Exported(size, 2), Bench(size, 2)
    shapes = lambda m: [(k, tuple(v.shape)) for k, v in m.state_dict().items()]
    assert shapes(a) == shapes(b), (shapes(a), shapes(b))
    b.load_state_dict(a.state_dict())
    a.eval(); b.eval()
    x = torch.rand(4, 3, size, size)
    assert torch.equal(a(x), b(x)), size
print("same")
`;
    expect(existsSync(PYTHON), `${PYTHON} is missing: apt-get install -y python3-torch python3-pil`).toBe(true);
    const run = spawnSync(PYTHON, ['-c', script, trainPy, join(dir, 'pytorch_bench.py')], { encoding: 'utf8', timeout: 120_000 });
    rmSync(join(trainPy, '..'), { recursive: true, force: true });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('same');
  });
});

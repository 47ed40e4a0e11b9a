// Node-only: WebGPU for tfjs-backend-webgpu from Dawn's Node addon (the npm package `webgpu`,
// dawn.node), installed as `navigator.gpu` before the backend is imported.
//
// tfjs-backend-webgpu registers its backend only if `navigator.gpu` exists *when its module is
// evaluated*, so this module must be imported before it (bench/gpu/main.ts imports it first; ES
// modules evaluate in import order, and the bundle keeps that order).
//
// The addon is looked for next to the bundle, in the package's own layout:
//   dawn/<platform>-<arch>/dawn.node   (darwin: dawn/darwin-universal/dawn.node)
// Windows builds need d3dcompiler_47.dll and dxcompiler.dll beside dawn.node, as the package
// ships them. `npm run bench:gpu -- --pack` copies the host's build (or --platform's).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder name of this machine's Dawn build, as the `webgpu` package names them. */
export function dawnPlatform(platform: string = process.platform, arch: string = process.arch): string {
  return platform === 'darwin' ? 'darwin-universal' : `${platform}-${arch}`;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** Dawn's flags for create(): none unless --dawn-flag asks (e.g. "backend=vulkan", "adapter=…"). */
export function installWebGpu(flags: string[] = []): GPU {
  const here = dirname(fileURLToPath(import.meta.url));
  const dawnDir = join(here, 'dawn');
  const path = join(dawnDir, dawnPlatform(), 'dawn.node');
  if (!existsSync(path)) {
    const packed = existsSync(dawnDir) ? readdirSync(dawnDir).join(', ') : 'none';
    throw new Error(
      `No Dawn build for ${dawnPlatform()} here (${path} is missing; this folder has: ${packed}). ` +
        `Pack again for this machine: npm run bench:gpu -- --pack <dir> --platform ${dawnPlatform()}`,
    );
  }
  const dawn = createRequire(import.meta.url)(path) as DawnModule;
  // GPUBufferUsage, GPUMapMode, GPUShaderStage, … : tfjs-backend-webgpu uses them as globals.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create(flags);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) {
    // Node ≥ 21 has a navigator of its own (no gpu): add one.
    Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  return gpu;
}

/**
 * Drops the reference to Dawn's GPU object: while `navigator.gpu` holds it, Dawn keeps Node's
 * event loop alive (https://issues.chromium.org/issues/387965810).
 */
export function uninstallWebGpu(): void {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav) delete nav.gpu;
}

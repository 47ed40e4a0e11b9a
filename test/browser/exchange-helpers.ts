// Helpers for the exchange browser tests (this file holds no tests): downloads collected by
// file name, "Classify an image" read the way a person reads it, ONNX Runtime on the same
// pixels, and a project's model.weights.h5 read by h5py.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Download, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO_ROOT } from '../harness/server.mjs';
import { HANG, tempDir } from './fixtures';

async function bytesOf(download: Download): Promise<Uint8Array> {
  return new Uint8Array(readFileSync((await download.path())!));
}

/** Clicks a button and collects the `count` downloads it starts, by file name. */
export async function downloadsOf(page: Page, button: string, count: number, scope: Locator = page.locator('body')): Promise<Map<string, Uint8Array>> {
  const downloads: Download[] = [];
  const listener = (download: Download) => downloads.push(download);
  page.on('download', listener);
  await scope.getByRole('button', { name: button, exact: true }).click();
  await expect.poll(() => downloads.length, { timeout: HANG }).toBe(count);
  page.off('download', listener);
  return new Map(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), await bytesOf(d)] as const)));
}

/** Picks an image with "Classify an image" and returns the shown probabilities, most likely first. */
export async function classify(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<{ label: string; probability: number }[]> {
  const tryIt = page.getByRole('region', { name: 'Try the model', exact: true });
  const list = tryIt.getByRole('list', { name: 'Class probabilities', exact: true });
  await tryIt.getByLabel('Classify an image', { exact: true }).setInputFiles(file);
  // The result is shown with the image's preview, so this waits for this image's result.
  await tryIt.getByRole('img', { name: file.name, exact: true }).waitFor();
  return list.getByRole('listitem').evaluateAll((items) =>
    items.map((li) => ({ label: li.querySelector('span')!.textContent!.trim(), probability: (li.querySelector('meter') as HTMLMeterElement).value })),
  );
}

/** ONNX Runtime (CPU) on one image's RGB bytes (height × width × 3), fed as Pawprint documents: NHWC float32 in [0, 1]. */
export async function onnxProbabilities(session: ort.InferenceSession, rgb: Uint8Array, height: number, width: number): Promise<Float32Array> {
  const image = new ort.Tensor('float32', Float32Array.from(rgb, (value) => value / 255), [1, height, width, 3]);
  const output = await session.run({ image });
  return output['probabilities']!.data as Float32Array;
}

/**
 * An unzipped DVC project's model.weights.h5 read by Debian's h5py (test/harness/check-keras-weights.py)
 * against model/weights.bin: the largest difference per tfjs weight, and the weights model.json lists.
 */
export function kerasWeightsCheck(project: Record<string, Uint8Array>): { worst: Record<string, number>; weights: string[] } {
  const folder = tempDir();
  try {
    for (const path of ['model/model.json', 'model/weights.bin', 'model.weights.h5']) {
      expect(project[path], `${path} in the project`).toBeDefined();
      folder.write(path, project[path]!);
    }
    const run = spawnSync('/usr/bin/python3', [join(REPO_ROOT, 'test', 'harness', 'check-keras-weights.py'), folder.dir], { encoding: 'utf8' });
    expect(run.status, `h5py (apt-get install python3-h5py): ${run.stderr}`).toBe(0);
    const modelJson = JSON.parse(new TextDecoder().decode(project['model/model.json'])) as { weightsManifest: { weights: { name: string }[] }[] };
    return { worst: (JSON.parse(run.stdout) as { worst: Record<string, number> }).worst, weights: modelJson.weightsManifest.flatMap((group) => group.weights.map((weight) => weight.name)) };
  } finally {
    folder.remove();
  }
}

/**
 * Unpacks a downloaded DVC project, deletes `outputs` and runs `scripts` in it with Debian's
 * python3, as `dvc repro --force` of those stages would; returns what they wrote.
 */
export function rerunStages(project: Record<string, Uint8Array>, scripts: readonly string[], outputs: readonly string[]): Record<string, Uint8Array> {
  const folder = tempDir('pawprint-project-');
  try {
    for (const [path, bytes] of Object.entries(project)) if (!path.endsWith('/') && !outputs.includes(path)) folder.write(path, bytes);
    for (const script of scripts) {
      const run = spawnSync('/usr/bin/python3', [script], { cwd: folder.dir, encoding: 'utf8', timeout: 300_000 });
      expect(run.status, `${script}: ${run.stderr}`).toBe(0);
    }
    return Object.fromEntries(outputs.map((path) => [path, new Uint8Array(readFileSync(join(folder.dir, path)))]));
  } finally {
    folder.remove();
  }
}

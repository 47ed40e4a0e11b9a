// The environment that gives Dawn a (software) Vulkan adapter on this machine: SwiftShader's
// Vulkan driver and Vulkan loader from Debian's chromium package. Dawn dlopens libvulkan.so.1,
// which Debian installs only with libvulkan1; chromium ships its own copy beside the driver, so
// that folder goes on LD_LIBRARY_PATH (read at process start: the benchmark runs as a child).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * `base` plus VK_ICD_FILENAMES and LD_LIBRARY_PATH for SwiftShader. Throws, naming the package,
 * when the driver is missing: a test must fail, not skip, without it.
 * @param {NodeJS.ProcessEnv} [base]
 * @returns {NodeJS.ProcessEnv}
 */
export function swiftshaderEnv(base = process.env) {
  const dir = dirname(SWIFTSHADER_ICD);
  for (const file of [SWIFTSHADER_ICD, join(dir, 'libvk_swiftshader.so'), join(dir, 'libvulkan.so.1')]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: bench:gpu runs on SwiftShader's Vulkan driver from Debian's chromium package here (apt-get install chromium, as .ci/run does)`);
    }
  }
  return {
    ...base,
    VK_ICD_FILENAMES: SWIFTSHADER_ICD,
    LD_LIBRARY_PATH: [base.LD_LIBRARY_PATH, dir].filter(Boolean).join(':'),
  };
}

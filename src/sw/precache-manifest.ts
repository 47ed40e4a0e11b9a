import { compareCodePoints } from '../core/hash/compareCodePoints';
import { utf8Bytes } from '../core/hash/bytes';
import { sha256Hex } from '../core/hash/sha256';
import { CACHE_PREFIX } from './route';
import { SERVICE_WORKER_FILE } from './service-worker-file';

/** One file of the built app, by its path under the build folder ("assets/index-D3x.js"). */
export interface BuiltFile {
  path: string;
  bytes: Uint8Array;
}

/** What the service worker is built with: the files to cache and the cache that holds them. */
export interface PrecacheManifest {
  /** CACHE_PREFIX + a hash of every cached file's path and bytes. */
  cacheName: string;
  /** Paths relative to the service worker's scope, in code-point order. */
  paths: string[];
}

/** The service worker itself (the browser fetches it to look for updates) and source maps are not cached. */
function isPrecached(path: string): boolean {
  return path !== SERVICE_WORKER_FILE && !path.endsWith('.map');
}

/**
 * The precache manifest of a build. The cache name hashes paths and contents, so it changes
 * exactly when some cached file does: a new build gets a new cache, a rebuild of the same
 * sources keeps it.
 */
export async function precacheManifest(files: BuiltFile[]): Promise<PrecacheManifest> {
  const cached = files.filter((file) => isPrecached(file.path)).sort((a, b) => compareCodePoints(a.path, b.path));
  const lines: string[] = [];
  for (const [i, file] of cached.entries()) {
    if (file.path === cached[i - 1]?.path) throw new Error(`The build has two files at ${file.path}.`);
    lines.push(`${await sha256Hex(file.bytes)} ${file.path}\n`);
  }
  const digest = await sha256Hex(utf8Bytes(lines.join('')));
  return { cacheName: CACHE_PREFIX + digest.slice(0, 16), paths: cached.map((file) => file.path) };
}

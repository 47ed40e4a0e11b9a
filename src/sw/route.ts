/** What tools/vite-service-worker.mjs builds the service worker with. */
export interface PrecacheManifest {
  /** Every cache of this app is named with it. */
  cachePrefix: string;
  /** This build's cache: the prefix and a hash of every cached file. */
  cacheName: string;
  /** Every file of the build, relative to the service worker's scope. */
  paths: string[];
}

/** The one page of the app: every navigation is answered with it. */
export const APP_SHELL = 'index.html';

/**
 * What the service worker does with a request:
 * - 'navigation': answer with the cached app shell;
 * - 'cache': answer from the cache, else the network;
 * - 'network': leave it alone (another origin, such as an HTTP remote, or not a GET).
 */
export type Route = 'navigation' | 'cache' | 'network';

export function routeOf(request: { method: string; url: string; mode: string }, scope: string): Route {
  if (request.method !== 'GET' || !request.url.startsWith(scope)) return 'network';
  return request.mode === 'navigate' ? 'navigation' : 'cache';
}

/**
 * The caches an activating build deletes: those of older builds but the newest of them, which a
 * tab still running that build (now controlled by this one) may yet ask for a hashed chunk,
 * e.g. a wasm binary. `names` is in the order the caches were made, as caches.keys() gives it.
 */
export function staleCaches(names: string[], manifest: Pick<PrecacheManifest, 'cachePrefix' | 'cacheName'>): string[] {
  const older = names.filter((name) => name.startsWith(manifest.cachePrefix) && name !== manifest.cacheName);
  return older.slice(0, -1);
}

/**
 * Cross-origin isolation (COOP/COEP), which the page needs to share memory between threads (tfjs'
 * threaded wasm build and Pawprint's kernels train on every core only then). `npm start` sends
 * these headers itself; on a static host that does not, the service worker adds them to what it
 * serves, so the page is isolated from its first reload under the worker's control.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The same response with the isolation headers (an opaque response cannot be rebuilt and is returned as it is). */
export function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  if (Object.entries(ISOLATION_HEADERS).every(([name, value]) => response.headers.get(name) === value)) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The offline service worker, built to /sw.js by tools/vite-service-worker.mjs, which replaces
// the placeholder below with the build's precache manifest (its files and cache name).
// It imports only what the app does not (./route), so the build inlines it and sw.js stays one
// classic script.
import { APP_SHELL, routeOf, staleCaches, withIsolation, type PrecacheManifest } from './route';

const sw = self as unknown as ServiceWorkerGlobalScope;
const manifest = JSON.parse('__PAWPRINT_PRECACHE_MANIFEST__') as PrecacheManifest;

sw.addEventListener('install', (event) => {
  // A new build takes over at once; its cache is complete before it does (addAll is all or nothing).
  event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(dropOldCaches().then(() => sw.clients.claim()));
});

sw.addEventListener('fetch', (event) => {
  const route = routeOf(event.request, sw.registration.scope);
  if (route === 'network') return;
  const key = route === 'navigation' ? new URL(APP_SHELL, sw.registration.scope).href : event.request;
  event.respondWith(cachedOrFetched(key, event.request).then(withIsolation));
});

async function precache(): Promise<void> {
  const cache = await caches.open(manifest.cacheName);
  // 'reload': straight from the server, never an older copy from the HTTP cache.
  await cache.addAll(manifest.paths.map((path) => new Request(new URL(path, sw.registration.scope), { cache: 'reload' })));
}

async function dropOldCaches(): Promise<void> {
  const stale = staleCaches(await caches.keys(), manifest);
  await Promise.all(stale.map((name) => caches.delete(name)));
}

/**
 * This build's cache first (unhashed files such as index.html differ between builds), then the
 * previous build's. A cache holds one response per URL, so a server's `Vary: Origin` must not
 * turn a module script's request (which carries an Origin header) into a miss.
 */
async function cachedOrFetched(key: Request | string, request: Request): Promise<Response> {
  const current = await caches.open(manifest.cacheName);
  const options = { ignoreVary: true };
  return (await current.match(key, options)) ?? (await caches.match(key, options)) ?? fetch(request);
}

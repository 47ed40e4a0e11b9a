// The deployed app's offline cache: every file release.json lists, kept on install, served
// first from the cache. A new app (another release.json) gets a new cache.
const sw = self as unknown as ServiceWorkerGlobalScope;

const PREFIX = 'pawprint-app-';

async function cacheName(): Promise<{ name: string; files: string[] }> {
  const release = (await (await fetch('./release.json', { cache: 'no-store' })).json()) as { version: { id: string }; exportedAt: string; files: string[] };
  return { name: `${PREFIX}${release.version.id.slice(0, 16)}-${release.exportedAt}`, files: release.files };
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const { name, files } = await cacheName();
      // 'reload': from the server, never an older copy from the HTTP cache.
      await (await caches.open(name)).addAll(['./', ...files].map((file) => new Request(new URL(file, sw.registration.scope), { cache: 'reload' })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const { name } = await cacheName().catch(() => ({ name: '' }));
      for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== name && name !== '') await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== sw.location.origin) return;
  event.respondWith(
    (async () => {
      const cached = await caches.match(event.request, { ignoreSearch: true, ignoreVary: true });
      return cached ?? fetch(event.request);
    })(),
  );
});

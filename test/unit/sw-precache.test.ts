import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { routeOf, staleCaches, withIsolation, ISOLATION_HEADERS } from '../../src/sw/route';
import { precacheManifest } from '../../tools/vite-service-worker.mjs';

const file = (path: string, text: string) => ({ path, bytes: new TextEncoder().encode(text) });

const BUILD = [
  file('index.html', '<!doctype html><script type="module" src="/assets/index-AAAA.js"></script>'),
  file('sw.js', 'self.addEventListener("fetch", () => {})'),
  file('assets/train.worker-BBBB.js', 'train()'),
  file('assets/index-AAAA.js', 'main()'),
  file('assets/index-AAAA.js.map', '{}'),
  file('assets/tfjs-backend-wasm-simd-CCCC.wasm', '\0asm'),
  file('favicon.svg', '<svg/>'),
];

describe('precacheManifest', () => {
  test('lists every file of the build but the service worker and source maps, sorted', () => {
    const { paths } = precacheManifest(BUILD);
    expect(paths).toEqual([
      'assets/index-AAAA.js',
      'assets/tfjs-backend-wasm-simd-CCCC.wasm',
      'assets/train.worker-BBBB.js',
      'favicon.svg',
      'index.html',
    ]);
  });

  test('names the cache "pawprint-" + the sha256 of the lines "<sha256 of bytes> <path>"', () => {
    const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
    const cached = BUILD.filter((f) => f.path !== 'sw.js' && !f.path.endsWith('.map')).sort((a, b) => (a.path < b.path ? -1 : 1));
    const lines = cached.map((f) => `${sha256(f.bytes)} ${f.path}\n`).join('');
    expect(precacheManifest(BUILD).cacheName).toBe(`pawprint-${sha256(lines).slice(0, 16)}`);
  });

  test('the same build in another order keeps its cache name; one changed byte or a renamed file changes it', () => {
    const { cacheName } = precacheManifest(BUILD);
    expect(precacheManifest([...BUILD].reverse()).cacheName).toBe(cacheName);
    const edited = BUILD.map((f) => (f.path === 'assets/train.worker-BBBB.js' ? file(f.path, 'train(1)') : f));
    expect(precacheManifest(edited).cacheName).not.toBe(cacheName);
    const renamed = BUILD.map((f) => (f.path === 'favicon.svg' ? file('favicon-2.svg', '<svg/>') : f));
    expect(precacheManifest(renamed).cacheName).not.toBe(cacheName);
  });

  test('the service worker holding the manifest does not change the cache name', () => {
    const { cacheName } = precacheManifest(BUILD);
    const otherWorker = BUILD.map((f) => (f.path === 'sw.js' ? file('sw.js', 'const manifest = {}') : f));
    expect(precacheManifest(otherWorker).cacheName).toBe(cacheName);
  });

  test('refuses a build with two files at one path', () => {
    expect(() => precacheManifest([...BUILD, file('favicon.svg', '<svg></svg>')])).toThrow('The build has two files at favicon.svg.');
  });
});

describe('routeOf', () => {
  const scope = 'http://127.0.0.1:5173/';
  const request = (url: string, method = 'GET', mode = 'cors') => ({ url, method, mode });

  test('answers navigations with the app shell and same-origin GETs from the cache', () => {
    expect(routeOf(request(scope, 'GET', 'navigate'), scope)).toBe('navigation');
    expect(routeOf(request(`${scope}?tab=versions`, 'GET', 'navigate'), scope)).toBe('navigation');
    expect(routeOf(request(`${scope}assets/tfjs-backend-wasm-simd-CCCC.wasm`, 'GET', 'same-origin'), scope)).toBe('cache');
  });

  test('leaves other origins (an HTTP remote on another port) and every method but GET to the network', () => {
    expect(routeOf(request('http://127.0.0.1:8080/files/md5/ab/cdef'), scope)).toBe('network');
    expect(routeOf(request('http://127.0.0.1:51730/index.html'), scope)).toBe('network');
    expect(routeOf(request('https://example.org/', 'GET', 'navigate'), scope)).toBe('network');
    for (const method of ['PUT', 'HEAD', 'POST']) expect(routeOf(request(`${scope}files/md5/ab/cdef`, method), scope)).toBe('network');
  });
});

describe('staleCaches', () => {
  const build = (cacheName: string) => ({ cachePrefix: 'pawprint-', cacheName });

  test('a new build deletes the caches of older builds but the newest, and no cache of anything else', () => {
    const names = ['pawprint-aaaa', 'other-app-cache', 'pawprint-bbbb', 'pawprint-cccc', 'pawprint-dddd'];
    expect(staleCaches(names, build('pawprint-dddd'))).toEqual(['pawprint-aaaa', 'pawprint-bbbb']);
    expect(staleCaches(['pawprint-aaaa', 'pawprint-bbbb'], build('pawprint-bbbb'))).toEqual([]);
    expect(staleCaches(['pawprint-bbbb'], build('pawprint-bbbb'))).toEqual([]);
  });

  test('reinstalling an earlier build keeps the build made last', () => {
    expect(staleCaches(['pawprint-aaaa', 'pawprint-bbbb', 'pawprint-cccc'], build('pawprint-aaaa'))).toEqual(['pawprint-bbbb']);
  });
});

describe('withIsolation', () => {
  test('adds COOP and COEP to what the service worker serves, keeping status, body and other headers', async () => {
    const served = withIsolation(new Response('<!doctype html>', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'text/html' } }));
    expect(served.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(served.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(served.headers.get('Content-Type')).toBe('text/html');
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('<!doctype html>');
  });

  test('leaves a response that has them as it is, and a 404 keeps its status', () => {
    const already = new Response('x', { headers: ISOLATION_HEADERS });
    expect(withIsolation(already)).toBe(already);
    expect(withIsolation(new Response('missing', { status: 404 })).status).toBe(404);
  });
});

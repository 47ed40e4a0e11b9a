// bench:ingest's breakdown: what each part of hash + store costs alone, in a dedicated worker of
// the app's page (the same browser, origin and thread kind as the ingest), on random bytes of the
// given file sizes, cut into the app's pack batches (4 096 files or 16 MiB). Parts: SHA-256
// (hash-wasm below 4 KiB, else WebCrypto) and MD5 (hash-wasm), the app's two hashes;
// appending each batch's bytes to one OPFS file through a sync access handle (runs of small
// files joined into one write) and flushing it (the app's pack files); putting the blob records into IndexedDB in groups of 64
// per value, one transaction per batch (the app's layout since schema 3); and, for comparison,
// one record per file (the layout before) and the bytes themselves into IndexedDB (64 per
// transaction: the layout before pack files).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const md5Source = () =>
  ['md5', 'sha256'].map((name) => readFileSync(require.resolve(`hash-wasm/dist/${name}.umd.min.js`), 'utf8')).join('\n;');

/** Runs in the worker; `self.hashwasm` comes from hash-wasm's UMD build prepended to it. */
async function measureParts(sizes) {
  const files = sizes.map((size) => {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
    return bytes;
  });
  const timed = async (work) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  const inTransactions = (db, store, perTransaction, put) =>
    timed(async () => {
      for (let start = 0; start < files.length; start += perTransaction) {
        await new Promise((resolve, reject) => {
          const tx = db.transaction(store, 'readwrite');
          for (let i = start; i < Math.min(files.length, start + perTransaction); i++) put(tx.objectStore(store), i);
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      }
    });
  const batches = [];
  for (let start = 0, bytes = 0, i = 0; i <= files.length; i++) {
    if (i === files.length || i - start >= 4096 || bytes >= 16 * 1024 * 1024) {
      if (i > start) batches.push([start, i]);
      start = i;
      bytes = 0;
    }
    if (i < files.length) bytes += files[i].length;
  }
  const md5 = await self.hashwasm.createMD5();
  const sha = await self.hashwasm.createSHA256();
  const sha256Ms = await timed(() =>
    Promise.all(files.map((bytes) => (bytes.length < 4096 ? (sha.init(), sha.update(bytes), sha.digest('hex')) : crypto.subtle.digest('SHA-256', bytes)))),
  );
  const md5Ms = await timed(() => files.forEach((bytes) => (md5.init(), md5.update(bytes), md5.digest('hex'))));

  const root = await navigator.storage.getDirectory();
  const name = `bench-floor-${crypto.randomUUID()}.pack`;
  const handle = await (await root.getFileHandle(name, { create: true })).createSyncAccessHandle();
  const packMs = await timed(() => {
    let offset = 0;
    for (const [start, end] of batches) {
      // As the app: runs of files under 64 KiB joined (up to 1 MiB) and written at once, larger ones as they are.
      let run = [];
      let runBytes = 0;
      const writeRun = () => {
        if (run.length === 0) return;
        const joined = new Uint8Array(runBytes);
        let at = 0;
        for (const bytes of run) joined.set(bytes, (at += bytes.length) - bytes.length);
        offset += handle.write(joined, { at: offset });
        run = [];
        runBytes = 0;
      };
      for (const bytes of files.slice(start, end)) {
        if (bytes.length >= 65536) {
          writeRun();
          offset += handle.write(bytes, { at: offset });
          continue;
        }
        run.push(bytes);
        runBytes += bytes.length;
        if (runBytes >= 1024 * 1024) writeRun();
      }
      writeRun();
      handle.flush();
    }
  });
  handle.close();
  await root.removeEntry(name);

  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(`bench-floor-${crypto.randomUUID()}`, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('blobs', { keyPath: 'sha256' });
      request.result.createObjectStore('blobData');
      request.result.createObjectStore('blobGroups', { keyPath: 'id', autoIncrement: true }).createIndex('sha256', 'shas', { multiEntry: true, unique: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const hex = (i, length) => i.toString(16).padStart(length, '0');
  const record = (i) => ({ sha256: hex(i, 64), md5: hex(i, 32), size: files[i].length, type: '', storedAt: Date.now(), pack: { file: name, offset: i } });
  const groupedMs = await timed(async () => {
    for (const [start, end] of batches) {
      await new Promise((resolve, reject) => {
        const tx = db.transaction('blobGroups', 'readwrite');
        for (let g = start; g < end; g += 64) {
          const records = [];
          for (let i = g; i < Math.min(end, g + 64); i++) records.push(record(i));
          tx.objectStore('blobGroups').add({ shas: records.map((r) => r.sha256), records });
        }
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    }
  });
  const recordsMs = await inTransactions(db, 'blobs', 4096, (store, i) => store.put(record(i)));
  const idbBytesMs = await inTransactions(db, 'blobData', 64, (store, i) => store.put(files[i].buffer, i));
  db.close();
  return { sha256Ms, md5Ms, packMs, groupedMs, recordsMs, idbBytesMs };
}

/**
 * @param {import('playwright-core').Page} page the app, open in a fresh profile
 * @param {number[]} sizes file sizes in bytes
 * @returns {Promise<{ sha256Ms: number, md5Ms: number, packMs: number, groupedMs: number, recordsMs: number, idbBytesMs: number }>}
 */
export function ingestFloor(page, sizes) {
  const source = `${md5Source()}\n;(${measureParts.toString()})(${JSON.stringify(sizes)}).then((r) => postMessage(r), (e) => postMessage({ error: String(e) }));`;
  return page.evaluate(async (source) => {
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    try {
      const result = await new Promise((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message));
      });
      if (result.error) throw new Error(result.error);
      return result;
    } finally {
      worker.terminate();
    }
  }, source);
}

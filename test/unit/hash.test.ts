import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { hashBlob, hashBytes, md5Hex, sha256Hex, utf8Bytes } from '../../src/core/hash';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

describe('sha256Hex / md5Hex', () => {
  test('known vectors', async () => {
    expect(await sha256Hex(new Uint8Array())).toBe(EMPTY_SHA256);
    expect(await sha256Hex(utf8Bytes('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(utf8Bytes('foo'))).toBe('2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae');
    expect(await md5Hex(new Uint8Array())).toBe(EMPTY_MD5);
    expect(await md5Hex(utf8Bytes('foo'))).toBe('acbd18db4cc2f85cedef654fccc4a4d8');
    expect(await md5Hex(utf8Bytes('bar\n'))).toBe('c157a79031e1c40f85931829bc5fc552');
  });

  test('accepts ArrayBuffer and views into a larger buffer', async () => {
    const buffer = utf8Bytes('xxfooyy').buffer;
    const view = new Uint8Array(buffer, 2, 3);
    expect(await md5Hex(view)).toBe('acbd18db4cc2f85cedef654fccc4a4d8');
    expect(await sha256Hex(view)).toBe(await sha256Hex(utf8Bytes('foo')));
    expect(await md5Hex(utf8Bytes('foo').buffer)).toBe('acbd18db4cc2f85cedef654fccc4a4d8');
  });

  test('small inputs (hash-wasm) and large ones (WebCrypto) give the standard digest, also when interleaved', async () => {
    const sizes = [1, 386, 4 * 1024 - 1, 4 * 1024, 4 * 1024 + 1, 300_000];
    const inputs = sizes.map((size) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff));
    const digests = await Promise.all(inputs.map((bytes) => sha256Hex(bytes)));
    expect(digests).toEqual(inputs.map((bytes) => createHash('sha256').update(bytes).digest('hex')));
  });
});

describe('hashBytes', () => {
  test('returns both hashes and the size', async () => {
    expect(await hashBytes(utf8Bytes('foo'))).toEqual({
      sha256: '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
      md5: 'acbd18db4cc2f85cedef654fccc4a4d8',
      size: 3,
    });
  });
});

describe('hashBlob', () => {
  const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 251);

  test('streaming and one-shot give identical results', async () => {
    const blob = new Blob([bytes]);
    const oneShot = await hashBlob(blob);
    expect(oneShot).toEqual(await hashBytes(bytes));
    // Chunk sizes that divide the size evenly, unevenly, and exceed it.
    for (const chunkSize of [1000, 999, 4096, 20_000]) {
      expect(await hashBlob(blob, undefined, { streamAbove: 0, chunkSize })).toEqual(oneShot);
    }
  });

  test('empty blob, both paths', async () => {
    const expected = { sha256: EMPTY_SHA256, md5: EMPTY_MD5, size: 0 };
    expect(await hashBlob(new Blob([]))).toEqual(expected);
    expect(await hashBlob(new Blob([]), undefined, { streamAbove: -1 })).toEqual(expected);
  });

  test('an abort between chunks stops streaming', async () => {
    const controller = new AbortController();
    let slices = 0;
    class SlicedBlob extends Blob {
      override slice(start?: number, end?: number): Blob {
        if (++slices === 3) controller.abort();
        return super.slice(start, end);
      }
    }
    const reading = hashBlob(new SlicedBlob([bytes]), controller.signal, { streamAbove: 0, chunkSize: 100 });
    await expect(reading).rejects.toThrow(/abort/i);
    expect(slices).toBe(3); // stopped right after the chunk during which it was aborted
  });
});

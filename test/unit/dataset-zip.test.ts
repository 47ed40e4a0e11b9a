import { zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/dataset/crc32';
import { createPacer } from '../../src/core/dataset/pacer';
import { readZip, type ReadZipOptions } from '../../src/core/dataset/zip';
import { ZipError, type ZipProblem } from '../../src/core/dataset/zip-error';
import {
  CENTRAL_FIELDS,
  LOCAL_FIELDS,
  centralRecords,
  dataOffset,
  localHeaders,
  pngHeader,
  setUint16,
  setUint32,
  text,
  zip64Of,
} from './dataset-fixtures';

const png = pngHeader(8, 8);

async function zipFailure(bytes: Uint8Array, options?: ReadZipOptions): Promise<ZipError> {
  const error = await readZip(bytes, options).then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ZipError);
  return error as ZipError;
}

async function expectRefused(bytes: Uint8Array, problem: ZipProblem, message: RegExp, options?: ReadZipOptions): Promise<ZipError> {
  const error = await zipFailure(bytes, options);
  expect(error.problem).toBe(problem);
  expect(error.message).toMatch(message);
  return error;
}

/** Sets a 32-bit field of entry `index` in both its local header and its directory record. */
function patchBoth(zip: Uint8Array, index: number, field: keyof typeof CENTRAL_FIELDS, value: number): void {
  setUint32(zip, centralRecords(zip)[index]! + CENTRAL_FIELDS[field], value);
  setUint32(zip, localHeaders(zip)[index]! + LOCAL_FIELDS[field], value);
}

describe('readZip: good zips', () => {
  it('extracts the tutorial layout, skipping directories and reporting ignored files', async () => {
    const zip = zipSync({
      data: {
        train: { cats: { 'cat.1.png': png, '.DS_Store': text('x') }, dogs: { 'dog.1.png': png } },
        validation: { cats: { 'cat.2.png': png } },
      },
      '__MACOSX/data/train/cats/._cat.1.png': text('resource fork'),
    });
    const { files, ignored } = await readZip(zip);
    expect(files.map((file) => file.path)).toEqual(['data/train/cats/cat.1.png', 'data/train/dogs/dog.1.png', 'data/validation/cats/cat.2.png']);
    for (const file of files) expect(file.bytes).toEqual(png);
    expect(ignored).toEqual([
      { path: 'data/train/cats/.DS_Store', reason: 'macOS metadata' },
      { path: '__MACOSX/data/train/cats/._cat.1.png', reason: 'macOS metadata' },
    ]);
  });

  it('reads stored (uncompressed) entries and returns copies, not views of the zip', async () => {
    const zip = zipSync({ 'a.png': png }, { level: 0 });
    const { files } = await readZip(zip);
    expect(files[0]!.bytes).toEqual(png);
    expect(files[0]!.bytes.buffer).not.toBe(zip.buffer);
  });

  it('decodes UTF-8 names to NFC and falls back to Latin-1 for other names', async () => {
    const zip = zipSync({ 'chats/cafe\u0301.png': png, 'chiens/cafX.png': png });
    const [, second] = centralRecords(zip);
    zip[second! + 46 + 'chiens/caf'.length] = 0xe9; // not valid UTF-8 on its own
    const { files } = await readZip(zip);
    expect(files.map((file) => file.path)).toEqual(['chats/caf\u00e9.png', 'chiens/caf\u00e9.png']);
  });

  it('reads a zip64 archive', async () => {
    const { files } = await readZip(zip64Of('data/train/cats/big.png', png, crc32(png)));
    expect(files).toEqual([{ path: 'data/train/cats/big.png', bytes: png }]);
  });

  it('reports progress per extracted entry', async () => {
    const progress: string[] = [];
    await readZip(zipSync({ 'a.png': png, 'b.png': png, '.hidden.png': png }), {
      onEntry: ({ path, done, total }) => progress.push(`${path} ${done}/${total}`),
    });
    expect(progress).toEqual(['a.png 1/2', 'b.png 2/2']);
  });

  it('returns nothing for an empty zip', async () => {
    expect(await readZip(zipSync({}))).toEqual({ files: [], ignored: [] });
  });
});

describe('readZip: refused zips name the entry', () => {
  it('refuses zip-slip names with ".."', async () => {
    const error = await expectRefused(zipSync({ 'data/cat.png': png, '../evil.png': png }), 'unsafe-path', /"\.\.\/evil\.png".*"\.\."/);
    expect(error.entry).toBe('../evil.png');
  });

  it('refuses a ".." hidden in a directory entry or behind backslashes', async () => {
    await expectRefused(zipSync({ 'data/../../': new Uint8Array(0) }), 'unsafe-path', /data\/\.\.\/\.\.\//);
    await expectRefused(zipSync({ 'data\\..\\..\\evil.png': png }), 'unsafe-path', /evil\.png/);
  });

  it.each(['/etc/cron.d/evil.png', 'C:\\Windows\\evil.png', '\\\\server\\share\\evil.png'])('refuses the absolute name %s', async (name) => {
    const error = await expectRefused(zipSync({ [name]: png }), 'unsafe-path', /absolute/);
    expect(error.message).toContain(name);
  });

  it('refuses an encrypted entry (flag bit 0) before extracting anything', async () => {
    const zip = zipSync({ 'a.png': png, 'secret.png': png });
    const record = centralRecords(zip)[1]!;
    setUint16(zip, record + CENTRAL_FIELDS.flags, 1);
    const extracted: string[] = [];
    await expectRefused(zip, 'encrypted', /"secret\.png" is encrypted/, { onEntry: ({ path }) => extracted.push(path) });
    expect(extracted).toEqual([]);
  });

  it('refuses an unsupported compression method', async () => {
    const zip = zipSync({ 'a.png': png });
    setUint16(zip, centralRecords(zip)[0]! + CENTRAL_FIELDS.method, 14); // LZMA
    await expectRefused(zip, 'unsupported', /"a\.png" uses compression method 14/);
  });
});

describe('readZip: zip bombs', () => {
  it('refuses from the directory when the declared total exceeds maxRatio × the zip size', async () => {
    const zeros = new Uint8Array(20 * 1024 * 1024);
    const zip = zipSync({ 'data/train/cats/bomb.png': zeros }, { level: 9 });
    expect(zip.length).toBeLessThan(zeros.length / 100);
    const extracted: string[] = [];
    const error = await expectRefused(zip, 'too-large', /zip bomb/, { onEntry: ({ path }) => extracted.push(path) });
    expect(error.entry).toBe('data/train/cats/bomb.png');
    expect(error.message).toContain('"data/train/cats/bomb.png"');
    expect(extracted).toEqual([]);
  });

  it('refuses when the declared total exceeds maxTotalBytes', async () => {
    const zip = zipSync({ 'a.png': png, 'b.png': png }, { level: 0 });
    await expectRefused(zip, 'too-large', /more than the allowed/, { maxTotalBytes: png.length });
    await expect(readZip(zip, { maxTotalBytes: 2 * png.length })).resolves.toBeTruthy();
  });

  it('counts real inflated bytes, so a header that understates the size is caught', async () => {
    const zip = zipSync({ 'small.png': png, 'liar.png': new Uint8Array(5 * 1024 * 1024) });
    patchBoth(zip, 1, 'size', 1000);
    const error = await expectRefused(zip, 'too-large', /"liar\.png" expands beyond the 1000 bytes its header declares/);
    expect(error.entry).toBe('liar.png');
  });

  it('ignores the size of entries it does not extract', async () => {
    const zip = zipSync({ 'a.png': png, '__MACOSX/._a.png': new Uint8Array(1024 * 1024) });
    await expect(readZip(zip)).resolves.toMatchObject({ files: [{ path: 'a.png' }] });
  });
});

describe('readZip: damaged input', () => {
  it('says "not a zip file" for other content', async () => {
    await expectRefused(text('just some text, saved as data.zip'), 'not-zip', /not a zip file/);
    await expectRefused(new Uint8Array(0), 'not-zip', /not a zip file/);
    await expectRefused(pngHeader(10, 10), 'not-zip', /not a zip file/);
  });

  it('says a zip cut short is truncated', async () => {
    const zip = zipSync({ 'a.png': png, 'b.png': png });
    await expectRefused(zip.subarray(0, zip.length >> 1), 'truncated', /truncated/);
    await expectRefused(zip.subarray(0, zip.length - 1), 'truncated', /truncated/);
  });

  it('says a directory pointing past the end is truncated or damaged', async () => {
    const zip = zipSync({ 'a.png': png });
    setUint32(zip, zip.length - 22 + 16, zip.length + 100); // end record: directory offset
    await expectRefused(zip, 'truncated', /truncated or damaged/);
  });

  it('detects a CRC mismatch', async () => {
    const zip = zipSync({ 'a.png': png, 'b.png': png }, { level: 0 });
    zip[dataOffset(zip, 1) + 20]! ^= 0xff;
    const error = await expectRefused(zip, 'corrupt', /"b\.png" is damaged: its checksum \(CRC-32\) does not match/);
    expect(error.entry).toBe('b.png');
  });

  it('detects invalid compressed data', async () => {
    const zip = zipSync({ 'a.png': new Uint8Array(4096).fill(7) });
    zip[dataOffset(zip, 0)] = 0xff; // BTYPE 11: a reserved, invalid block type
    await expectRefused(zip, 'corrupt', /"a\.png" is damaged: its compressed data is invalid/);
  });

  it('detects compressed data that ends early', async () => {
    const zip = zipSync({ 'a.png': new Uint8Array(64 * 1024).map((_, i) => (i * 7919) % 251) });
    const compressedSize = new DataView(zip.buffer).getUint32(centralRecords(zip)[0]! + CENTRAL_FIELDS.compressedSize, true);
    patchBoth(zip, 0, 'compressedSize', compressedSize >> 1);
    await expectRefused(zip, 'truncated', /"a\.png" ends unexpectedly/);
  });

  it('detects data shorter than declared', async () => {
    const zip = zipSync({ 'a.png': png });
    patchBoth(zip, 0, 'size', png.length + 10);
    await expectRefused(zip, 'corrupt', /"a\.png" is damaged: it holds \d+ bytes instead of the declared/);
  });

  it('detects a missing local header', async () => {
    const zip = zipSync({ 'a.png': png });
    zip[localHeaders(zip)[0]!] = 0;
    await expectRefused(zip, 'corrupt', /"a\.png" is damaged: its header is missing/);
  });
});

describe('readZip: cancel', () => {
  const many = (): Zippable => Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`data/train/cats/${i}.png`, png]));

  it('rejects at once with the abort reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readZip(zipSync(many()), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops between entries when aborted mid-way', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const reading = readZip(zipSync(many()), {
      signal: controller.signal,
      onEntry: ({ done }) => {
        seen.push(done);
        if (done === 3) controller.abort();
      },
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('createPacer', () => {
  const timerFired = () => {
    const state = { fired: false };
    setTimeout(() => (state.fired = true), 0);
    return state;
  };

  it('yields to the event loop once the interval has passed, letting a cancel message in', async () => {
    const pace = createPacer(0);
    const timer = timerFired();
    await pace();
    expect(timer.fired).toBe(true);
  });

  it('does not yield before the interval has passed', async () => {
    const pace = createPacer(60_000);
    const timer = timerFired();
    await pace();
    expect(timer.fired).toBe(false);
  });
});

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

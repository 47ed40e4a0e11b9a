// Builders for the dataset unit tests: minimal image headers (enough bytes for
// sniffing, not full images) and byte surgery on zips made with fflate.
import { zipSync } from 'fflate';
import type { DroppedFile } from '../../src/core/dataset/types';

const le16 = (value: number) => [value & 0xff, (value >>> 8) & 0xff];
const le24 = (value: number) => [...le16(value), (value >>> 16) & 0xff];
const le32 = (value: number) => [...le16(value), ...le16(value >>> 16)];
const be16 = (value: number) => [(value >>> 8) & 0xff, value & 0xff];
const be32 = (value: number) => [...be16(value >>> 16), ...be16(value)];
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** Signature and IHDR of a PNG, padded like the start of a real file. */
export function pngHeader(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...be32(13), ...ascii('IHDR'), ...be32(width), ...be32(height), 8, 2, 0, 0, 0,
    ...be32(0x12345678),
    ...new Array<number>(32).fill(0),
  ]);
}

/** SOI, JFIF APP0, an optional big APP1 (EXIF-like), DQT, then the SOFn frame header. */
export function jpegHeader(width: number, height: number, options: { app1Bytes?: number; sof?: number } = {}): Uint8Array {
  const app1 = options.app1Bytes ? [0xff, 0xe1, ...be16(options.app1Bytes + 2), ...new Array<number>(options.app1Bytes).fill(0x45)] : [];
  return Uint8Array.from([
    0xff, 0xd8,
    0xff, 0xe0, ...be16(16), ...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ...app1,
    0xff, 0xdb, ...be16(67), 0, ...new Array<number>(64).fill(1),
    0xff, 0xff, // a fill byte before the next marker is legal
    0xff, options.sof ?? 0xc0, ...be16(17), 8, ...be16(height), ...be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
    0xff, 0xda, ...be16(12), 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0,
  ]);
}

export function gifHeader(width: number, height: number): Uint8Array {
  return Uint8Array.from([...ascii('GIF89a'), ...le16(width), ...le16(height), 0xf7, 0, 0]);
}

/** BITMAPINFOHEADER; `topDown` stores a negative height, as such files do. */
export function bmpHeader(width: number, height: number, topDown = false): Uint8Array {
  return Uint8Array.from([
    ...ascii('BM'), ...le32(54 + width * height * 3), 0, 0, 0, 0, ...le32(54),
    ...le32(40), ...le32(width), ...le32(topDown ? -height : height), ...le16(1), ...le16(24),
    ...new Array<number>(24).fill(0),
  ]);
}

function riff(chunk: string, payload: number[]): Uint8Array {
  return Uint8Array.from([...ascii('RIFF'), ...le32(12 + payload.length), ...ascii('WEBP'), ...ascii(chunk), ...le32(payload.length), ...payload]);
}

export function webpLossyHeader(width: number, height: number): Uint8Array {
  return riff('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), ...new Array<number>(8).fill(0)]);
}

export function webpLosslessHeader(width: number, height: number): Uint8Array {
  return riff('VP8L', [0x2f, ...le32((width - 1) | ((height - 1) << 14)), 0, 0, 0]);
}

export function webpExtendedHeader(width: number, height: number): Uint8Array {
  return riff('VP8X', [0x10, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]);
}

export const text = (value: string) => new TextEncoder().encode(value);

// Zip surgery. Offsets from APPNOTE.TXT: central directory record and local header.
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
export const CENTRAL_FIELDS = { flags: 8, method: 10, crc: 16, compressedSize: 20, size: 24 } as const;
export const LOCAL_FIELDS = { flags: 6, method: 8, crc: 14, compressedSize: 18, size: 22 } as const;

function offsetsOf(zip: Uint8Array, signature: number): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const offsets: number[] = [];
  for (let offset = 0; offset + 4 <= zip.length; offset++) if (view.getUint32(offset, true) === signature) offsets.push(offset);
  return offsets;
}

/** Offsets of the central directory records, in order. */
export const centralRecords = (zip: Uint8Array) => offsetsOf(zip, CENTRAL);
export const localHeaders = (zip: Uint8Array) => offsetsOf(zip, LOCAL);

export function setUint16(zip: Uint8Array, offset: number, value: number): void {
  new DataView(zip.buffer, zip.byteOffset).setUint16(offset, value, true);
}

export function setUint32(zip: Uint8Array, offset: number, value: number): void {
  new DataView(zip.buffer, zip.byteOffset).setUint32(offset, value, true);
}

/** Where entry `index`'s data starts (after its local header). */
export function dataOffset(zip: Uint8Array, index: number): number {
  const at = localHeaders(zip)[index]!;
  const view = new DataView(zip.buffer, zip.byteOffset);
  return at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
}

/** A one-entry, stored zip in zip64 form: saturated 32-bit fields, zip64 extra, end record and locator. */
export function zip64Of(name: string, content: Uint8Array, crc: number): Uint8Array {
  const nameBytes = [...text(name)];
  const le64 = (value: number) => [...le32(value), ...le32(Math.floor(value / 2 ** 32))];
  const local = [...le32(LOCAL), ...le16(45), 0, 0, 0, 0, 0, 0, 0, 0, ...le32(crc), ...le32(0xffffffff), ...le32(0xffffffff),
    ...le16(nameBytes.length), ...le16(20), ...nameBytes, ...le16(1), ...le16(16), ...le64(content.length), ...le64(content.length)];
  const extra = [...le16(1), ...le16(24), ...le64(content.length), ...le64(content.length), ...le64(0)];
  const central = [...le32(CENTRAL), ...le16(45), ...le16(45), 0, 0, 0, 0, 0, 0, 0, 0, ...le32(crc), ...le32(0xffffffff), ...le32(0xffffffff),
    ...le16(nameBytes.length), ...le16(extra.length), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le32(0xffffffff), ...nameBytes, ...extra];
  const centralOffset = local.length + content.length;
  const zip64End = centralOffset + central.length;
  const zip64Record = [...le32(0x06064b50), ...le64(44), ...le16(45), ...le16(45), ...le32(0), ...le32(0),
    ...le64(1), ...le64(1), ...le64(central.length), ...le64(centralOffset)];
  const locator = [...le32(0x07064b50), ...le32(0), ...le64(zip64End), ...le32(1)];
  const end = [...le32(0x06054b50), 0, 0, 0, 0, ...le16(0xffff), ...le16(0xffff), ...le32(0xffffffff), ...le32(0xffffffff), 0, 0];
  return Uint8Array.from([...local, ...content, ...central, ...zip64Record, ...locator, ...end]);
}

/** A distinct tiny "PNG" (a real header, unique tail) per name. */
export const image = (name: string, width = 8, height = 8) => new Uint8Array([...pngHeader(width, height), ...text(name)]);

/** A zip laid out data/<folder>/<prefix><n>.png, `counts` files per folder, with macOS litter. */
export function tutorialZip(prefix: string, counts: Record<string, number>): DroppedFile {
  const files: Record<string, Uint8Array> = {};
  for (const [folder, count] of Object.entries(counts)) {
    for (let i = 0; i < count; i++) files[`data/${folder}/${prefix}${i}.png`] = image(`${folder}/${prefix}${i}`);
  }
  files['__MACOSX/data/._junk.png'] = text('junk');
  return { path: `${prefix}.zip`, blob: new Blob([zipSync(files) as Uint8Array<ArrayBuffer>]) };
}


import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { imageTypeBySignature, sniffImage } from '../../src/core/dataset/sniff';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, oversizeReason } from '../../src/core/dataset/limits';
import {
  bmpHeader,
  gifHeader,
  jpegHeader,
  pngHeader,
  text,
  webpExtendedHeader,
  webpLosslessHeader,
  webpLossyHeader,
} from './dataset-fixtures';

describe('sniffImage', () => {
  it.each([
    ['PNG', pngHeader(640, 480), 'image/png'],
    ['JPEG baseline', jpegHeader(640, 480), 'image/jpeg'],
    ['JPEG progressive (SOF2)', jpegHeader(640, 480, { sof: 0xc2 }), 'image/jpeg'],
    ['GIF', gifHeader(640, 480), 'image/gif'],
    ['BMP', bmpHeader(640, 480), 'image/bmp'],
    ['BMP top-down', bmpHeader(640, 480, true), 'image/bmp'],
    ['WebP VP8', webpLossyHeader(640, 480), 'image/webp'],
    ['WebP VP8L', webpLosslessHeader(640, 480), 'image/webp'],
    ['WebP VP8X', webpExtendedHeader(640, 480), 'image/webp'],
  ])('reads the size of a %s header', (_, head, type) => {
    expect(sniffImage(head)).toEqual({ type, width: 640, height: 480 });
  });

  it('walks past a large EXIF segment to the JPEG frame header', () => {
    expect(sniffImage(jpegHeader(1024, 768, { app1Bytes: 60_000 }))).toEqual({ type: 'image/jpeg', width: 1024, height: 768 });
  });

  it('reads real files written by pngjs and jpeg-js', () => {
    const png = PNG.sync.write(new PNG({ width: 37, height: 21 }));
    const rgba = Buffer.alloc(45 * 29 * 4, 128);
    const jpg = jpeg.encode({ data: rgba, width: 45, height: 29 }, 80).data;
    expect(sniffImage(new Uint8Array(png))).toEqual({ type: 'image/png', width: 37, height: 21 });
    expect(sniffImage(new Uint8Array(jpg))).toEqual({ type: 'image/jpeg', width: 45, height: 29 });
  });

  it('reads the size of huge images from the header alone', () => {
    expect(sniffImage(pngHeader(30_000, 30_000))).toEqual({ type: 'image/png', width: 30_000, height: 30_000 });
    expect(sniffImage(webpExtendedHeader(16_777_216, 2))).toMatchObject({ width: 16_777_216, height: 2 });
  });

  it('returns null for content that is not an image', () => {
    expect(sniffImage(text('hello, I am a text file named cat.jpg'))).toBeNull();
    expect(sniffImage(text('BM is how this note starts, but it is not a bitmap'))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
  });

  it('returns null (but knows the type) for a recognisable yet cut-short header', () => {
    const cut = pngHeader(10, 10).subarray(0, 18);
    expect(imageTypeBySignature(cut)).toBe('image/png');
    expect(sniffImage(cut)).toBeNull();
    const jpegWithoutFrame = jpegHeader(10, 10, { app1Bytes: 1000 }).subarray(0, 600);
    expect(imageTypeBySignature(jpegWithoutFrame)).toBe('image/jpeg');
    expect(sniffImage(jpegWithoutFrame)).toBeNull();
  });

  it('returns null for a zero-sized image', () => {
    expect(sniffImage(pngHeader(0, 10))).toBeNull();
    expect(sniffImage(gifHeader(10, 0))).toBeNull();
  });

  it('returns null for a JPEG whose scan starts before any frame header', () => {
    const head = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0, 0, 0, 0]);
    expect(imageTypeBySignature(head)).toBe('image/jpeg');
    expect(sniffImage(head)).toBeNull();
  });
});

describe('oversizeReason', () => {
  it('accepts images within the limits', () => {
    expect(oversizeReason(MAX_IMAGE_SIDE, 6000)).toBeNull();
    expect(oversizeReason(500, 375)).toBeNull();
  });

  it('refuses a side over the limit or too many pixels, saying the size', () => {
    expect(oversizeReason(30_000, 30_000)).toContain('30000×30000');
    expect(oversizeReason(MAX_IMAGE_SIDE + 1, 1)).not.toBeNull();
    expect(MAX_IMAGE_SIDE * MAX_IMAGE_SIDE).toBeGreaterThan(MAX_IMAGE_PIXELS);
    expect(oversizeReason(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE)).toMatch(/megapixels/);
  });
});

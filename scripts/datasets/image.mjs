// Just enough image processing for the tutorial JPEGs: premultiplied-alpha RGBA in
// Float32Array, integer box downscale, bilinear sampling, compositing over a gradient.
import { PNG } from 'pngjs';

/**
 * Premultiplied RGBA, channel values in 0..255, alpha in 0..1.
 * @typedef {{ width: number, height: number, data: Float32Array }} FloatImage
 */

/**
 * Decode a PNG (any colour type pngjs reads) to premultiplied float RGBA.
 * @param {Uint8Array} bytes
 * @returns {FloatImage}
 */
export function decodePngPremultiplied(bytes) {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  const { width, height, data } = png;
  const out = new Float32Array(width * height * 4);
  for (let i = 0; i < out.length; i += 4) {
    const a = /** @type {number} */ (data[i + 3]) / 255;
    out[i] = /** @type {number} */ (data[i]) * a;
    out[i + 1] = /** @type {number} */ (data[i + 1]) * a;
    out[i + 2] = /** @type {number} */ (data[i + 2]) * a;
    out[i + 3] = a;
  }
  return { width, height, data: out };
}

/**
 * Area-average downscale by an integer factor k (edge blocks average what they cover).
 * @param {FloatImage} img
 * @param {number} k
 * @returns {FloatImage}
 */
export function boxDownscale(img, k) {
  const width = Math.ceil(img.width / k);
  const height = Math.ceil(img.height / k);
  const data = new Float32Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0, g = 0, b = 0, a = 0, n = 0;
      for (let sy = y * k; sy < Math.min((y + 1) * k, img.height); sy++) {
        for (let sx = x * k; sx < Math.min((x + 1) * k, img.width); sx++) {
          const i = (sy * img.width + sx) * 4;
          r += /** @type {number} */ (img.data[i]);
          g += /** @type {number} */ (img.data[i + 1]);
          b += /** @type {number} */ (img.data[i + 2]);
          a += /** @type {number} */ (img.data[i + 3]);
          n++;
        }
      }
      const o = (y * width + x) * 4;
      data[o] = r / n;
      data[o + 1] = g / n;
      data[o + 2] = b / n;
      data[o + 3] = a / n;
    }
  }
  return { width, height, data };
}

/**
 * How a photo is placed on a canvas. Source coordinates are in pixels of the full-size
 * source; the crop [cropX, cropX+cropW) × [cropY, cropY+cropH) is scaled by `scale` and
 * its top-left put at (x, y) of the canvas, mirrored left-right if `mirror`.
 * @typedef {[number, number, number]} RGB
 * @typedef {{
 *   width: number, height: number,
 *   background: { from: RGB, to: RGB, angle: number },
 *   cropX: number, cropY: number, cropW: number, cropH: number,
 *   scale: number, x: number, y: number, mirror: boolean,
 *   gain: number, grain: number, seed: number,
 * }} Placement
 */

/**
 * Render a photo onto a gradient background as 8-bit RGBA (alpha 255).
 * @param {(k: number) => FloatImage} level source downscaled by k (k = 1: full size)
 * @param {Placement} p
 * @returns {Uint8Array}
 */
export function render(level, p) {
  const { width: W, height: H } = p;
  const out = new Uint8Array(W * H * 4);
  // Downscale first when shrinking by 2× or more, so bilinear sampling does not alias.
  const k = Math.max(1, Math.floor(1 / p.scale));
  const src = level(k);
  const { from, to, angle } = p.background;
  const dx = Math.cos(angle), dy = Math.sin(angle);
  const span = Math.abs(dx) * W + Math.abs(dy) * H;
  const t0 = Math.min(0, dx * W) + Math.min(0, dy * H);
  const objW = p.cropW * p.scale, objH = p.cropH * p.scale;
  let noise = p.seed >>> 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = (dx * x + dy * y - t0) / span;
      let r = from[0] + (to[0] - from[0]) * t;
      let g = from[1] + (to[1] - from[1]) * t;
      let b = from[2] + (to[2] - from[2]) * t;
      const ux = x + 0.5 - p.x, uy = y + 0.5 - p.y;
      if (ux >= 0 && ux < objW && uy >= 0 && uy < objH) {
        // Position in the full-size source, then in the downscaled level.
        const fx = p.cropX + (p.mirror ? objW - ux : ux) / p.scale;
        const fy = p.cropY + uy / p.scale;
        const s = sample(src, fx / k - 0.5, fy / k - 0.5);
        const keep = 1 - s[3];
        r = s[0] + r * keep;
        g = s[1] + g * keep;
        b = s[2] + b * keep;
      }
      // Sensor-like grain: xorshift noise, same for the same seed.
      noise ^= noise << 13; noise ^= noise >>> 17; noise ^= noise << 5;
      const n = ((noise >>> 0) / 4294967296 - 0.5) * 2 * p.grain;
      const o = (y * W + x) * 4;
      out[o] = clamp(r * p.gain + n);
      out[o + 1] = clamp(g * p.gain + n);
      out[o + 2] = clamp(b * p.gain + n);
      out[o + 3] = 255;
    }
  }
  return out;
}

/** @param {number} v */
const clamp = (v) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** @type {[number, number, number, number]} */
const px = [0, 0, 0, 0];

/**
 * Bilinear sample at pixel-centre coordinates (x, y), clamped at the edges.
 * @param {FloatImage} img
 * @param {number} x
 * @param {number} y
 * @returns {[number, number, number, number]} premultiplied RGBA (a shared array: use before the next call)
 */
function sample(img, x, y) {
  const { width: w, height: h, data } = img;
  x = Math.min(Math.max(x, 0), w - 1);
  y = Math.min(Math.max(y, 0), h - 1);
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, w - 1), y1 = Math.min(y0 + 1, h - 1);
  const ax = x - x0, ay = y - y0;
  const i00 = (y0 * w + x0) * 4, i01 = (y0 * w + x1) * 4, i10 = (y1 * w + x0) * 4, i11 = (y1 * w + x1) * 4;
  for (let c = 0; c < 4; c++) {
    const top = /** @type {number} */ (data[i00 + c]) * (1 - ax) + /** @type {number} */ (data[i01 + c]) * ax;
    const bottom = /** @type {number} */ (data[i10 + c]) * (1 - ax) + /** @type {number} */ (data[i11 + c]) * ax;
    px[c] = top * (1 - ay) + bottom * ay;
  }
  return px;
}

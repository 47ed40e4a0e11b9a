// Pawprint's training kernels for tfjs-backend-wasm: convolutions, their two gradients,
// matmuls with transposed operands, bias gradients and the 2x2 max-pool gradient, as SIMD
// GEMMs that tfjs' own wasm kernels are not (its gradients are loop nests at 1-4 GFLOP/s).
//
// Built by scripts/build-kernels.mjs into kernels.wasm (one thread) and kernels-threads.wasm
// (shared memory, atomics). The module imports tfjs' own memory, so it works on tensors where
// they live. It has no data segment and uses no stack memory: exported functions take only
// numbers, and nothing takes a local's address. So it never writes outside the buffers it is
// given; the build script checks both properties on the output.
//
// Every job is split into tiles. With THREADS, every thread of the pool (the caller and the
// helpers waiting in pool_wait) takes tiles from one atomic counter in the control block, so a
// core slowed by other work simply takes fewer; without THREADS the caller takes them all.
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE __attribute__((always_inline)) static inline

typedef v128_t f4;

// ---------------------------------------------------------------------------------------
// GEMM: C[M x N] (+)= A[M x K] * B[K x N]
//   A(i, k) = A[i * ars + k * aks]   (row-major: ars = lda, aks = 1; transposed: ars = 1, aks = lda)
//   B(k, j) = B[k * ldb + j]         (rows contiguous in j)
//   C(i, j) = C[i * ldc + j]
// Register tile 4 x 8: per k, 4 load-splats of A, 2 loads of B, 8 multiply-adds. Loops run over
// 8-column panels outside and 4-row tiles inside, so a panel of B is reused from L1/L2.

#ifdef FMA
// Relaxed SIMD's f32x4.relaxed_madd (a fused multiply-add where the CPU has one): the GEMM's
// multiply-adds in 8 instead of 16 instructions per k. Clang 14 knows it only by its prototype
// name and opcode (f32x4.fma, 0xfd 0xaf 0x01); scripts/build-kernels.mjs rewrites that opcode to
// the final relaxed_madd (0xfd 0x85 0x02), which computes a * b + c from its operands in order.
INLINE f4 madd(f4 acc, f4 a, f4 b) { return __builtin_wasm_fma_f32x4(a, b, acc); }
#else
INLINE f4 madd(f4 acc, f4 a, f4 b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }
#endif

INLINE void tile4x8(int K, const float* a, int ars, int aks, const float* b, int ldb, float* c, int ldc, int acc) {
  const float* a0 = a;
  const float* a1 = a + ars;
  const float* a2 = a + 2 * ars;
  const float* a3 = a + 3 * ars;
  f4 c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < K; k++) {
    f4 b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    f4 x0 = wasm_v128_load32_splat(a0), x1 = wasm_v128_load32_splat(a1);
    f4 x2 = wasm_v128_load32_splat(a2), x3 = wasm_v128_load32_splat(a3);
    c00 = madd(c00, x0, b0); c01 = madd(c01, x0, b1);
    c10 = madd(c10, x1, b0); c11 = madd(c11, x1, b1);
    c20 = madd(c20, x2, b0); c21 = madd(c21, x2, b1);
    c30 = madd(c30, x3, b0); c31 = madd(c31, x3, b1);
    a0 += aks; a1 += aks; a2 += aks; a3 += aks;
    b += ldb;
  }
  float* r0 = c;
  float* r1 = c + ldc;
  float* r2 = c + 2 * ldc;
  float* r3 = c + 3 * ldc;
  if (acc) {
    c00 = wasm_f32x4_add(c00, wasm_v128_load(r0)); c01 = wasm_f32x4_add(c01, wasm_v128_load(r0 + 4));
    c10 = wasm_f32x4_add(c10, wasm_v128_load(r1)); c11 = wasm_f32x4_add(c11, wasm_v128_load(r1 + 4));
    c20 = wasm_f32x4_add(c20, wasm_v128_load(r2)); c21 = wasm_f32x4_add(c21, wasm_v128_load(r2 + 4));
    c30 = wasm_f32x4_add(c30, wasm_v128_load(r3)); c31 = wasm_f32x4_add(c31, wasm_v128_load(r3 + 4));
  }
  wasm_v128_store(r0, c00); wasm_v128_store(r0 + 4, c01);
  wasm_v128_store(r1, c10); wasm_v128_store(r1 + 4, c11);
  wasm_v128_store(r2, c20); wasm_v128_store(r2 + 4, c21);
  wasm_v128_store(r3, c30); wasm_v128_store(r3 + 4, c31);
}

INLINE void tile1x8(int K, const float* a, int aks, const float* b, int ldb, float* c, int acc) {
  f4 c0 = wasm_f32x4_splat(0.0f), c1 = c0;
  for (int k = 0; k < K; k++) {
    f4 x = wasm_v128_load32_splat(a);
    c0 = madd(c0, x, wasm_v128_load(b));
    c1 = madd(c1, x, wasm_v128_load(b + 4));
    a += aks;
    b += ldb;
  }
  if (acc) {
    c0 = wasm_f32x4_add(c0, wasm_v128_load(c));
    c1 = wasm_f32x4_add(c1, wasm_v128_load(c + 4));
  }
  wasm_v128_store(c, c0);
  wasm_v128_store(c + 4, c1);
}

/** Columns past the last multiple of 8 (e.g. a few output classes), one at a time. */
static void columns_scalar(int M, int j0, int N, int K, const float* A, int ars, int aks, const float* B, int ldb,
                           float* C, int ldc, int acc) {
  for (int i = 0; i < M; i++) {
    for (int j = j0; j < N; j++) {
      const float* a = A + i * ars;
      const float* b = B + j;
      float sum = 0.0f;
      for (int k = 0; k < K; k++) {
        sum += *a * *b;
        a += aks;
        b += ldb;
      }
      float* out = C + i * ldc + j;
      *out = acc ? *out + sum : sum;
    }
  }
}

/** The reduction is cut into chunks of KC: a chunk of a B panel (KC x 8 floats) stays in L1. */
#define KC 256

static void gemm_chunk(int M, int N8, int K, const float* A, int ars, int aks, const float* B, int ldb, float* C, int ldc,
                       int acc) {
  if (M * K > 65536 && M > N8) {
    // A is big (a dense layer's weight gradient: thousands of rows) and B small: each 4-row tile
    // of A is read once and meets every panel of B, which stays in cache.
    int i = 0;
    for (; i + 4 <= M; i += 4)
      for (int j = 0; j < N8; j += 8) tile4x8(K, A + i * ars, ars, aks, B + j, ldb, C + i * ldc + j, ldc, acc);
    for (; i < M; i++)
      for (int j = 0; j < N8; j += 8) tile1x8(K, A + i * ars, aks, B + j, ldb, C + i * ldc + j, acc);
  } else {
    // Each 8-column panel of B is read once and meets every tile of A.
    for (int j = 0; j < N8; j += 8) {
      int i = 0;
      for (; i + 4 <= M; i += 4) tile4x8(K, A + i * ars, ars, aks, B + j, ldb, C + i * ldc + j, ldc, acc);
      for (; i < M; i++) tile1x8(K, A + i * ars, aks, B + j, ldb, C + i * ldc + j, acc);
    }
  }
}

static void gemm(int M, int N, int K, const float* A, int ars, int aks, const float* B, int ldb, float* C, int ldc,
                 int acc) {
  int N8 = N & ~7;
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    gemm_chunk(M, N8, kc, A + k0 * aks, ars, aks, B + k0 * ldb, ldb, C, ldc, acc || k0 > 0);
  }
  if (N8 < N) columns_scalar(M, N8, N, K, A, ars, aks, B, ldb, C, ldc, acc);
}

INLINE void fill_zero(float* p, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(p + i, wasm_f32x4_splat(0.0f));
  for (; i < n; i++) p[i] = 0.0f;
}

// ---------------------------------------------------------------------------------------
// Convolution geometry, NHWC; the filter [kh, kw, ci, co] is a [K x co] matrix, K = kh * kw * ci.
// Job arguments 0..14 (conv_args).

typedef struct {
  int n, h, w, ci;     // input
  int oh, ow, co;      // output
  int kh, kw, sh, sw;  // filter size and strides
  int dh, dw;          // dilations
  int pt, pl;          // padding before (top, left)
} Conv;

INLINE Conv conv_args(const int32_t* a) {
  Conv g;
  g.n = a[0]; g.h = a[1]; g.w = a[2]; g.ci = a[3];
  g.oh = a[4]; g.ow = a[5]; g.co = a[6];
  g.kh = a[7]; g.kw = a[8]; g.sh = a[9]; g.sw = a[10];
  g.dh = a[11]; g.dw = a[12]; g.pt = a[13]; g.pl = a[14];
  return g;
}

INLINE void copy_floats(float* out, const float* in, int n) {
  int c = 0;
  for (; c + 4 <= n; c += 4) wasm_v128_store(out + c, wasm_v128_load(in + c));
  for (; c < n; c++) out[c] = in[c];
}

INLINE void add_floats(float* out, const float* in, int n) {
  int c = 0;
  for (; c + 4 <= n; c += 4) wasm_v128_store(out + c, wasm_f32x4_add(wasm_v128_load(out + c), wasm_v128_load(in + c)));
  for (; c < n; c++) out[c] += in[c];
}

/**
 * im2col and its scatter, col2im, over rows p0 .. p0 + rows - 1 of the [P x K] matrix whose row p
 * is output pixel p's window over x (K = kh * kw * ci): with scatter 0, col[row] = the window
 * (zeros where it leaves the image); with scatter 1, the window += col[row] (adding where windows
 * overlap: the input gradient). Pixels are walked in order (no division per pixel), and where a
 * window's row lies whole in the image with adjacent taps (dilation 1), its kw * ci floats are
 * contiguous in x and in col: one copy, not kw (conv1's 3 channels would copy 3 floats at a time).
 */
INLINE void window_rows(const int32_t* args, int p0, int rows, float* col, float* x, int scatter) {
  Conv g = conv_args(args);
  int K = g.kh * g.kw * g.ci;
  int span = g.kw * g.ci;
  int ox = p0 % g.ow, oy = (p0 / g.ow) % g.oh, b = p0 / (g.ow * g.oh);
  for (int r = 0; r < rows; r++) {
    float* c = col + r * K;
    int left = ox * g.sw - g.pl;
    int whole = g.dw == 1 && left >= 0 && left + g.kw <= g.w;
    for (int ky = 0; ky < g.kh; ky++, c += span) {
      int iy = oy * g.sh - g.pt + ky * g.dh;
      float* image = x + (b * g.h + iy) * g.w * g.ci;
      if (iy < 0 || iy >= g.h) {
        if (!scatter) fill_zero(c, span);
      } else if (whole) {
        if (scatter) add_floats(image + left * g.ci, c, span);
        else copy_floats(c, image + left * g.ci, span);
      } else {
        for (int kx = 0; kx < g.kw; kx++) {
          int ix = left + kx * g.dw;
          int inside = ix >= 0 && ix < g.w;
          if (scatter && inside) add_floats(image + ix * g.ci, c + kx * g.ci, g.ci);
          if (!scatter && inside) copy_floats(c + kx * g.ci, image + ix * g.ci, g.ci);
          if (!scatter && !inside) fill_zero(c + kx * g.ci, g.ci);
        }
      }
    }
    if (++ox == g.ow) {
      ox = 0;
      if (++oy == g.oh) { oy = 0; b++; }
    }
  }
}

static void im2col(const int32_t* args, const float* x, int p0, int rows, float* col) {
  window_rows(args, p0, rows, col, (float*)x, 0);
}

static void col2im_add(const int32_t* args, const float* col, int p0, int rows, float* dx) {
  window_rows(args, p0, rows, (float*)col, dx, 1);
}

/** Output pixels per im2col block: [BLOCK x K] stays in L2 for K up to a few thousand. */
#define BLOCK 64

// Forward: y = im2col(x) · W, then + bias and an activation when asked. A tile is a block of
// pixels. A 1x1 convolution at stride 1 without padding reads x as im2col: its rows already are.
// args: geometry (15), x, w, y, bias (0: none), activation (ACT_*).
enum { ACT_NONE = 0, ACT_RELU = 1, ACT_RELU6 = 2 };

/** tfjs' relu and relu6 on 4 floats: negatives (and -0) to 0, NaN stays NaN; relu6 caps at 6. */
INLINE f4 activate(f4 v, int activation) {
  f4 zero = wasm_f32x4_splat(0.0f);
  if (activation == ACT_NONE) return v;
  v = wasm_v128_bitselect(zero, v, wasm_f32x4_lt(v, zero));
  if (activation == ACT_RELU6) v = wasm_v128_bitselect(wasm_f32x4_splat(6.0f), v, wasm_f32x4_gt(v, wasm_f32x4_splat(6.0f)));
  return v;
}

INLINE float activate1(float v, int activation) {
  if (activation != ACT_NONE && v < 0.0f) v = 0.0f;
  if (activation == ACT_RELU6 && v > 6.0f) v = 6.0f;
  return v;
}

static void conv_tile(const int32_t* a, int tile, float* scratch) {
  Conv g = conv_args(a);
  const float* x = (const float*)a[15];
  const float* w = (const float*)a[16];
  float* y = (float*)a[17];
  const float* bias = (const float*)a[18];
  int activation = a[19];
  int K = g.kh * g.kw * g.ci;
  int P = g.n * g.oh * g.ow;
  int p0 = tile * BLOCK;
  int rows = P - p0 < BLOCK ? P - p0 : BLOCK;
  int pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.oh == g.h && g.ow == g.w;
  float* out = y + p0 * g.co;
  if (pointwise) {
    gemm(rows, g.co, K, x + p0 * g.ci, K, 1, w, g.co, out, g.co, 0);
  } else {
    im2col(a, x, p0, rows, scratch);
    gemm(rows, g.co, K, scratch, K, 1, w, g.co, out, g.co, 0);
  }
  if (!bias && activation == ACT_NONE) return;
  for (int r = 0; r < rows; r++) {
    float* row = out + r * g.co;
    int c = 0;
    for (; c + 4 <= g.co; c += 4) {
      f4 v = wasm_v128_load(row + c);
      if (bias) v = wasm_f32x4_add(v, wasm_v128_load(bias + c));
      wasm_v128_store(row + c, activate(v, activation));
    }
    for (; c < g.co; c++) row[c] = activate1(bias ? row[c] + bias[c] : row[c], activation);
  }
}

// The taps [first, last) of a window along one axis that fall inside the input (size n): the
// window starts at `start` (padding makes it negative) and steps by the dilation d.
INLINE void window_taps(int start, int k, int d, int n, int* first, int* last) {
  int f = start < 0 ? (-start + d - 1) / d : 0;
  int l = (n - 1 - start) / d + 1;
  if (n - 1 - start < 0) l = 0;
  *first = f;
  *last = l < k ? l : k;
}

// Depthwise convolution with one filter per channel (MobileNet's): y[b, oy, ox, c] = sum over the
// window of x[b, iy, ix, c] * w[ky, kx, c], then + bias and an activation. A tile is one output
// row of one image. The taps inside the input are found once per output pixel, then 16 channels
// at a time run through them with four accumulators (then 4, then one), adding taps in the same
// order (bias, then ky, kx) whatever the width, so every output is the same sum.
// args: geometry (15, co = ci), x, w, y, bias (0: none), activation.
static void depthwise_tile(const int32_t* a, int tile) {
  Conv g = conv_args(a);
  const float* x = (const float*)a[15];
  const float* w = (const float*)a[16];
  float* y = (float*)a[17];
  const float* bias = (const float*)a[18];
  int activation = a[19];
  int b = tile / g.oh, oy = tile % g.oh;
  int ch = g.ci;
  int y0 = oy * g.sh - g.pt, ky0, ky1;
  window_taps(y0, g.kh, g.dh, g.h, &ky0, &ky1);
  const float* image = x + b * g.h * g.w * ch;
  for (int ox = 0; ox < g.ow; ox++) {
    float* out = y + ((b * g.oh + oy) * g.ow + ox) * ch;
    int x0 = ox * g.sw - g.pl, kx0, kx1;
    window_taps(x0, g.kw, g.dw, g.w, &kx0, &kx1);
    int c = 0;
    for (; c + 16 <= ch; c += 16) {
      f4 s0 = bias ? wasm_v128_load(bias + c) : wasm_f32x4_splat(0.0f);
      f4 s1 = bias ? wasm_v128_load(bias + c + 4) : s0;
      f4 s2 = bias ? wasm_v128_load(bias + c + 8) : s0;
      f4 s3 = bias ? wasm_v128_load(bias + c + 12) : s0;
      for (int ky = ky0; ky < ky1; ky++) {
        const float* row = image + (y0 + ky * g.dh) * g.w * ch + c;
        const float* taps = w + ky * g.kw * ch + c;
        for (int kx = kx0; kx < kx1; kx++) {
          const float* xp = row + (x0 + kx * g.dw) * ch;
          const float* wp = taps + kx * ch;
          s0 = madd(s0, wasm_v128_load(xp), wasm_v128_load(wp));
          s1 = madd(s1, wasm_v128_load(xp + 4), wasm_v128_load(wp + 4));
          s2 = madd(s2, wasm_v128_load(xp + 8), wasm_v128_load(wp + 8));
          s3 = madd(s3, wasm_v128_load(xp + 12), wasm_v128_load(wp + 12));
        }
      }
      wasm_v128_store(out + c, activate(s0, activation));
      wasm_v128_store(out + c + 4, activate(s1, activation));
      wasm_v128_store(out + c + 8, activate(s2, activation));
      wasm_v128_store(out + c + 12, activate(s3, activation));
    }
    for (; c + 4 <= ch; c += 4) {
      f4 sum = bias ? wasm_v128_load(bias + c) : wasm_f32x4_splat(0.0f);
      for (int ky = ky0; ky < ky1; ky++) {
        for (int kx = kx0; kx < kx1; kx++) {
          sum = madd(sum, wasm_v128_load(image + ((y0 + ky * g.dh) * g.w + x0 + kx * g.dw) * ch + c), wasm_v128_load(w + (ky * g.kw + kx) * ch + c));
        }
      }
      wasm_v128_store(out + c, activate(sum, activation));
    }
    for (; c < ch; c++) {
      float sum = bias ? bias[c] : 0.0f;
      for (int ky = ky0; ky < ky1; ky++) {
        for (int kx = kx0; kx < kx1; kx++) {
          sum += image[((y0 + ky * g.dh) * g.w + x0 + kx * g.dw) * ch + c] * w[(ky * g.kw + kx) * ch + c];
        }
      }
      out[c] = activate1(sum, activation);
    }
  }
}

// Filter gradient: dW[K x co] = sum over pixels p of im2col(x)[p]^T dy[p]. A tile is a group of
// consecutive pixel blocks summed into that group's own partial dW; the caller adds the partials
// in group order (sum_groups). Which thread takes a group never changes a bit of the result, so
// training is as deterministic on many threads as on one.
// args: geometry (15), x, dy, partials (groups x K x co floats), groups.
static void filter_grad_tile(const int32_t* a, int group, float* scratch) {
  Conv g = conv_args(a);
  const float* x = (const float*)a[15];
  const float* dy = (const float*)a[16];
  int groups = a[18];
  int K = g.kh * g.kw * g.ci;
  float* partial = (float*)a[17] + group * K * g.co;
  int P = g.n * g.oh * g.ow;
  int blocks = (P + BLOCK - 1) / BLOCK;
  int first = group * blocks / groups;
  int last = (group + 1) * blocks / groups;
  if (first == last) fill_zero(partial, K * g.co);
  for (int block = first; block < last; block++) {
    int p0 = block * BLOCK;
    int rows = P - p0 < BLOCK ? P - p0 : BLOCK;
    im2col(a, x, p0, rows, scratch);
    // C(i = tap, j = out channel) += sum_p col[p][i] * dy[p][j]: A is col transposed.
    gemm(K, g.co, rows, scratch, 1, K, dy + p0 * g.co, g.co, partial, g.co, block != first);
  }
}

// Input gradient: dx = col2im(dy · Wᵀ), Wᵀ [co x K] transposed by the caller. A tile is one
// image: its pixels scatter into that image only, so threads never add into the same dx.
// args: geometry (15), dy, wt, dx.
static void input_grad_tile(const int32_t* a, int tile, float* scratch) {
  Conv g = conv_args(a);
  const float* dy = (const float*)a[15];
  const float* wt = (const float*)a[16];
  float* dx = (float*)a[17];
  int K = g.kh * g.kw * g.ci;
  fill_zero(dx + tile * g.h * g.w * g.ci, g.h * g.w * g.ci);
  int pixels = g.oh * g.ow;
  for (int q = 0; q < pixels; q += BLOCK) {
    int rows = pixels - q < BLOCK ? pixels - q : BLOCK;
    int p0 = tile * pixels + q;
    gemm(rows, K, g.co, dy + p0 * g.co, g.co, 1, wt, K, scratch, K, 0);
    col2im_add(a, scratch, p0, rows, dx);
  }
}

// Batched matmul C[b] = A[b] · B[b], A(i, k) = A[i * ars + k * aks], B rows contiguous (the
// caller transposes a transposed B). A tile is (batch, block of 64 rows, block of 64 columns):
// a dense layer's forward pass has 32 rows and 128 columns, so its tiles split the columns.
// args: M, N, K, A, ars, aks, aBatchStride, B, ldb, bBatchStride, C.
static void matmul_tile(const int32_t* a, int tile) {
  int M = a[0], N = a[1], K = a[2];
  int rowBlocks = (M + 63) / 64, colBlocks = (N + 63) / 64;
  int batch = tile / (rowBlocks * colBlocks);
  int rest = tile % (rowBlocks * colBlocks);
  int i0 = (rest / colBlocks) * 64, j0 = (rest % colBlocks) * 64;
  int rows = M - i0 < 64 ? M - i0 : 64;
  int cols = N - j0 < 64 ? N - j0 : 64;
  const float* A = (const float*)a[3] + batch * a[6];
  const float* B = (const float*)a[7] + batch * a[9];
  float* C = (float*)a[10] + batch * M * N;
  gemm(rows, cols, K, A + i0 * a[4], a[4], a[5], B + j0, a[8], C + i0 * N + j0, N, 0);
}

// Column sums of x [rows x cols]: a bias gradient, dy summed over every axis but the last. A tile
// is a group of consecutive rows summed into that group's partial row (see filter_grad_tile).
// args: rows, cols, x, partials (groups x cols floats), groups.
static void column_sum_tile(const int32_t* a, int group) {
  int rows = a[0], cols = a[1], groups = a[4];
  const float* x = (const float*)a[2];
  float* partial = (float*)a[3] + group * cols;
  int r0 = group * rows / groups;
  int r1 = (group + 1) * rows / groups;
  // Row after row into the partial row (in L1): x is streamed once, in order.
  fill_zero(partial, cols);
  for (int r = r0; r < r1; r++) add_floats(partial, x + r * cols, cols);
}

// Max-pool gradient, 2x2 windows at stride 2, no padding: each input pixel is in at most one
// window, so dx is dy where the pixel is its window's maximum and 0 elsewhere. The maximum is
// the cpu backend's: the first pixel, in row-major order, strictly greater than every earlier
// one, starting from -Infinity (NaN never wins; an all-NaN window passes its gradient nowhere).
// A tile is one image. args: h, w, c, oh, ow, x, dy, dx.
static void max_pool_grad_tile(const int32_t* a, int tile) {
  int h = a[0], w = a[1], ch = a[2], oh = a[3], ow = a[4];
  const float* x = (const float*)a[5] + tile * h * w * ch;
  const float* dy = (const float*)a[6] + tile * oh * ow * ch;
  float* dx = (float*)a[7] + tile * h * w * ch;
  fill_zero(dx, h * w * ch);
  int row = w * ch;
  f4 none = wasm_i32x4_splat(-1);
  for (int oy = 0; oy < oh; oy++) {
    for (int ox = 0; ox < ow; ox++) {
      int at = (2 * oy * w + 2 * ox) * ch;
      const float* p = x + at;
      const float* g = dy + (oy * ow + ox) * ch;
      float* d = dx + at;
      int c = 0;
      for (; c + 4 <= ch; c += 4) {
        f4 v0 = wasm_v128_load(p + c), v1 = wasm_v128_load(p + ch + c);
        f4 v2 = wasm_v128_load(p + row + c), v3 = wasm_v128_load(p + row + ch + c);
        f4 best = wasm_f32x4_splat(-__builtin_inff());
        f4 which = none;
        f4 m = wasm_f32x4_gt(v0, best);
        best = wasm_v128_bitselect(v0, best, m); which = wasm_v128_bitselect(wasm_i32x4_splat(0), which, m);
        m = wasm_f32x4_gt(v1, best);
        best = wasm_v128_bitselect(v1, best, m); which = wasm_v128_bitselect(wasm_i32x4_splat(1), which, m);
        m = wasm_f32x4_gt(v2, best);
        best = wasm_v128_bitselect(v2, best, m); which = wasm_v128_bitselect(wasm_i32x4_splat(2), which, m);
        m = wasm_f32x4_gt(v3, best);
        which = wasm_v128_bitselect(wasm_i32x4_splat(3), which, m);
        f4 grad = wasm_v128_load(g + c);
        wasm_v128_store(d + c, wasm_v128_and(grad, wasm_i32x4_eq(which, wasm_i32x4_splat(0))));
        wasm_v128_store(d + ch + c, wasm_v128_and(grad, wasm_i32x4_eq(which, wasm_i32x4_splat(1))));
        wasm_v128_store(d + row + c, wasm_v128_and(grad, wasm_i32x4_eq(which, wasm_i32x4_splat(2))));
        wasm_v128_store(d + row + ch + c, wasm_v128_and(grad, wasm_i32x4_eq(which, wasm_i32x4_splat(3))));
      }
      for (; c < ch; c++) {
        float best = -__builtin_inff();
        int which = -1;
        if (p[c] > best) { best = p[c]; which = 0; }
        if (p[ch + c] > best) { best = p[ch + c]; which = 1; }
        if (p[row + c] > best) { best = p[row + c]; which = 2; }
        if (p[row + ch + c] > best) which = 3;
        d[c] = which == 0 ? g[c] : 0.0f;
        d[ch + c] = which == 1 ? g[c] : 0.0f;
        d[row + c] = which == 2 ? g[c] : 0.0f;
        d[row + ch + c] = which == 3 ? g[c] : 0.0f;
      }
    }
  }
}

// Max pooling, 2x2 windows at stride 2, no padding, as the cpu backend: the largest value from
// -Infinity, NaN never taken (an all-NaN window gives -Infinity). A tile is one image.
// args: h, w, c, oh, ow, x, y.
static void max_pool_tile(const int32_t* a, int tile) {
  int h = a[0], w = a[1], ch = a[2], oh = a[3], ow = a[4];
  const float* x = (const float*)a[5] + tile * h * w * ch;
  float* y = (float*)a[6] + tile * oh * ow * ch;
  int row = w * ch;
  for (int oy = 0; oy < oh; oy++) {
    for (int ox = 0; ox < ow; ox++) {
      const float* p = x + (2 * oy * w + 2 * ox) * ch;
      float* out = y + (oy * ow + ox) * ch;
      int c = 0;
      for (; c + 4 <= ch; c += 4) {
        f4 best = wasm_f32x4_splat(-__builtin_inff());
        f4 v = wasm_v128_load(p + c);
        best = wasm_v128_bitselect(v, best, wasm_f32x4_gt(v, best));
        v = wasm_v128_load(p + ch + c);
        best = wasm_v128_bitselect(v, best, wasm_f32x4_gt(v, best));
        v = wasm_v128_load(p + row + c);
        best = wasm_v128_bitselect(v, best, wasm_f32x4_gt(v, best));
        v = wasm_v128_load(p + row + ch + c);
        best = wasm_v128_bitselect(v, best, wasm_f32x4_gt(v, best));
        wasm_v128_store(out + c, best);
      }
      for (; c < ch; c++) {
        float best = -__builtin_inff();
        if (p[c] > best) best = p[c];
        if (p[ch + c] > best) best = p[ch + c];
        if (p[row + c] > best) best = p[row + c];
        if (p[row + ch + c] > best) best = p[row + ch + c];
        out[c] = best;
      }
    }
  }
}

// Elementwise jobs: memory-bound passes, split into tiles of ELEMENTS floats so every core
// streams its own part. Each computes exactly the float32 operations of the tfjs kernels it
// replaces, in the same order, so results are bit-identical to them.
#define ELEMENTS 16384

INLINE float f32_of(int32_t bits) { return __builtin_bit_cast(float, bits); }

/** Floats in elementwise tile `tile` of `length` (it starts at tile * ELEMENTS). */
INLINE int tile_count(int length, int tile) {
  int start = tile * ELEMENTS;
  return length - start < ELEMENTS ? length - start : ELEMENTS;
}

// y = x + bias, the bias repeated along the last axis (a conv or dense layer's bias, unfused in
// training). args: length, channels, x, bias, y.
static void bias_add_tile(const int32_t* a, int tile) {
  int start = tile * ELEMENTS, count = tile_count(a[0], tile);
  int channels = a[1];
  const float* x = (const float*)a[2] + start;
  const float* bias = (const float*)a[3];
  float* y = (float*)a[4] + start;
  int c = start % channels;
  int i = 0;
  if (channels % 4 == 0 && c % 4 == 0) {
    for (; i + 4 <= count; i += 4) {
      wasm_v128_store(y + i, wasm_f32x4_add(wasm_v128_load(x + i), wasm_v128_load(bias + c)));
      c += 4;
      if (c == channels) c = 0;
    }
  }
  for (; i < count; i++) {
    y[i] = x[i] + bias[c];
    if (++c == channels) c = 0;
  }
}

// y = max(x, 0), as Math.max(0, x): NaN stays NaN, -0 becomes 0. args: length, x, y.
static void relu_tile(const int32_t* a, int tile) {
  int start = tile * ELEMENTS, count = tile_count(a[0], tile);
  const float* x = (const float*)a[1] + start;
  float* y = (float*)a[2] + start;
  f4 zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= count; i += 4) wasm_v128_store(y + i, wasm_f32x4_max(wasm_v128_load(x + i), zero));
  for (; i < count; i++) {
    float v = x[i];
    y[i] = v != v ? v : (v > 0.0f ? v : 0.0f);
  }
}

// ReLU's gradient, dx = dy * step(x) in one pass: step is 1 where x > 0, NaN where x is NaN, else 0
// (tfjs' relu gradient multiplies by its Step kernel). args: length, dy, x, dx.
static void relu_grad_tile(const int32_t* a, int tile) {
  int start = tile * ELEMENTS, count = tile_count(a[0], tile);
  const float* dy = (const float*)a[1] + start;
  const float* x = (const float*)a[2] + start;
  float* dx = (float*)a[3] + start;
  f4 zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    f4 v = wasm_v128_load(x + i);
    f4 step = wasm_v128_bitselect(one, zero, wasm_f32x4_gt(v, zero));
    step = wasm_v128_bitselect(step, v, wasm_f32x4_eq(v, v));
    wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(dy + i), step));
  }
  for (; i < count; i++) {
    float v = x[i];
    float step = v != v ? v : (v > 0.0f ? 1.0f : 0.0f);
    dx[i] = dy[i] * step;
  }
}

// y = min(max(x, lo), hi) as tfjs' clip: NaN stays NaN. args: length, x, y, lo bits, hi bits.
static void clip_tile(const int32_t* a, int tile) {
  int start = tile * ELEMENTS, count = tile_count(a[0], tile);
  const float* x = (const float*)a[1] + start;
  float* y = (float*)a[2] + start;
  float lo = f32_of(a[3]), hi = f32_of(a[4]);
  f4 LO = wasm_f32x4_splat(lo), HI = wasm_f32x4_splat(hi);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    f4 v = wasm_v128_load(x + i);
    v = wasm_v128_bitselect(HI, v, wasm_f32x4_gt(v, HI));
    v = wasm_v128_bitselect(LO, v, wasm_f32x4_lt(v, LO));
    wasm_v128_store(y + i, v);
  }
  for (; i < count; i++) {
    float v = x[i];
    y[i] = v > hi ? hi : (v < lo ? lo : v);
  }
}

// Batch normalisation in inference, per channel (the last axis), as tfjs' cpu backend orders it:
// y = offset + (x - mean) * scale / sqrt(variance + epsilon). args: length, channels, x, mean,
// variance, offset (0: none), scale (0: none), y, epsilon bits.
static void batch_norm_tile(const int32_t* a, int tile) {
  int start = tile * ELEMENTS, count = tile_count(a[0], tile);
  int channels = a[1];
  const float* x = (const float*)a[2] + start;
  const float* mean = (const float*)a[3];
  const float* variance = (const float*)a[4];
  const float* offset = (const float*)a[5];
  const float* scale = (const float*)a[6];
  float* y = (float*)a[7] + start;
  float epsilon = f32_of(a[8]);
  int c = start % channels;
  int i = 0;
  if (channels % 4 == 0) {
    // Tiles start at multiples of 4 floats, so with 4k channels every group of 4 is 4 channels.
    f4 E = wasm_f32x4_splat(epsilon);
    for (; i + 4 <= count; i += 4) {
      f4 v = wasm_f32x4_sub(wasm_v128_load(x + i), wasm_v128_load(mean + c));
      if (scale) v = wasm_f32x4_mul(v, wasm_v128_load(scale + c));
      v = wasm_f32x4_div(v, wasm_f32x4_sqrt(wasm_f32x4_add(wasm_v128_load(variance + c), E)));
      if (offset) v = wasm_f32x4_add(wasm_v128_load(offset + c), v);
      wasm_v128_store(y + i, v);
      c += 4;
      if (c == channels) c = 0;
    }
  }
  for (; i < count; i++) {
    float v = x[i] - mean[c];
    if (scale) v *= scale[c];
    v /= __builtin_sqrtf(variance[c] + epsilon);
    y[i] = offset ? offset[c] + v : v;
    if (++c == channels) c = 0;
  }
}

// Padding of a 4-D NHWC tensor with a constant (MobileNet's ZeroPadding2D): rows of the output
// are the value, or the value around a copied input row. A tile is one output row of one image.
// args: n, h, w, c, pad top, pad left, out h, out w, x, y, value bits. (Batch and channel
// padding: tfjs' kernel.)
static void pad_tile(const int32_t* a, int tile) {
  int h = a[1], w = a[2], ch = a[3], top = a[4], left = a[5], oh = a[6], ow = a[7];
  const float* x = (const float*)a[8];
  float* y = (float*)a[9];
  f4 value = wasm_f32x4_splat(f32_of(a[10]));
  int b = tile / oh, oy = tile % oh;
  float* out = y + (b * oh + oy) * ow * ch;
  int iy = oy - top;
  int before = (iy < 0 || iy >= h) ? ow * ch : left * ch;
  int copied = (iy < 0 || iy >= h) ? 0 : w * ch;
  int after = ow * ch - before - copied;
  int i = 0;
  for (; i + 4 <= before; i += 4) wasm_v128_store(out + i, value);
  for (; i < before; i++) out[i] = f32_of(a[10]);
  if (copied) copy_floats(out + before, x + (b * h + iy) * w * ch, copied);
  float* tail = out + before + copied;
  for (i = 0; i + 4 <= after; i += 4) wasm_v128_store(tail + i, value);
  for (; i < after; i++) tail[i] = f32_of(a[10]);
}

// Adam's update of one variable, the operations of tfjs' AdamOptimizer in its order:
//   m' = m·β1 + g·(1 − β1);  v' = v·β2 + g²·(1 − β2)
//   value' = (m' / (1 − β1ᵗ)) / (sqrt(v' / (1 − β2ᵗ)) + ε) · (−lr) + value
// args: length, value, m, v, g, value', m', v', then as float32 bits: β1, 1 − β1, β2, 1 − β2,
// 1 − β1ᵗ, 1 − β2ᵗ, ε, −lr.

static void adam_tile(const int32_t* a, int tile) {
  int start = tile * ELEMENTS, count = tile_count(a[0], tile);
  const float* value = (const float*)a[1] + start;
  const float* m = (const float*)a[2] + start;
  const float* v = (const float*)a[3] + start;
  const float* g = (const float*)a[4] + start;
  float* value2 = (float*)a[5] + start;
  float* m2 = (float*)a[6] + start;
  float* v2 = (float*)a[7] + start;
  float b1 = f32_of(a[8]), c1 = f32_of(a[9]), b2 = f32_of(a[10]), c2 = f32_of(a[11]);
  float acc1 = f32_of(a[12]), acc2 = f32_of(a[13]), eps = f32_of(a[14]), step = f32_of(a[15]);
  f4 B1 = wasm_f32x4_splat(b1), C1 = wasm_f32x4_splat(c1), B2 = wasm_f32x4_splat(b2), C2 = wasm_f32x4_splat(c2);
  f4 A1 = wasm_f32x4_splat(acc1), A2 = wasm_f32x4_splat(acc2), E = wasm_f32x4_splat(eps), S = wasm_f32x4_splat(step);
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    f4 gi = wasm_v128_load(g + i);
    f4 mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), B1), wasm_f32x4_mul(gi, C1));
    f4 vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), B2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), C2));
    f4 mh = wasm_f32x4_div(mi, A1);
    f4 vh = wasm_f32x4_div(vi, A2);
    f4 update = wasm_f32x4_mul(wasm_f32x4_div(mh, wasm_f32x4_add(wasm_f32x4_sqrt(vh), E)), S);
    wasm_v128_store(m2 + i, mi);
    wasm_v128_store(v2 + i, vi);
    wasm_v128_store(value2 + i, wasm_f32x4_add(update, wasm_v128_load(value + i)));
  }
  for (; i < count; i++) {
    float gi = g[i];
    float mi = m[i] * b1 + gi * c1;
    float vi = v[i] * b2 + (gi * gi) * c2;
    float update = ((mi / acc1) / (__builtin_sqrtf(vi / acc2) + eps)) * step;
    m2[i] = mi;
    v2[i] = vi;
    value2[i] = update + value[i];
  }
}

// ---------------------------------------------------------------------------------------
// The pool. Control block: CTL_WORDS int32 words in tfjs' memory, allocated by the caller.

enum {
  CTL_GENERATION = 0,  // bumped to start a job; helpers wait on it
  CTL_NEXT_TILE = 1,   // the next tile to take
  CTL_TILES = 2,       // tiles in this job
  CTL_BUSY = 3,        // helpers still inside this job
  CTL_THREADS = 4,     // threads taking part in this job, the caller included
  CTL_KIND = 5,        // which job
  CTL_STOP = 6,        // nonzero: helpers return from pool_wait
  CTL_ARGS = 8,        // job arguments, 24 words
  CTL_SCRATCH = 32,    // per thread: its scratch buffer (float*), 32 threads at most
  CTL_READY = 64,      // per helper: set once it waits in pool_wait
  CTL_WORDS = 96,
};

enum {
  JOB_CONV = 1,
  JOB_FILTER_GRAD = 2,
  JOB_INPUT_GRAD = 3,
  JOB_MATMUL = 4,
  JOB_COLUMN_SUM = 5,
  JOB_MAX_POOL_GRAD = 6,
  JOB_BIAS_ADD = 7,
  JOB_RELU = 8,
  JOB_RELU_GRAD = 9,
  JOB_ADAM = 10,
  JOB_MAX_POOL = 11,
  JOB_DEPTHWISE = 12,
  JOB_CLIP = 13,
  JOB_BATCH_NORM = 14,
  JOB_PAD = 15,
};

// Checks before a waiting thread sleeps (tens of microseconds): a training step's next job
// usually comes sooner, and waking a sleeping thread costs about as much again.
#define SPIN 16000

#ifdef THREADS
#define LOAD(p) __atomic_load_n(p, __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n(p, v, __ATOMIC_SEQ_CST)
#define FETCH_ADD(p, v) __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST)
#else
#define LOAD(p) (*(p))
#define STORE(p, v) (*(p) = (v))
#define FETCH_ADD(p, v) ((*(p) += (v)) - (v))
#endif

static void run_tiles(int32_t* ctl, int thread) {
  const int32_t* args = ctl + CTL_ARGS;
  float* scratch = (float*)ctl[CTL_SCRATCH + thread];
  int kind = ctl[CTL_KIND];
  int tiles = ctl[CTL_TILES];
  for (;;) {
    int tile = FETCH_ADD(&ctl[CTL_NEXT_TILE], 1);
    if (tile >= tiles) break;
    switch (kind) {
      case JOB_CONV: conv_tile(args, tile, scratch); break;
      case JOB_FILTER_GRAD: filter_grad_tile(args, tile, scratch); break;
      case JOB_INPUT_GRAD: input_grad_tile(args, tile, scratch); break;
      case JOB_MATMUL: matmul_tile(args, tile); break;
      case JOB_COLUMN_SUM: column_sum_tile(args, tile); break;
      case JOB_MAX_POOL_GRAD: max_pool_grad_tile(args, tile); break;
      case JOB_BIAS_ADD: bias_add_tile(args, tile); break;
      case JOB_RELU: relu_tile(args, tile); break;
      case JOB_RELU_GRAD: relu_grad_tile(args, tile); break;
      case JOB_ADAM: adam_tile(args, tile); break;
      case JOB_MAX_POOL: max_pool_tile(args, tile); break;
      case JOB_DEPTHWISE: depthwise_tile(args, tile); break;
      case JOB_CLIP: clip_tile(args, tile); break;
      case JOB_BATCH_NORM: batch_norm_tile(args, tile); break;
      case JOB_PAD: pad_tile(args, tile); break;
    }
  }
}

/** Runs the job described in ctl on every thread of the pool; returns when all its tiles are done. */
EXPORT(pool_run) void pool_run(int32_t* ctl) {
  STORE(&ctl[CTL_NEXT_TILE], 0);
#ifdef THREADS
  // One tile: waking helpers would cost more than it brings.
  int helpers = ctl[CTL_TILES] > 1 ? ctl[CTL_THREADS] - 1 : 0;
  if (helpers > 0) {
    STORE(&ctl[CTL_BUSY], helpers);
    FETCH_ADD(&ctl[CTL_GENERATION], 1);
    __builtin_wasm_memory_atomic_notify(&ctl[CTL_GENERATION], helpers);
  }
  run_tiles(ctl, 0);
  // Spin briefly (a helper is usually about to finish), then sleep until the last one notifies.
  for (int spin = 0;; spin++) {
    int busy = LOAD(&ctl[CTL_BUSY]);
    if (helpers <= 0 || busy == 0) break;
    if (spin > SPIN) __builtin_wasm_memory_atomic_wait32(&ctl[CTL_BUSY], busy, 1000000);
  }
#else
  run_tiles(ctl, 0);
#endif
}

#ifdef THREADS
/**
 * A helper thread's life: wait for a job, take tiles, report, until CTL_STOP. The caller counts
 * only helpers 1 .. n - 1 that are all ready; a helper past them sits the job out.
 */
EXPORT(pool_wait) void pool_wait(int32_t* ctl, int thread) {
  int seen = LOAD(&ctl[CTL_GENERATION]);
  STORE(&ctl[CTL_READY + thread], 1);
  for (;;) {
    int now;
    for (int spin = 0; (now = LOAD(&ctl[CTL_GENERATION])) == seen; spin++) {
      if (LOAD(&ctl[CTL_STOP])) return;
      if (spin > SPIN) __builtin_wasm_memory_atomic_wait32(&ctl[CTL_GENERATION], seen, -1);
    }
    seen = now;
    if (LOAD(&ctl[CTL_STOP])) return;
    if (thread >= LOAD(&ctl[CTL_THREADS])) continue;
    run_tiles(ctl, thread);
    if (FETCH_ADD(&ctl[CTL_BUSY], -1) == 1) __builtin_wasm_memory_atomic_notify(&ctl[CTL_BUSY], 1);
  }
}

/** Wakes every helper so it sees CTL_STOP and returns. */
EXPORT(pool_stop) void pool_stop(int32_t* ctl) {
  STORE(&ctl[CTL_STOP], 1);
  FETCH_ADD(&ctl[CTL_GENERATION], 1);
  __builtin_wasm_memory_atomic_notify(&ctl[CTL_GENERATION], 1u << 30);
}
#endif

/** dst = the sum of `groups` partials of `length` floats each, in group order. */
EXPORT(sum_groups) void sum_groups(const float* partials, int groups, int length, float* dst) {
  fill_zero(dst, length);
  for (int group = 0; group < groups; group++) {
    const float* part = partials + group * length;
    int i = 0;
    for (; i + 4 <= length; i += 4) wasm_v128_store(dst + i, wasm_f32x4_add(wasm_v128_load(dst + i), wasm_v128_load(part + i)));
    for (; i < length; i++) dst[i] += part[i];
  }
}

/** dst[cols x rows] = src[rows x cols]ᵀ, in 8 x 8 blocks so both sides stay in cache. */
EXPORT(transpose) void transpose(const float* src, int rows, int cols, float* dst) {
  for (int i0 = 0; i0 < rows; i0 += 8)
    for (int j0 = 0; j0 < cols; j0 += 8) {
      int i1 = rows - i0 < 8 ? rows : i0 + 8;
      int j1 = cols - j0 < 8 ? cols : j0 + 8;
      for (int i = i0; i < i1; i++)
        for (int j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
    }
}

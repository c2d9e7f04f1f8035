// Hand-written wasm SIMD128 kernels for what tfjs-backend-wasm lacks or does slowly. Built by
// scripts/build-wasm-kernels.sh into kernels.wasm.ts (committed, so installing needs no compiler).
// No libc, no static data, no stack: the module runs inside the tfjs wasm backend's memory and
// touches only what it is handed pointers to.
#include <wasm_simd128.h>

#define ACC(v, x, g) v = wasm_f32x4_add(v, wasm_f32x4_mul(x, g))
#define ADD_TO(p, v) wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), v))

// Output columns [*lo, *hi) whose input column wo*s + b - p lies inside [0, w).
static void valid_range(int wo_count, int s, int b, int p, int w, int *lo, int *hi) {
  int l = 0, h = wo_count;
  while (l < wo_count && l * s + b - p < 0) l++;
  while (h > l && (h - 1) * s + b - p >= w) h--;
  *lo = l;
  *hi = h;
}

// Filter gradient of a 2-D convolution (NHWC, symmetric zero padding p, stride s):
//   dw[a,b,ci,co] = sum over n,ho,wo of x[n, ho*s+a-p, wo*s+b-p, ci] * dy[n,ho,wo,co]
// x [N,H,W,Ci], dy [N,Ho,Wo,Co], dw [KH,KW,Ci,Co] zeroed by the caller; Co % 4 == 0.
// Each image's sum is formed in registers from zero and then added to dw: a two-stage float32
// sum (over H·W, then over the batch), as the BN reductions do, instead of one running sum of
// N·Ho·Wo terms. Tiles: 2 input channels × 16 output channels (8 accumulators), then narrower.
// Computes the input channels [ci0, ci1): threads split them; an element's sum does not depend on
// the split.
__attribute__((export_name("filter_grad"))) void filter_grad(const float *x, const float *dy, float *dw, int N, int H,
                                                               int W, int Ci, int Ho, int Wo, int Co, int KH, int KW,
                                                               int s, int p, int ci0, int ci1) {
  const int xs = s * Ci;
  for (int n = 0; n < N; n++) {
    const float *xn = x + (long)n * H * W * Ci;
    const float *dyn = dy + (long)n * Ho * Wo * Co;
    for (int a = 0; a < KH; a++) {
      for (int b = 0; b < KW; b++) {
        int wlo, whi;
        valid_range(Wo, s, b, p, W, &wlo, &whi);
        if (whi <= wlo) continue;
        float *dab = dw + (long)(a * KW + b) * Ci * Co;
        int ci = ci0;
        for (; ci + 2 <= ci1; ci += 2) {
          int co = 0;
          for (; co + 16 <= Co; co += 16) {
            v128_t z = wasm_f32x4_splat(0.f);
            v128_t a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
            for (int ho = 0; ho < Ho; ho++) {
              int hi = ho * s + a - p;
              if (hi < 0 || hi >= H) continue;
              const float *xr = xn + ((long)hi * W + (wlo * s + b - p)) * Ci + ci;
              const float *dr = dyn + ((long)ho * Wo + wlo) * Co + co;
              for (int wo = wlo; wo < whi; wo++, xr += xs, dr += Co) {
                v128_t g0 = wasm_v128_load(dr), g1 = wasm_v128_load(dr + 4);
                v128_t g2 = wasm_v128_load(dr + 8), g3 = wasm_v128_load(dr + 12);
                v128_t x0 = wasm_f32x4_splat(xr[0]), x1 = wasm_f32x4_splat(xr[1]);
                ACC(a00, x0, g0); ACC(a01, x0, g1); ACC(a02, x0, g2); ACC(a03, x0, g3);
                ACC(a10, x1, g0); ACC(a11, x1, g1); ACC(a12, x1, g2); ACC(a13, x1, g3);
              }
            }
            float *d0 = dab + (long)ci * Co + co, *d1 = d0 + Co;
            ADD_TO(d0, a00); ADD_TO(d0 + 4, a01); ADD_TO(d0 + 8, a02); ADD_TO(d0 + 12, a03);
            ADD_TO(d1, a10); ADD_TO(d1 + 4, a11); ADD_TO(d1 + 8, a12); ADD_TO(d1 + 12, a13);
          }
          for (; co < Co; co += 4) {
            v128_t a0 = wasm_f32x4_splat(0.f), a1 = a0;
            for (int ho = 0; ho < Ho; ho++) {
              int hi = ho * s + a - p;
              if (hi < 0 || hi >= H) continue;
              const float *xr = xn + ((long)hi * W + (wlo * s + b - p)) * Ci + ci;
              const float *dr = dyn + ((long)ho * Wo + wlo) * Co + co;
              for (int wo = wlo; wo < whi; wo++, xr += xs, dr += Co) {
                v128_t g = wasm_v128_load(dr);
                ACC(a0, wasm_f32x4_splat(xr[0]), g);
                ACC(a1, wasm_f32x4_splat(xr[1]), g);
              }
            }
            float *d0 = dab + (long)ci * Co + co;
            ADD_TO(d0, a0); ADD_TO(d0 + Co, a1);
          }
        }
        for (; ci < ci1; ci++) {
          for (int co = 0; co < Co; co += 4) {
            v128_t a0 = wasm_f32x4_splat(0.f);
            for (int ho = 0; ho < Ho; ho++) {
              int hi = ho * s + a - p;
              if (hi < 0 || hi >= H) continue;
              const float *xr = xn + ((long)hi * W + (wlo * s + b - p)) * Ci + ci;
              const float *dr = dyn + ((long)ho * Wo + wlo) * Co + co;
              for (int wo = wlo; wo < whi; wo++, xr += xs, dr += Co) ACC(a0, wasm_f32x4_splat(xr[0]), wasm_v128_load(dr));
            }
            ADD_TO(dab + (long)ci * Co + co, a0);
          }
        }
      }
    }
  }
}

// Input gradient of the same convolution, scattered from each dy pixel:
//   dx[n, ho*s+a-p, wo*s+b-p, ci] += sum over co of w[a,b,ci,co] * dy[n,ho,wo,co]
// dy [N,Ho,Wo,Co], wt: the filter [KH,KW,Ci,Co] as [KH,KW,Co,Ci] (filter_ci_inner: a row of
// input channels is one vector load), dx [N,H,W,Ci] zeroed by the caller; Ci % 4 == 0. Tiles:
// two output pixels × 16 input channels (8 accumulators), then 4 channels. Computes the images
// [n0, n1): threads split the batch.
__attribute__((export_name("input_grad"))) void input_grad(const float *dy, const float *wt, float *dx, int N, int H,
                                                             int W, int Ci, int Ho, int Wo, int Co, int KH, int KW,
                                                             int s, int p, int n0, int n1) {
  for (int n = n0; n < n1; n++) {
    for (int ho = 0; ho < Ho; ho++) {
      const float *dyr = dy + ((long)n * Ho + ho) * Wo * Co;
      for (int a = 0; a < KH; a++) {
        int hi = ho * s + a - p;
        if (hi < 0 || hi >= H) continue;
        float *dxr = dx + ((long)n * H + hi) * W * Ci;
        for (int b = 0; b < KW; b++) {
          int wlo, whi;
          valid_range(Wo, s, b, p, W, &wlo, &whi);
          const float *wab = wt + (long)(a * KW + b) * Co * Ci;
          int ci = 0;
          for (; ci + 16 <= Ci; ci += 16) {
            int wo = wlo;
            for (; wo + 2 <= whi; wo += 2) {
              const float *d0 = dyr + (long)wo * Co, *d1 = d0 + Co;
              const float *wr = wab + ci;
              v128_t z = wasm_f32x4_splat(0.f);
              v128_t a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
              for (int co = 0; co < Co; co++, wr += Ci) {
                v128_t g0 = wasm_v128_load(wr), g1 = wasm_v128_load(wr + 4);
                v128_t g2 = wasm_v128_load(wr + 8), g3 = wasm_v128_load(wr + 12);
                v128_t y0 = wasm_f32x4_splat(d0[co]), y1 = wasm_f32x4_splat(d1[co]);
                ACC(a00, y0, g0); ACC(a01, y0, g1); ACC(a02, y0, g2); ACC(a03, y0, g3);
                ACC(a10, y1, g0); ACC(a11, y1, g1); ACC(a12, y1, g2); ACC(a13, y1, g3);
              }
              float *x0 = dxr + (long)(wo * s + b - p) * Ci + ci, *x1 = x0 + (long)s * Ci;
              ADD_TO(x0, a00); ADD_TO(x0 + 4, a01); ADD_TO(x0 + 8, a02); ADD_TO(x0 + 12, a03);
              ADD_TO(x1, a10); ADD_TO(x1 + 4, a11); ADD_TO(x1 + 8, a12); ADD_TO(x1 + 12, a13);
            }
            for (; wo < whi; wo++) {
              const float *d0 = dyr + (long)wo * Co;
              const float *wr = wab + ci;
              v128_t z = wasm_f32x4_splat(0.f);
              v128_t a00 = z, a01 = z, a02 = z, a03 = z;
              for (int co = 0; co < Co; co++, wr += Ci) {
                v128_t y0 = wasm_f32x4_splat(d0[co]);
                ACC(a00, y0, wasm_v128_load(wr)); ACC(a01, y0, wasm_v128_load(wr + 4));
                ACC(a02, y0, wasm_v128_load(wr + 8)); ACC(a03, y0, wasm_v128_load(wr + 12));
              }
              float *x0 = dxr + (long)(wo * s + b - p) * Ci + ci;
              ADD_TO(x0, a00); ADD_TO(x0 + 4, a01); ADD_TO(x0 + 8, a02); ADD_TO(x0 + 12, a03);
            }
          }
          for (; ci < Ci; ci += 4) {
            for (int wo = wlo; wo < whi; wo++) {
              const float *d0 = dyr + (long)wo * Co;
              const float *wr = wab + ci;
              v128_t a00 = wasm_f32x4_splat(0.f);
              for (int co = 0; co < Co; co++, wr += Ci) ACC(a00, wasm_f32x4_splat(d0[co]), wasm_v128_load(wr));
              ADD_TO(dxr + (long)(wo * s + b - p) * Ci + ci, a00);
            }
          }
        }
      }
    }
  }
}

// w [KH·KW, Ci, Co] → wt [KH·KW, Co, Ci].
__attribute__((export_name("filter_ci_inner"))) void filter_ci_inner(const float *w, float *wt, int KHKW, int Ci, int Co) {
  for (int ab = 0; ab < KHKW; ab++)
    for (int ci = 0; ci < Ci; ci++)
      for (int co = 0; co < Co; co++) wt[((long)ab * Co + co) * Ci + ci] = w[((long)ab * Ci + ci) * Co + co];
}

// Training-mode BatchNorm over NHWC data seen as M = N·H·W rows of C channels, computed as
// PyTorch's CPU kernels do: per-channel sums accumulated in double, two passes for the
// variance (biased), 1/sqrt(var + eps) in double; y = x·α + (β − mean·α) with α = γ/σ.
// Sums run over the channels [c0, c1) and elementwise passes over the rows [m0, m1): threads
// split them without changing any element's arithmetic.

// acc: scratch for 2·C doubles.
__attribute__((export_name("bn_moments"))) void bn_moments(const float *x, float *mean, float *variance, float *invstd,
                                                             double *acc, int M, int C, double eps, int c0, int c1) {
  double *sum = acc, *sq = acc + C;
  for (int c = c0; c < c1; c++) sum[c] = sq[c] = 0.0;
  for (long m = 0; m < M; m++) {
    const float *r = x + m * C;
    for (int c = c0; c < c1; c++) sum[c] += r[c];
  }
  for (int c = c0; c < c1; c++) mean[c] = (float)(sum[c] / M);
  for (long m = 0; m < M; m++) {
    const float *r = x + m * C;
    for (int c = c0; c < c1; c++) {
      double d = (double)r[c] - (double)mean[c];
      sq[c] += d * d;
    }
  }
  for (int c = c0; c < c1; c++) {
    double var = sq[c] / M;
    variance[c] = (float)var;
    invstd[c] = (float)(1.0 / __builtin_sqrt(var + eps));
  }
}

// ab = [α, β'] per channel (2·C floats): α = invstd·γ, β' = β − mean·α.
__attribute__((export_name("bn_factors"))) void bn_factors(const float *gamma, const float *beta, const float *mean,
                                                             const float *invstd, float *ab, int C) {
  for (int c = 0; c < C; c++) {
    ab[c] = invstd[c] * gamma[c];
    // PyTorch's CPU kernel forms β' and x·α + β' with fused multiply-adds (one rounding). wasm has
    // none; in double the product is exact and the sum rounds once to float, as FMA does. It
    // matters where x·α ≈ −β': pre-ReLU values within an ulp of zero, whose sign decides whether
    // ReLU passes their gradient (the public resnet20_synflow case: 5.85e-4 → 2.5e-6).
    ab[C + c] = (float)((double)beta[c] - (double)mean[c] * ab[c]);
  }
}

// y = x·α + β' per channel (in double: a fused multiply-add, see bn_factors), ab from bn_factors.
__attribute__((export_name("bn_forward"))) void bn_forward(const float *x, const float *ab, float *y, int M, int C,
                                                             int m0, int m1) {
  const float *alpha = ab, *shift = ab + C;
  for (long m = m0; m < m1; m++) {
    const float *r = x + m * C;
    float *o = y + m * C;
    for (int c = 0; c < C; c++) o[c] = (float)((double)r[c] * alpha[c] + shift[c]);
  }
}

// dβ = Σ dy, dγ = Σ (x − mean)·dy · invstd, and the factors of dx: k = Σ (x − mean)·dy · invstd² / M
// and Σdy/M. acc: scratch for 2·C doubles; kg: 2·C floats [k, Σdy/M] for bn_backward_dx.
__attribute__((export_name("bn_backward_sums"))) void bn_backward_sums(const float *dy, const float *x,
                                                                         const float *mean, const float *invstd,
                                                                         float *dgamma, float *dbeta, double *acc,
                                                                         float *kg, int M, int C, int c0, int c1) {
  double *sum = acc, *dot = acc + C;
  for (int c = c0; c < c1; c++) sum[c] = dot[c] = 0.0;
  for (long m = 0; m < M; m++) {
    const float *g = dy + m * C, *r = x + m * C;
    for (int c = c0; c < c1; c++) {
      sum[c] += g[c];
      dot[c] += ((double)r[c] - (double)mean[c]) * g[c];
    }
  }
  for (int c = c0; c < c1; c++) {
    dbeta[c] = (float)sum[c];
    dgamma[c] = (float)(dot[c] * invstd[c]);
    kg[c] = (float)(dot[c] * invstd[c] * invstd[c] / M);
    kg[C + c] = (float)(sum[c] / M);
  }
}

// dx = (dy − Σdy/M − (x − mean)·k) · invstd · γ.
__attribute__((export_name("bn_backward_dx"))) void bn_backward_dx(const float *dy, const float *x, const float *gamma,
                                                                     const float *mean, const float *invstd,
                                                                     const float *kg, float *dx, int M, int C, int m0,
                                                                     int m1) {
  const float *k = kg, *gm = kg + C;
  for (long m = m0; m < m1; m++) {
    const float *g = dy + m * C, *r = x + m * C;
    float *o = dx + m * C;
    for (int c = 0; c < C; c++) o[c] = (g[c] - gm[c] - (r[c] - mean[c]) * k[c]) * invstd[c] * gamma[c];
  }
}

// y = x < 0 ? 0 : x over [i0, i1) (tfjs's Relu; NaN stays NaN).
__attribute__((export_name("relu"))) void relu(const float *x, float *y, int n, int i0, int i1) {
  for (long i = i0; i < i1; i++) y[i] = x[i] < 0.0f ? 0.0f : x[i];
}

// dx = dy · step(y) over [i0, i1), step(y) = 1 where y > 0, 0 elsewhere and NaN at NaN: tfjs's
// Relu gradient (dy · step(x)), read from the output (y > 0 exactly where x > 0).
__attribute__((export_name("relu_grad"))) void relu_grad(const float *dy, const float *y, float *dx, int n, int i0,
                                                           int i1) {
  for (long i = i0; i < i1; i++) dx[i] = dy[i] * (y[i] > 0.0f ? 1.0f : (y[i] != y[i] ? y[i] : 0.0f));
}

// One step of torch.optim.SGD (dampening 0) over [i0, i1), float32 operations in the order of
// the portable update (src/core/train/sgd.ts): g = grad + p·wd; buf' = g on the first step, else
// buf·m + g; g = g + buf'·m (Nesterov) or buf'; p' = p − g·lr. flags: 1 weight decay, 2 momentum,
// 4 first step, 8 Nesterov. buf and buf_out are unused without momentum.
__attribute__((export_name("sgd_update"))) void sgd_update(const float *p, const float *grad, const float *buf,
                                                             float *p_out, float *buf_out, float lr, float m,
                                                             float wd, int flags, int n, int i0, int i1) {
  for (long i = i0; i < i1; i++) {
    float g = flags & 1 ? grad[i] + p[i] * wd : grad[i];
    if (flags & 2) {
      float b = flags & 4 ? g : buf[i] * m + g;
      buf_out[i] = b;
      g = flags & 8 ? g + b * m : b;
    }
    p_out[i] = p[i] - g * lr;
  }
}

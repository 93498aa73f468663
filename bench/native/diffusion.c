/* The product's diffusion update in C, for comparison: one stage of the RKL2 super-step,
 *   out ← μ·prev + ν·out + S(w),   w = a·prev + g·u,
 * S the 7-point stencil with explicit bath faces and the linear uptake −K·w, as in
 * assembly/stage_uniform.ts (uniform tissue: R Σ (w_q − w_p) + Σ_bath B (g u_b − w_p) − K w_p) and
 * assembly/stage_heterogeneous.ts (per-voxel 1/α and face coefficients:
 * τ/α_p [Σ G (w_q − w_p) + Σ_bath G_b (g u_b − w_p)] − (k′τ + k_tτ/α_p) w_p). The same arithmetic in
 * the same order as the AssemblyScript: f32 values, the interior of every row that is not on a face
 * of the box in a loop the compiler vectorises (the AS does those four voxels at a time in SIMD,
 * over the same voxels), the rows on a face of the box and the voxels at the ends of rows one by
 * one (scalar in the AS too), the uptake and bath outflow summed in f64. -fopenmp-simd only lets the
 * compiler vectorise the f64 sums of the uptake (reassociated, as the wasm kernel's two f64x2 lanes
 * are). gcc -O3 -march=native also contracts a·b + c into fused multiply-adds, which WebAssembly
 * SIMD does not have; built with -ffp-contract=off the result is bit-identical to the wasm kernel's
 * (the bench checks that with the "check" mode below).
 *
 * Usage:
 *   diffusion-bench n passes [repeats [kernel uptake]] → lines
 *     "uniform|heterogeneous uptake(0|1) n voxel_updates_per_s", the best of `repeats` timed blocks
 *     of `passes` stage passes, for every case or only the one given (kernel 0 uniform, 1 heterogeneous);
 *   diffusion-bench check n passes kernel uptake → "hash outflow uptake unweighted": an FNV-1a hash
 *     of both stage registers after `passes` passes from the check field (varied coefficients), and
 *     the last pass's f64 sums (uniform: Σ K·w and 0; heterogeneous: Σ α w and Σ w), for comparison
 *     with the wasm kernel and plain JS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* The stage coefficients of the bench (kernel-bench.mjs uses the same). */
#define STAGE_A 0.6f
#define STAGE_G 0.2f
#define STAGE_MU 1.5f
#define STAGE_NU (-0.5f)
#define STAGE_R 0.15f          /* D*τ/h² */
#define UNIFORM_K 0.001f       /* kτ with uptake on */
#define FACE_G 0.03f           /* heterogeneous: τ·(1/α)·G = 5 × 0.03 = r */
#define INVERSE_ALPHA 5.0f
#define K_ECS_TAU 0.001f       /* heterogeneous with uptake on: k′τ and k_tτ */
#define K_TISSUE_TAU 0.0002f

typedef struct {
  long n;
  float a, g, mu, nu, gBath;
  float r, b, K;                   /* uniform: D*τ/h², bath coefficient of every face (2r), kτ */
  float tau, kEcs, kTissue;        /* heterogeneous: τ, k′τ, k_tτ */
  const float *ia, *gx, *gy, *gz, *boundary;  /* heterogeneous coefficients (boundary block as in stage_heterogeneous.ts) */
  double outflow;                  /* bath outflow of the pass */
  double uptake;                   /* uniform: Σ K·w */
  double alphaWeighted, unweighted;  /* heterogeneous with uptake: Σ w/(1/α) and Σ w */
} stage_t;

#define W(q) (a * prev[q] + g * u[q])

/* boundaryVoxel of stage_uniform.ts: voxel p = (i, j, k), every face checked. */
static inline void uniform_voxel(stage_t *s, const float *u, const float *prev, float *out, long p, long i, long j, long k) {
  const long n = s->n, nn = n * n;
  const float a = s->a, g = s->g;
  float wp = W(p), interior = 0, bath = 0;
  if (i > 0) interior += W(p - 1) - wp; else bath += s->b;
  if (i < n - 1) interior += W(p + 1) - wp; else bath += s->b;
  if (j > 0) interior += W(p - n) - wp; else bath += s->b;
  if (j < n - 1) interior += W(p + n) - wp; else bath += s->b;
  if (k > 0) interior += W(p - nn) - wp; else bath += s->b;
  if (k < n - 1) interior += W(p + nn) - wp; else bath += s->b;
  float change = s->r * interior + bath * (s->gBath - wp) - s->K * wp;
  out[p] = s->mu * prev[p] + s->nu * out[p] + change;
  s->uptake += (double)(s->K * wp);
  s->outflow += (double)bath * ((double)wp - (double)s->gBath);
}

/* The SIMD part of an interior row of stage_uniform.ts: voxels first … end−1 (pointers at the row's voxel 0). */
static inline double uniform_row(const float *restrict u, const float *restrict prev, float *restrict out, long first, long end,
                                 long n, long nn, float r, float K, float a, float g, float mu, float nu, int with_uptake) {
  double uptake = 0;
  if (with_uptake) {
#pragma omp simd reduction(+:uptake)
    for (long i = first; i < end; i++) {
      float c = W(i);
      float sum = (W(i - 1) - c) + (W(i + 1) - c) + (W(i - n) - c) + (W(i + n) - c) + (W(i - nn) - c) + (W(i + nn) - c);
      float removed = K * c;
      float change = r * sum - removed;
      out[i] = mu * prev[i] + nu * out[i] + change;
      uptake += (double)removed;
    }
  } else {
    for (long i = first; i < end; i++) {
      float c = W(i);
      float sum = (W(i - 1) - c) + (W(i + 1) - c) + (W(i - n) - c) + (W(i + n) - c) + (W(i - nn) - c) + (W(i + nn) - c);
      out[i] = mu * prev[i] + nu * out[i] + r * sum;
    }
  }
  return uptake;
}

/* scalarVoxel of stage_heterogeneous.ts: voxel p = (i, j, k), every face checked. */
static inline void heterogeneous_voxel(stage_t *s, const float *u, const float *prev, float *out, long p, long i, long j, long k) {
  const long n = s->n, nn = n * n, faces = n * n;
  const float a = s->a, g = s->g;
  const float *gx = s->gx, *gy = s->gy, *gz = s->gz, *xBlock = s->boundary;
  const float *yBlock = xBlock + 2 * faces, *zBlock = yBlock + 2 * faces;
  float wp = W(p), interior = 0, bath = 0;
  if (i > 0) interior += gx[p - 1] * (W(p - 1) - wp); else bath += xBlock[j + n * k];
  if (i < n - 1) interior += gx[p] * (W(p + 1) - wp); else bath += xBlock[faces + j + n * k];
  if (j > 0) interior += gy[p - n] * (W(p - n) - wp); else bath += yBlock[i + n * k];
  if (j < n - 1) interior += gy[p] * (W(p + n) - wp); else bath += yBlock[faces + i + n * k];
  if (k > 0) interior += gz[p - nn] * (W(p - nn) - wp); else bath += zBlock[i + n * j];
  if (k < n - 1) interior += gz[p] * (W(p + nn) - wp); else bath += zBlock[nn + i + n * j];
  float ia = s->ia[p];
  float change = s->tau * ia * (interior + bath * (s->gBath - wp)) - (s->kEcs + s->kTissue * ia) * wp;
  out[p] = s->mu * prev[p] + s->nu * out[p] + change;
  s->alphaWeighted += (double)wp / (double)ia;
  s->unweighted += (double)wp;
  s->outflow += (double)s->tau * (double)bath * ((double)wp - (double)s->gBath);
}

/* The SIMD part of an interior row of stage_heterogeneous.ts (pointers at the row's voxel 0). */
static inline void heterogeneous_row(stage_t *s, const float *restrict u, const float *restrict prev, float *restrict out,
                                     const float *restrict ia, const float *restrict gx, const float *restrict gy,
                                     const float *restrict gz, long first, long end, int with_uptake) {
  const long n = s->n, nn = n * n;
  const float a = s->a, g = s->g, mu = s->mu, nu = s->nu, tau = s->tau, kEcs = s->kEcs, kTissue = s->kTissue;
  if (with_uptake) {
    double alphaWeighted = 0, unweighted = 0;
#pragma omp simd reduction(+:alphaWeighted, unweighted)
    for (long i = first; i < end; i++) {
      float c = W(i);
      float sum = gx[i - 1] * (W(i - 1) - c) + gx[i] * (W(i + 1) - c) + gy[i - n] * (W(i - n) - c) + gy[i] * (W(i + n) - c)
                + gz[i - nn] * (W(i - nn) - c) + gz[i] * (W(i + nn) - c);
      float change = tau * ia[i] * sum - (kEcs + kTissue * ia[i]) * c;
      out[i] = mu * prev[i] + nu * out[i] + change;
      alphaWeighted += (double)(c / ia[i]);
      unweighted += (double)c;
    }
    s->alphaWeighted += alphaWeighted;
    s->unweighted += unweighted;
  } else {
    for (long i = first; i < end; i++) {
      float c = W(i);
      float sum = gx[i - 1] * (W(i - 1) - c) + gx[i] * (W(i + 1) - c) + gy[i - n] * (W(i - n) - c) + gy[i] * (W(i + n) - c)
                + gz[i - nn] * (W(i - nn) - c) + gz[i] * (W(i + nn) - c);
      out[i] = mu * prev[i] + nu * out[i] + tau * ia[i] * sum;
    }
  }
}

/* One stage pass over the n³ box, rows in the order and split of the AS kernels: on an interior row
 * the voxels 1 … simdEnd−1 (whole blocks of four) vectorised, the rest scalar; rows on a face of the
 * box scalar. */
static void stage(stage_t *s, const float *u, const float *prev, float *out) {
  const long n = s->n, nn = n * n;
  const long simdEnd = 1 + ((n - 2) / 4) * 4;
  const int uptake = s->ia ? (s->kEcs != 0 || s->kTissue != 0) : s->K != 0;
  s->outflow = s->uptake = s->alphaWeighted = s->unweighted = 0;
  for (long k = 0; k < n; k++) {
    for (long j = 0; j < n; j++) {
      const long row = n * (j + n * k);
      const int faceRow = k == 0 || k == n - 1 || j == 0 || j == n - 1 || n < 3;
      long i = 0;
      if (s->ia) {
        if (!faceRow) {
          heterogeneous_row(s, u + row, prev + row, out + row, s->ia + row, s->gx + row, s->gy + row, s->gz + row, 1, simdEnd, uptake);
          heterogeneous_voxel(s, u, prev, out, row, 0, j, k);
          i = simdEnd;
        }
        for (; i < n; i++) heterogeneous_voxel(s, u, prev, out, row + i, i, j, k);
      } else {
        if (!faceRow) {
          uniform_voxel(s, u, prev, out, row, 0, j, k);
          s->uptake += uniform_row(u + row, prev + row, out + row, 1, simdEnd, n, nn, s->r, s->K, s->a, s->g, s->mu, s->nu, uptake);
          i = simdEnd;
        }
        for (; i < n; i++) uniform_voxel(s, u, prev, out, row + i, i, j, k);
      }
    }
  }
}

/* The field every implementation starts from (kernel-bench.mjs builds the same): u = 1 everywhere
 * and 1000 more at index count/2; the two stage registers a pattern between 0.875 and 1.25 (no
 * value is ever subnormal, which would slow all three alike). check: varied coefficients too. */
static void start_field(long n, float *u, float *r0, float *r1, float *ia, float *gx, float *gy, float *gz, float *boundary,
                        int check) {
  const long count = n * n * n;
  for (long p = 0; p < count; p++) {
    u[p] = 1;
    r0[p] = (float)(1.0 + (double)((p * 7919) % 1000) / 4000.0);
    r1[p] = (float)(1.0 - (double)((p * 104729) % 1000) / 8000.0);
    ia[p] = check ? (float)(5.0 + (double)(p % 3) / 2.0) : INVERSE_ALPHA;
    gx[p] = check ? (float)(0.03 * (1.0 + (double)(p % 7) / 14.0)) : FACE_G;
    gy[p] = check ? (float)(0.03 * (1.0 + (double)(p % 5) / 10.0)) : FACE_G;
    gz[p] = check ? (float)(0.03 * (1.0 + (double)(p % 11) / 22.0)) : FACE_G;
  }
  u[count / 2] += 1000;
  for (long q = 0; q < 6 * n * n; q++) boundary[q] = check ? (float)(0.06 * (1.0 + (double)(q % 13) / 26.0)) : 2 * FACE_G;
}

static stage_t stage_for(long n, int kernel, int uptake, const float *ia, const float *gx, const float *gy, const float *gz,
                         const float *boundary) {
  stage_t s;
  memset(&s, 0, sizeof s);
  s.n = n;
  s.a = STAGE_A; s.g = STAGE_G; s.mu = STAGE_MU; s.nu = STAGE_NU;
  s.gBath = STAGE_G * 0.0f;  /* bath at baseline: uBath = 0 */
  s.r = STAGE_R; s.b = 2 * STAGE_R; s.K = uptake ? UNIFORM_K : 0;
  s.tau = 1; s.kEcs = uptake ? K_ECS_TAU : 0; s.kTissue = uptake ? K_TISSUE_TAU : 0;
  if (kernel == 1) { s.ia = ia; s.gx = gx; s.gy = gy; s.gz = gz; s.boundary = boundary; }
  return s;
}

static uint32_t fnv1a(uint32_t hash, const float *values, long count) {
  for (long p = 0; p < count; p++) {
    uint32_t word;
    memcpy(&word, values + p, 4);
    hash = (hash ^ word) * 16777619u;
  }
  return hash;
}

int main(int argc, char **argv) {
  const int check = argc > 1 && strcmp(argv[1], "check") == 0;
  if (check) { argv++; argc--; }
  long n = argc > 1 ? atol(argv[1]) : 64;
  int passes = argc > 2 ? atoi(argv[2]) : 20, repeats = argc > 3 && !check ? atoi(argv[3]) : 1;
  /* One case only (kernel 0 uniform, 1 heterogeneous; uptake 0 or 1), for interleaved timing. */
  int only_kernel = check ? atoi(argv[3]) : argc > 5 ? atoi(argv[4]) : -1;
  int only_uptake = check ? atoi(argv[4]) : argc > 5 ? atoi(argv[5]) : -1;
  long count = n * n * n;
  float *u = malloc(count * 4), *registers[2] = { malloc(count * 4), malloc(count * 4) };
  float *ia = malloc(count * 4), *gx = malloc(count * 4), *gy = malloc(count * 4), *gz = malloc(count * 4);
  float *boundary = malloc(6 * n * n * 4);
  volatile double sink = 0;
  for (int kernel = 0; kernel < 2; kernel++)
    for (int uptake = 0; uptake < 2; uptake++) {
      if ((only_kernel >= 0 && kernel != only_kernel) || (only_uptake >= 0 && uptake != only_uptake)) continue;
      start_field(n, u, registers[0], registers[1], ia, gx, gy, gz, boundary, check);
      stage_t s = stage_for(n, kernel, uptake, ia, gx, gy, gz, boundary);
      /* Pass t reads register t mod 2 as prev and overwrites the other (the product alternates so). */
      int pass = 0;
      if (check) {
        for (; pass < passes; pass++) stage(&s, u, registers[pass % 2], registers[(pass + 1) % 2]);
        uint32_t hash = fnv1a(fnv1a(2166136261u, registers[0], count), registers[1], count);
        printf("%08x %.17g %.17g %.17g\n", hash, s.outflow, kernel == 0 ? s.uptake : s.alphaWeighted, s.unweighted);
        continue;
      }
      for (int t = 0; t < 2; t++, pass++) stage(&s, u, registers[pass % 2], registers[(pass + 1) % 2]);  /* warm-up */
      double best = 0;
      for (int block = 0; block < repeats; block++) {  /* the best block: the machine may be shared */
        double start = now();
        for (int t = 0; t < passes; t++, pass++) {
          stage(&s, u, registers[pass % 2], registers[(pass + 1) % 2]);
          sink += s.outflow + s.uptake + s.alphaWeighted;
        }
        double rate = (double)count * passes / (now() - start);
        if (rate > best) best = rate;
      }
      printf("%s %d %ld %.6e\n", kernel == 0 ? "uniform" : "heterogeneous", uptake, n, best);
    }
  fprintf(stderr, "%g\n", (double)sink);
  return 0;
}

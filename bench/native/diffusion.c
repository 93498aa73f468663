/* The kernel's diffusion updates in C, for comparison (gcc -O3 -march=native -fopenmp-simd): the
 * same cell-centred scheme, compensated f32 storage, implicit bath coupling, in-place update
 * shifted by one plane (sweeping up and down alternately) and fused linear uptake as assembly/diffusion_uniform.ts and
 * diffusion_heterogeneous.ts, with the interior of each row in one loop the compiler vectorises and
 * the six faces of the box handled separately. -fopenmp-simd only lets the compiler vectorise the
 * f64 sum of the removed amount (reassociated, as the wasm kernel's two f64x2 lanes are).
 * Usage: diffusion-bench n steps [repeats] → prints lines "uniform|heterogeneous uptake(0|1) n voxel_updates_per_s",
 * the best of `repeats` timed blocks of `steps` steps. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* (out, low) ← up + increment + low without losing the rounding error (Fast2Sum). */
static inline void compensated(float *out, float *low, float up, float increment) {
  float carried = increment + *low;
  float updated = up + carried;
  *low = carried - (updated - up);
  *out = updated;
}

typedef struct {
  int n;
  float r, b, decay;       /* uniform coefficient, bath coefficient of every face, 1 − exp(−k dt) */
  const float *ia, *gx, *gy, *gz;  /* heterogeneous coefficients (NULL: uniform) */
  double removed;          /* what the uptake removed in this step */
} step_t;

/* A voxel on a face of the box: the neighbours that exist, bath coupling b on every missing one
 * (Dirichlet), implicit; then the uptake. out: where its new value goes. */
static void boundary_voxel(step_t *s, const float *u, float *low, float *out, long p, int i, int j, int k) {
  int n = s->n;
  long nn = (long)n * n;
  float up = u[p], interior = 0, bath = 0, a = s->ia ? s->ia[p] : 1;
  if (s->ia) {
    if (i > 0) interior += s->gx[p - 1] * (u[p - 1] - up); else bath += s->b;
    if (i < n - 1) interior += s->gx[p] * (u[p + 1] - up); else bath += s->b;
    if (j > 0) interior += s->gy[p - n] * (u[p - n] - up); else bath += s->b;
    if (j < n - 1) interior += s->gy[p] * (u[p + n] - up); else bath += s->b;
    if (k > 0) interior += s->gz[p - nn] * (u[p - nn] - up); else bath += s->b;
    if (k < n - 1) interior += s->gz[p] * (u[p + nn] - up); else bath += s->b;
  } else {
    if (i > 0) interior += u[p - 1] - up; else bath += s->b;
    if (i < n - 1) interior += u[p + 1] - up; else bath += s->b;
    if (j > 0) interior += u[p - n] - up; else bath += s->b;
    if (j < n - 1) interior += u[p + n] - up; else bath += s->b;
    if (k > 0) interior += u[p - nn] - up; else bath += s->b;
    if (k < n - 1) interior += u[p + nn] - up; else bath += s->b;
    interior *= s->r;
  }
  float increment = a * (interior + bath * (0 - up)) / (1 + a * bath);
  float removed = s->decay * (up + increment);
  s->removed += (double)removed / a;
  compensated(out, low + p, up, increment - removed);
}

/*
 * Interior of a uniform row, i = 1 … n−2 (pointers at the row's first voxel).
 * u and out point into the same array (out[i] is u[i ∓ n·n], a plane that this row's loads never
 * touch: see assembly/diffusion_uniform.ts), so `restrict` holds for every access the loop makes;
 * it is what lets gcc vectorise without run-time overlap checks. gcc -O3 -march=native also
 * contracts a·b + c into fused multiply-adds, which WebAssembly SIMD does not have; the C keeps
 * that advantage (results differ from wasm by ~1e-8; with -ffp-contract=off they are bit-identical).
 */
static inline double row_uniform(const float *restrict u, float *restrict low, float *restrict out, long n, long nn,
                                 float r, float decay, int with_decay) {
  double removed = 0;
  if (with_decay) {
#pragma omp simd reduction(+:removed)
    for (long i = 1; i < n - 1; i++) {
      float c = u[i];
      float s = (u[i - 1] - c) + (u[i + 1] - c) + (u[i - n] - c) + (u[i + n] - c) + (u[i - nn] - c) + (u[i + nn] - c);
      float increment = r * s;
      float gone = decay * (c + increment);
      removed += gone;
      compensated(out + i, low + i, c, increment - gone);
    }
  } else {
    for (long i = 1; i < n - 1; i++) {
      float c = u[i];
      float s = (u[i - 1] - c) + (u[i + 1] - c) + (u[i - n] - c) + (u[i + n] - c) + (u[i - nn] - c) + (u[i + nn] - c);
      compensated(out + i, low + i, c, r * s);
    }
  }
  return removed;
}

/* Interior of a heterogeneous row; the removed amount is weighted by α = 1/ia. */
static inline double row_heterogeneous(const float *restrict u, float *restrict low, float *restrict out,
                                       const float *restrict ia, const float *restrict gx, const float *restrict gy,
                                       const float *restrict gz, long n, long nn, float decay, int with_decay) {
  double removed = 0;
  if (with_decay) {
#pragma omp simd reduction(+:removed)
    for (long i = 1; i < n - 1; i++) {
      float c = u[i];
      float s = gx[i - 1] * (u[i - 1] - c) + gx[i] * (u[i + 1] - c) + gy[i - n] * (u[i - n] - c) + gy[i] * (u[i + n] - c)
              + gz[i - nn] * (u[i - nn] - c) + gz[i] * (u[i + nn] - c);
      float increment = ia[i] * s;
      float gone = decay * (c + increment);
      removed += gone / ia[i];
      compensated(out + i, low + i, c, increment - gone);
    }
  } else {
    for (long i = 1; i < n - 1; i++) {
      float c = u[i];
      float s = gx[i - 1] * (u[i - 1] - c) + gx[i] * (u[i + 1] - c) + gy[i - n] * (u[i - n] - c) + gy[i] * (u[i + n] - c)
              + gz[i - nn] * (u[i - nn] - c) + gz[i] * (u[i + nn] - c);
      compensated(out + i, low + i, c, ia[i] * s);
    }
  }
  return removed;
}

/* One step u → to, where to = u − n² (sweep up) or u + n² (sweep down) in one array of n + 1
 * planes: new plane k overwrites old plane k∓1, which nothing needs any more; low in place. */
static void step(step_t *s, const float *u, float *to, float *low) {
  int n = s->n;
  long nn = (long)n * n;
  int upward = to < u;
  s->removed = 0;
  for (int sweep = 0; sweep < n; sweep++) {
    int k = upward ? sweep : n - 1 - sweep;
    for (int j = 0; j < n; j++) {
      long row = (long)n * (j + (long)n * k);
      float *out = to + row;
      if (k == 0 || j == 0 || k == n - 1 || j == n - 1) {
        for (int i = 0; i < n; i++) boundary_voxel(s, u, low, out + i, row + i, i, j, k);
        continue;
      }
      boundary_voxel(s, u, low, out, row, 0, j, k);
      if (s->ia) {
        s->removed += s->decay != 0
          ? row_heterogeneous(u + row, low + row, out, s->ia + row, s->gx + row, s->gy + row, s->gz + row, n, nn, s->decay, 1)
          : row_heterogeneous(u + row, low + row, out, s->ia + row, s->gx + row, s->gy + row, s->gz + row, n, nn, 0, 0);
      } else {
        s->removed += s->decay != 0 ? row_uniform(u + row, low + row, out, n, nn, s->r, s->decay, 1)
                                    : row_uniform(u + row, low + row, out, n, nn, s->r, 0, 0);
      }
      boundary_voxel(s, u, low, out + n - 1, row + n - 1, n - 1, j, k);
    }
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 64, steps = argc > 2 ? atoi(argv[2]) : 20, repeats = argc > 3 ? atoi(argv[3]) : 1;
  long count = (long)n * n * n;
  float *field = calloc(count + (long)n * n, 4), *low = calloc(count, 4);
  float *u = field + (long)n * n, *to = field;
  float *ia = malloc(count * 4), *gx = malloc(count * 4), *gy = malloc(count * 4), *gz = malloc(count * 4);
  for (long p = 0; p < count; p++) { ia[p] = 5; gx[p] = gy[p] = gz[p] = 0.025f; }
  volatile double sink = 0;
  for (int kernel = 0; kernel < 2; kernel++)
    for (int uptake = 0; uptake < 2; uptake++) {
      /* Every case starts from the same field as in kernel-bench.mjs: 1 everywhere (no subnormal
       * values), a spike of 1000 at index count/2, compensation 0. */
      u = field + (long)n * n;
      to = field;
      for (long p = 0; p < count; p++) { u[p] = 1; low[p] = 0; }
      u[count / 2] += 1000;
      step_t s = { n, 0.15f, kernel == 0 ? 0.3f : 0.05f, uptake ? 0.001f : 0, NULL, NULL, NULL, NULL, 0 };
      if (kernel == 1) { s.ia = ia; s.gx = gx; s.gy = gy; s.gz = gz; }
      for (int t = 0; t < 2; t++) { step(&s, u, to, low); float *x = u; u = to; to = x; }  /* warm-up */
      double best = 0;
      for (int block = 0; block < repeats; block++) {  /* the best block: the machine may be shared */
        double start = now();
        for (int t = 0; t < steps; t++) {
          step(&s, u, to, low);
          float *x = u; u = to; to = x;
          sink += s.removed;
        }
        double rate = (double)count * steps / (now() - start);
        if (rate > best) best = rate;
      }
      printf("%s %d %d %.6e\n", kernel == 0 ? "uniform" : "heterogeneous", uptake, n, best);
    }
  fprintf(stderr, "%g\n", (double)sink);
  return 0;
}

/* The kernel's diffusion updates in C, for comparison (gcc -O3 -march=native -fopenmp-simd): the
 * same cell-centred scheme, compensated f32 storage, implicit bath coupling, in-place update
 * shifted by one plane (sweeping up and down alternately), fused linear uptake and the bath outflow
 * summed in f64, as assembly/diffusion_uniform.ts and diffusion_heterogeneous.ts: the interior of
 * each row in one loop the compiler vectorises, rows on a face of the box in a second such loop, and
 * the voxels at the ends of rows one by one. -fopenmp-simd only lets the compiler vectorise the
 * f64 sum of the removed amount (reassociated, as the wasm kernel's two f64x2 lanes are).
 * Usage: diffusion-bench n steps [repeats [kernel uptake]] → prints lines
 * "uniform|heterogeneous uptake(0|1) n voxel_updates_per_s", the best of `repeats` timed blocks of
 * `steps` steps, for every case or only the one given (kernel 0 uniform, 1 heterogeneous). */
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
  double outflow;          /* Σ bath·(u'_p − u_b) of this step, as the kernel returns it */
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
  s->outflow += (double)bath * ((double)up + (double)increment);
  compensated(out, low + p, up, increment - removed);
}

/*
 * The interior (i = 1 … n−2) of a row on a face of the box, in one loop the compiler vectorises:
 * boundary_voxel's update, whose missing neighbours are the same along the row. A missing
 * neighbour's offset is 0 (the centre: a term of exactly 0); bath: the missing faces' coefficients,
 * summed in boundary_voxel's order. ia, gx, gy, gz: NULL for uniform tissue (coefficient r).
 */
static inline void face_row(step_t *s, const float *restrict u, float *restrict low, float *restrict out,
                            const float *restrict ia, const float *restrict gx, const float *restrict gy,
                            const float *restrict gz, long n, long y_low, long y_high, long z_low, long z_high, float bath) {
  double removed = 0, outflow = 0;
  float r = s->r, decay = s->decay;
  if (ia) {
#pragma omp simd reduction(+:removed, outflow)
    for (long i = 1; i < n - 1; i++) {
      float c = u[i], a = ia[i];
      float interior = gx[i - 1] * (u[i - 1] - c) + gx[i] * (u[i + 1] - c) + gy[i - y_low] * (u[i - y_low] - c)
                     + gy[i] * (u[i + y_high] - c) + gz[i - z_low] * (u[i - z_low] - c) + gz[i] * (u[i + z_high] - c);
      float increment = a * (interior + bath * (0 - c)) / (1 + a * bath);
      float gone = decay * (c + increment);
      removed += (double)gone / a;
      outflow += (double)bath * ((double)c + (double)increment);
      compensated(out + i, low + i, c, increment - gone);
    }
  } else {
#pragma omp simd reduction(+:removed, outflow)
    for (long i = 1; i < n - 1; i++) {
      float c = u[i];
      float interior = (u[i - 1] - c) + (u[i + 1] - c) + (u[i - y_low] - c) + (u[i + y_high] - c) + (u[i - z_low] - c)
                     + (u[i + z_high] - c);
      float increment = (r * interior + bath * (0 - c)) / (1 + bath);
      float gone = decay * (c + increment);
      removed += gone;
      outflow += (double)bath * ((double)c + (double)increment);
      compensated(out + i, low + i, c, increment - gone);
    }
  }
  s->removed += removed;
  s->outflow += outflow;
}

/*
 * Voxels first … end−1 of a uniform row inside the box (pointers at the row's first voxel).
 * u and out point into the same array (out[i] is u[i ∓ n·n], a plane that this row's loads never
 * touch: see assembly/diffusion_uniform.ts), so `restrict` holds for every access the loop makes;
 * it is what lets gcc vectorise without run-time overlap checks. gcc -O3 -march=native also
 * contracts a·b + c into fused multiply-adds, which WebAssembly SIMD does not have; the C keeps
 * that advantage (results differ from wasm by ~1e-8; with -ffp-contract=off they are bit-identical).
 */
static inline double row_uniform(const float *restrict u, float *restrict low, float *restrict out, long first, long end,
                                 long n, long nn, float r, float decay, int with_decay) {
  double removed = 0;
  if (with_decay) {
#pragma omp simd reduction(+:removed)
    for (long i = first; i < end; i++) {
      float c = u[i];
      float s = (u[i - 1] - c) + (u[i + 1] - c) + (u[i - n] - c) + (u[i + n] - c) + (u[i - nn] - c) + (u[i + nn] - c);
      float increment = r * s;
      float gone = decay * (c + increment);
      removed += gone;
      compensated(out + i, low + i, c, increment - gone);
    }
  } else {
    for (long i = first; i < end; i++) {
      float c = u[i];
      float s = (u[i - 1] - c) + (u[i + 1] - c) + (u[i - n] - c) + (u[i + n] - c) + (u[i - nn] - c) + (u[i + nn] - c);
      compensated(out + i, low + i, c, r * s);
    }
  }
  return removed;
}

/* Voxels first … end−1 of a heterogeneous row inside the box; the removed amount is weighted by α = 1/ia. */
static inline double row_heterogeneous(const float *restrict u, float *restrict low, float *restrict out,
                                       const float *restrict ia, const float *restrict gx, const float *restrict gy,
                                       const float *restrict gz, long first, long end, long n, long nn, float decay,
                                       int with_decay) {
  double removed = 0;
  if (with_decay) {
#pragma omp simd reduction(+:removed)
    for (long i = first; i < end; i++) {
      float c = u[i];
      float s = gx[i - 1] * (u[i - 1] - c) + gx[i] * (u[i + 1] - c) + gy[i - n] * (u[i - n] - c) + gy[i] * (u[i + n] - c)
              + gz[i - nn] * (u[i - nn] - c) + gz[i] * (u[i + nn] - c);
      float increment = ia[i] * s;
      float gone = decay * (c + increment);
      removed += gone / ia[i];
      compensated(out + i, low + i, c, increment - gone);
    }
  } else {
    for (long i = first; i < end; i++) {
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
  s->outflow = 0;
  for (int sweep = 0; sweep < n; sweep++) {
    int k = upward ? sweep : n - 1 - sweep;
    for (int j = 0; j < n; j++) {
      long row = (long)n * (j + (long)n * k);
      float *out = to + row;
      if (k == 0 || j == 0 || k == n - 1 || j == n - 1) {
        boundary_voxel(s, u, low, out, row, 0, j, k);
        float bath = 0;
        if (j == 0) bath += s->b;
        if (j == n - 1) bath += s->b;
        if (k == 0) bath += s->b;
        if (k == n - 1) bath += s->b;
        face_row(s, u + row, low + row, out, s->ia ? s->ia + row : NULL, s->ia ? s->gx + row : NULL,
                 s->ia ? s->gy + row : NULL, s->ia ? s->gz + row : NULL, n, j > 0 ? n : 0, j < n - 1 ? n : 0,
                 k > 0 ? nn : 0, k < n - 1 ? nn : 0, bath);
        boundary_voxel(s, u, low, out + n - 1, row + n - 1, n - 1, j, k);
        continue;
      }
      /* The ends one by one (for gcc that is faster than a masked four-lane block at each end, which
       * is what the WebAssembly kernel does), the rest of the row in one vectorised loop. */
      boundary_voxel(s, u, low, out, row, 0, j, k);
      if (s->ia) {
        const float *ia = s->ia + row, *gx = s->gx + row, *gy = s->gy + row, *gz = s->gz + row;
        s->removed += s->decay != 0 ? row_heterogeneous(u + row, low + row, out, ia, gx, gy, gz, 1, n - 1, n, nn, s->decay, 1)
                                    : row_heterogeneous(u + row, low + row, out, ia, gx, gy, gz, 1, n - 1, n, nn, 0, 0);
      } else {
        s->removed += s->decay != 0 ? row_uniform(u + row, low + row, out, 1, n - 1, n, nn, s->r, s->decay, 1)
                                    : row_uniform(u + row, low + row, out, 1, n - 1, n, nn, s->r, 0, 0);
      }
      boundary_voxel(s, u, low, out + n - 1, row + n - 1, n - 1, j, k);
    }
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 64, steps = argc > 2 ? atoi(argv[2]) : 20, repeats = argc > 3 ? atoi(argv[3]) : 1;
  /* Optional: one case only (kernel 0 uniform, 1 heterogeneous; uptake 0 or 1), for interleaved timing. */
  int only_kernel = argc > 5 ? atoi(argv[4]) : -1, only_uptake = argc > 5 ? atoi(argv[5]) : -1;
  long count = (long)n * n * n;
  float *field = calloc(count + (long)n * n, 4), *low = calloc(count, 4);
  float *u = field + (long)n * n, *to = field;
  float *ia = malloc(count * 4), *gx = malloc(count * 4), *gy = malloc(count * 4), *gz = malloc(count * 4);
  for (long p = 0; p < count; p++) { ia[p] = 5; gx[p] = gy[p] = gz[p] = 0.025f; }
  volatile double sink = 0;
  for (int kernel = 0; kernel < 2; kernel++)
    for (int uptake = 0; uptake < 2; uptake++) {
      if ((only_kernel >= 0 && kernel != only_kernel) || (only_uptake >= 0 && uptake != only_uptake)) continue;
      /* Every case starts from the same field as in kernel-bench.mjs: 1 everywhere (no subnormal
       * values), a spike of 1000 at index count/2, compensation 0. */
      u = field + (long)n * n;
      to = field;
      for (long p = 0; p < count; p++) { u[p] = 1; low[p] = 0; }
      u[count / 2] += 1000;
      step_t s = { n, 0.15f, kernel == 0 ? 0.3f : 0.05f, uptake ? 0.001f : 0, NULL, NULL, NULL, NULL, 0, 0 };
      if (kernel == 1) { s.ia = ia; s.gx = gx; s.gy = gy; s.gz = gz; }
      for (int t = 0; t < 2; t++) { step(&s, u, to, low); float *x = u; u = to; to = x; }  /* warm-up */
      double best = 0;
      for (int block = 0; block < repeats; block++) {  /* the best block: the machine may be shared */
        double start = now();
        for (int t = 0; t < steps; t++) {
          step(&s, u, to, low);
          float *x = u; u = to; to = x;
          sink += s.removed + s.outflow;
        }
        double rate = (double)count * steps / (now() - start);
        if (rate > best) best = rate;
      }
      printf("%s %d %d %.6e\n", kernel == 0 ? "uniform" : "heterogeneous", uptake, n, best);
    }
  fprintf(stderr, "%g\n", (double)sink);
  return 0;
}

/* The kernel's diffusion updates in C, for comparison (gcc -O3 -march=native): the same
 * cell-centred scheme, compensated f32 storage and implicit bath coupling as assembly/, with the
 * interior in one loop the compiler vectorises and the six faces handled separately.
 * Usage: diffusion-bench n steps  → prints lines "uniform|heterogeneous uptake(0|1) n voxel_updates_per_s". */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static inline void compensated(float *out, float *low, long p, float up, float increment) {
  float carried = increment + low[p];
  float updated = up + carried;
  low[p] = carried - (updated - up);
  out[p] = updated;
}

/* Boundary voxels: neighbours that exist, bath coupling b (Dirichlet on all faces), implicit. */
static void boundary_uniform(const float *u, float *out, float *low, int n, int i, int j, int k, float r, float b) {
  long nn = (long)n * n, p = i + (long)n * (j + (long)n * k);
  float up = u[p], interior = 0, bath = 0;
  if (i > 0) interior += u[p - 1] - up; else bath += b;
  if (i < n - 1) interior += u[p + 1] - up; else bath += b;
  if (j > 0) interior += u[p - n] - up; else bath += b;
  if (j < n - 1) interior += u[p + n] - up; else bath += b;
  if (k > 0) interior += u[p - nn] - up; else bath += b;
  if (k < n - 1) interior += u[p + nn] - up; else bath += b;
  compensated(out, low, p, up, (r * interior + bath * (0 - up)) / (1 + bath));
}

static void step_uniform(const float *restrict u, float *restrict out, float *restrict low, int n, float r) {
  long nn = (long)n * n;
  for (int k = 0; k < n; k++)
    for (int j = 0; j < n; j++) {
      if (k == 0 || j == 0 || k == n - 1 || j == n - 1) {
        for (int i = 0; i < n; i++) boundary_uniform(u, out, low, n, i, j, k, r, 2 * r);
        continue;
      }
      boundary_uniform(u, out, low, n, 0, j, k, r, 2 * r);
      long row = (long)n * (j + (long)n * k);
      for (long p = row + 1; p < row + n - 1; p++) {
        float c = u[p];
        float s = (u[p - 1] - c) + (u[p + 1] - c) + (u[p - n] - c) + (u[p + n] - c) + (u[p - nn] - c) + (u[p + nn] - c);
        float carried = r * s + low[p];
        float updated = c + carried;
        low[p] = carried - (updated - c);
        out[p] = updated;
      }
      boundary_uniform(u, out, low, n, n - 1, j, k, r, 2 * r);
    }
}

static void step_heterogeneous(const float *restrict u, float *restrict out, float *restrict low, const float *restrict ia, const float *restrict gx, const float *restrict gy,
                               const float *restrict gz, int n) {
  long nn = (long)n * n;
  for (int k = 0; k < n; k++)
    for (int j = 0; j < n; j++) {
      long row = (long)n * (j + (long)n * k);
      if (k == 0 || j == 0 || k == n - 1 || j == n - 1) {
        /* Faces: same update with missing neighbours sealed (the bench compares interiors). */
        for (long p = row; p < row + n; p++) out[p] = u[p];
        continue;
      }
      out[row] = u[row];
      out[row + n - 1] = u[row + n - 1];
      for (long p = row + 1; p < row + n - 1; p++) {
        float c = u[p];
        float s = gx[p - 1] * (u[p - 1] - c) + gx[p] * (u[p + 1] - c) + gy[p - n] * (u[p - n] - c) + gy[p] * (u[p + n] - c)
                + gz[p - nn] * (u[p - nn] - c) + gz[p] * (u[p + nn] - c);
        float carried = ia[p] * s + low[p];
        float updated = c + carried;
        low[p] = carried - (updated - c);
        out[p] = updated;
      }
    }
}

static double decay(float *u, float *low, long count, double factor) {
  double removed = 0;
  for (long p = 0; p < count; p++) {
    double before = (double)u[p] + low[p], after = before * factor;
    float rounded = (float)after;
    u[p] = rounded;
    low[p] = (float)(after - rounded);
    removed += before - after;
  }
  return removed;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 64, steps = argc > 2 ? atoi(argv[2]) : 20;
  long count = (long)n * n * n;
  float *a = calloc(count, 4), *b = calloc(count, 4), *low = calloc(count, 4);
  float *ia = malloc(count * 4), *gx = malloc(count * 4), *gy = malloc(count * 4), *gz = malloc(count * 4);
  for (long p = 0; p < count; p++) { ia[p] = 5; gx[p] = gy[p] = gz[p] = 0.025f; }
  a[count / 2 + n * n / 2 + n / 2] = 1000;
  volatile double sink = 0;
  for (int kernel = 0; kernel < 2; kernel++)
    for (int uptake = 0; uptake < 2; uptake++) {
      step_uniform(a, b, low, n, 0.15f);  /* warm-up */
      double start = now();
      for (int s = 0; s < steps; s++) {
        if (kernel == 0) step_uniform(a, b, low, n, 0.15f); else step_heterogeneous(a, b, low, ia, gx, gy, gz, n);
        float *t = a; a = b; b = t;
        if (uptake) sink += decay(a, low, count, 0.999);
      }
      double seconds = now() - start;
      printf("%s %d %d %.6e\n", kernel == 0 ? "uniform" : "heterogeneous", uptake, n, (double)count * steps / seconds);
    }
  fprintf(stderr, "%g\n", (double)sink);
  return 0;
}

// The fast diffusion kernels (uniform SIMD, heterogeneous SIMD) against the scalar f64 reference,
// one step at a time on random fields, on grid shapes that exercise every code path: axes of 1 and
// 2 voxels (no interior), rows shorter than a SIMD vector, and SIMD remainders.
import { describe, expect, it } from 'vitest';
import { kernelWithArrays, seededRandom } from '../helpers/kernel-arrays.js';

type Shape = [number, number, number];
const SHAPES: Shape[] = [[1, 1, 7], [2, 3, 4], [5, 6, 7], [13, 9, 11], [4, 4, 4], [17, 3, 5]];
const FACE_FLAG_SETS = [
  [0, 0, 0, 0, 0, 0],
  [1, 1, 1, 1, 1, 1],
  [1, 0, 0, 1, 1, 0],
];
// f32 field, f32 coefficients in the fast kernels vs f64 arithmetic in the reference: agreement to
// a few f32 ulps of the field's scale.
const F32_TOLERANCE = 2e-6;

/** Largest difference between two compensated fields (value = u + low). */
function maxAbsDifference(a: Float32Array, aLow: Float32Array, b: Float32Array, bLow: Float32Array): number {
  let worst = 0;
  for (let p = 0; p < a.length; p++) worst = Math.max(worst, Math.abs(a[p] + aLow[p] - (b[p] + bLow[p])));
  return worst;
}

describe('diffusion kernels agree with the scalar reference step', () => {
  for (const shape of SHAPES) {
    for (const flags of FACE_FLAG_SETS) {
      it(`uniform SIMD step on ${shape.join('×')}, Dirichlet faces ${flags.join('')}`, async () => {
        const n = shape[0] * shape[1] * shape[2];
        const { kernel, allocate } = await kernelWithArrays(8 * n);
        const random = seededRandom(n + flags.join('').length);
        const u = allocate(n), fast = allocate(n), reference = allocate(n), alpha = allocate(n), kappa = allocate(n);
        const fastLow = allocate(n), referenceLow = allocate(n);
        for (let p = 0; p < n; p++) u.view[p] = random();
        const alphaValue = 0.2, kappaValue = 0.2 * 2.62 / 1.6 ** 2, scale = 0.1 / kappaValue * alphaValue;
        alpha.view.fill(alphaValue);
        kappa.view.fill(kappaValue);
        const r = (kappaValue / alphaValue) * scale;
        const uBath = 0.3;
        const bath = flags.map((flag) => 2 * r * flag) as [number, number, number, number, number, number];
        const fastOutflow = kernel.stepUniform(u.pointer, fast.pointer, fastLow.pointer, ...shape, r, ...bath, uBath);
        const referenceOutflow = kernel.stepReference(u.pointer, reference.pointer, referenceLow.pointer, alpha.pointer,
          kappa.pointer, ...shape, scale, ...(flags as [number, number, number, number, number, number]), uBath);
        expect(maxAbsDifference(fast.view, fastLow.view, reference.view, referenceLow.view)).toBeLessThan(F32_TOLERANCE);
        // The uniform kernel reports outflow without the factor α.
        expect(alphaValue * fastOutflow).toBeCloseTo(referenceOutflow, 5);
        if (flags.every((flag) => flag === 0)) expect(referenceOutflow).toBe(0);
      });

      it(`heterogeneous SIMD step on ${shape.join('×')}, Dirichlet faces ${flags.join('')}`, async () => {
        const n = shape[0] * shape[1] * shape[2];
        const boundaryCount = 2 * (shape[1] * shape[2] + shape[0] * shape[2] + shape[0] * shape[1]);
        const { kernel, allocate } = await kernelWithArrays(11 * n + boundaryCount);
        const random = seededRandom(7 * n + 1);
        const fastLow = allocate(n), referenceLow = allocate(n);
        const u = allocate(n), fast = allocate(n), reference = allocate(n), alpha = allocate(n), kappa = allocate(n);
        const inverseAlpha = allocate(n), gx = allocate(n), gy = allocate(n), gz = allocate(n);
        const boundary = allocate(boundaryCount);
        for (let p = 0; p < n; p++) {
          u.view[p] = random();
          alpha.view[p] = 0.05 + 0.4 * random();
          const lambda = 1 + random();
          kappa.view[p] = (alpha.view[p] * 2.62) / lambda ** 2;
        }
        // Keep dt·Σ faces/α ≤ 1: scale·κ/α ≤ 2.62·scale, six faces.
        const scale = 0.9 / (6 * 2.62);
        const faceFlags = flags as [number, number, number, number, number, number];
        kernel.buildFaces(alpha.pointer, kappa.pointer, inverseAlpha.pointer, gx.pointer, gy.pointer, gz.pointer,
          boundary.pointer, ...shape, scale, ...faceFlags);
        const uBath = 0.3;
        const fastOutflow = kernel.stepHeterogeneous(u.pointer, fast.pointer, fastLow.pointer, inverseAlpha.pointer, gx.pointer,
          gy.pointer, gz.pointer, boundary.pointer, ...shape, uBath);
        const referenceOutflow = kernel.stepReference(u.pointer, reference.pointer, referenceLow.pointer, alpha.pointer,
          kappa.pointer, ...shape, scale, ...faceFlags, uBath);
        expect(maxAbsDifference(fast.view, fastLow.view, reference.view, referenceLow.view)).toBeLessThan(F32_TOLERANCE);
        expect(fastOutflow).toBeCloseTo(referenceOutflow, 5);
      });
    }
  }

  it('a uniform field at the bath value is a steady state of every kernel, to the bit', async () => {
    const shape: Shape = [9, 8, 7];
    const n = 9 * 8 * 7;
    const boundaryCount = 2 * (8 * 7 + 9 * 7 + 9 * 8);
    const { kernel, allocate } = await kernelWithArrays(10 * n + boundaryCount);
    const u = allocate(n), out = allocate(n), low = allocate(n), alpha = allocate(n), kappa = allocate(n);
    const inverseAlpha = allocate(n), gx = allocate(n), gy = allocate(n), gz = allocate(n);
    const boundary = allocate(boundaryCount);
    const random = seededRandom(3);
    for (let p = 0; p < n; p++) {
      alpha.view[p] = 0.1 + 0.3 * random();
      kappa.view[p] = alpha.view[p] * (0.5 + random());
    }
    u.view.fill(1.25);
    kernel.buildFaces(alpha.pointer, kappa.pointer, inverseAlpha.pointer, gx.pointer, gy.pointer, gz.pointer,
      boundary.pointer, ...shape, 0.1, 1, 1, 1, 1, 1, 1);
    kernel.stepUniform(u.pointer, out.pointer, low.pointer, ...shape, 0.15, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 1.25);
    expect(Array.from(out.view).every((value) => value === 1.25)).toBe(true);
    expect(Array.from(low.view).every((value) => value === 0)).toBe(true);
    out.view.fill(0);
    kernel.stepHeterogeneous(u.pointer, out.pointer, low.pointer, inverseAlpha.pointer, gx.pointer, gy.pointer, gz.pointer,
      boundary.pointer, ...shape, 1.25);
    expect(Array.from(out.view).every((value) => value === 1.25)).toBe(true);
  });
});

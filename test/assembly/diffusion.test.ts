// The fast diffusion kernels (uniform SIMD, heterogeneous SIMD; both in place, shifted by one
// plane, sweeping up or down) against the scalar f64 reference, one step at a time on random fields, on grid shapes that
// exercise every code path: axes of 1 and 2 voxels (no interior), rows shorter than a SIMD vector,
// rows of 8 and 9 (the SIMD row ends meet, or leave one voxel between them) and SIMD remainders;
// with and without the fused linear uptake.
import { describe, expect, it } from 'vitest';
import { kernelWithArrays, seededRandom } from '../helpers/kernel-arrays.js';

type Shape = [number, number, number];
const SHAPES: Shape[] = [[1, 1, 7], [2, 3, 4], [5, 6, 7], [13, 9, 11], [4, 4, 4], [17, 3, 5], [8, 5, 4], [9, 4, 3]];
const FACE_FLAG_SETS = [
  [0, 0, 0, 0, 0, 0],
  [1, 1, 1, 1, 1, 1],
  [1, 0, 0, 1, 1, 0],
];
// f32 field, f32 coefficients in the fast kernels vs f64 arithmetic in the reference: agreement to
// a few f32 ulps of the field's scale.
const F32_TOLERANCE = 2e-6;

type Direction = 'up' | 'down';
const DIRECTIONS: Direction[] = ['up', 'down'];

/**
 * A field array with one spare plane (planeSize f32): the fast kernels step from → to, one plane
 * lower when sweeping up, one plane higher when sweeping down.
 */
function shiftedField(allocate: (n: number) => { pointer: number; view: Float32Array }, n: number, planeSize: number) {
  const block = allocate(n + planeSize);
  const at = (offset: number) => ({
    pointer: block.pointer + 4 * offset, view: new Float32Array(block.view.buffer, block.pointer + 4 * offset, n),
  });
  const upper = at(planeSize), lower = at(0);
  return (direction: Direction) => (direction === 'up' ? { from: upper, to: lower } : { from: lower, to: upper });
}

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
        const { kernel, allocate } = await kernelWithArrays(8 * n + shape[0] * shape[1]);
        const random = seededRandom(n + flags.join('').length);
        const u = allocate(n), reference = allocate(n), alpha = allocate(n), kappa = allocate(n);
        const fastLow = allocate(n), referenceLow = allocate(n), field = shiftedField(allocate, n, shape[0] * shape[1]);
        for (let p = 0; p < n; p++) u.view[p] = random();
        const alphaValue = 0.2, kappaValue = 0.2 * 2.62 / 1.6 ** 2, scale = 0.1 / kappaValue * alphaValue;
        alpha.view.fill(alphaValue);
        kappa.view.fill(kappaValue);
        const r = (kappaValue / alphaValue) * scale;
        const uBath = 0.3;
        const bath = flags.map((flag) => 2 * r * flag) as [number, number, number, number, number, number];
        const referenceOutflow = kernel.stepReference(u.pointer, reference.pointer, referenceLow.pointer, alpha.pointer,
          kappa.pointer, ...shape, scale, ...(flags as [number, number, number, number, number, number]), uBath);
        if (flags.every((flag) => flag === 0)) expect(referenceOutflow).toBe(0);
        for (const direction of DIRECTIONS) {
          const { from, to } = field(direction);
          from.view.set(u.view);
          fastLow.view.fill(0);
          const fastOutflow = kernel.stepUniform(from.pointer, to.pointer, fastLow.pointer, ...shape, r, ...bath, uBath, 0, 0);
          expect(maxAbsDifference(to.view, fastLow.view, reference.view, referenceLow.view)).toBeLessThan(F32_TOLERANCE);
          // The uniform kernel reports outflow without the factor α.
          expect(alphaValue * fastOutflow).toBeCloseTo(referenceOutflow, 5);
        }
      });

      it(`heterogeneous SIMD step on ${shape.join('×')}, Dirichlet faces ${flags.join('')}`, async () => {
        const n = shape[0] * shape[1] * shape[2];
        const boundaryCount = 2 * (shape[1] * shape[2] + shape[0] * shape[2] + shape[0] * shape[1]);
        const { kernel, allocate } = await kernelWithArrays(11 * n + boundaryCount + 2 * shape[0] * shape[1]);
        const random = seededRandom(7 * n + 1);
        const fastLow = allocate(n), referenceLow = allocate(n), field = shiftedField(allocate, n, shape[0] * shape[1]);
        const u = allocate(n), reference = allocate(n), alpha = allocate(n), kappa = allocate(n);
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
        const referenceOutflow = kernel.stepReference(u.pointer, reference.pointer, referenceLow.pointer, alpha.pointer,
          kappa.pointer, ...shape, scale, ...faceFlags, uBath);
        for (const direction of DIRECTIONS) {
          const { from, to } = field(direction);
          from.view.set(u.view);
          fastLow.view.fill(0);
          const fastOutflow = kernel.stepHeterogeneous(from.pointer, to.pointer, fastLow.pointer, inverseAlpha.pointer,
            gx.pointer, gy.pointer, gz.pointer, boundary.pointer, ...shape, uBath, 0, 0);
          expect(maxAbsDifference(to.view, fastLow.view, reference.view, referenceLow.view)).toBeLessThan(F32_TOLERANCE);
          expect(fastOutflow).toBeCloseTo(referenceOutflow, 5);
        }
      });
    }
  }

  it('a uniform field at the bath value is a steady state of every kernel, to the bit', async () => {
    const shape: Shape = [9, 8, 7];
    const n = 9 * 8 * 7;
    const boundaryCount = 2 * (8 * 7 + 9 * 7 + 9 * 8);
    const { kernel, allocate } = await kernelWithArrays(10 * n + boundaryCount + 2 * 9 * 8);
    const low = allocate(n), alpha = allocate(n), kappa = allocate(n), field = shiftedField(allocate, n, 9 * 8);
    const inverseAlpha = allocate(n), gx = allocate(n), gy = allocate(n), gz = allocate(n);
    const boundary = allocate(boundaryCount);
    const random = seededRandom(3);
    for (let p = 0; p < n; p++) {
      alpha.view[p] = 0.1 + 0.3 * random();
      kappa.view[p] = alpha.view[p] * (0.5 + random());
    }
    const { from, to } = field('up');
    from.view.fill(1.25);
    kernel.buildFaces(alpha.pointer, kappa.pointer, inverseAlpha.pointer, gx.pointer, gy.pointer, gz.pointer,
      boundary.pointer, ...shape, 0.1, 1, 1, 1, 1, 1, 1);
    kernel.stepUniform(from.pointer, to.pointer, low.pointer, ...shape, 0.15, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 1.25, 0, 0);
    expect(Array.from(to.view).every((value) => value === 1.25)).toBe(true);
    expect(Array.from(low.view).every((value) => value === 0)).toBe(true);
    kernel.stepHeterogeneous(to.pointer, from.pointer, low.pointer, inverseAlpha.pointer, gx.pointer, gy.pointer, gz.pointer,
      boundary.pointer, ...shape, 1.25, 0, 0);
    expect(Array.from(from.view).every((value) => value === 1.25)).toBe(true);
    expect(Array.from(low.view).every((value) => value === 0)).toBe(true);
  });

  // Diffusion then uptake in one sweep: either u ← u·(1 − decay) (one rate everywhere), or the
  // general reaction (k′, k_t/α and the pump, per voxel). The field must match the reference step
  // followed by the separate uptake pass (decay in f64, or reactGeneral), the reported removal
  // must match that pass's, and it must be what left the field, so that
  // Σ α u before = Σ α u after + outflow + removed to round-off.
  for (const shape of [[5, 6, 7], [13, 9, 11], [17, 3, 5]] as Shape[]) {
    for (const path of ['uniform', 'heterogeneous'] as const) {
      // The fused general reaction integrates the pump with its rate frozen (first order); reactGeneral
      // now averages the rate over the step (second order), so only the linear decay is compared here.
      for (const uptake of ['decay'] as const) {
        it(`${path} step with fused ${uptake === 'decay' ? 'linear uptake' : 'general reaction'} on ${shape.join('×')} `
          + 'matches the reference step then the uptake pass', async () => {
          const n = shape[0] * shape[1] * shape[2];
          const boundaryCount = 2 * (shape[1] * shape[2] + shape[0] * shape[2] + shape[0] * shape[1]);
          const { kernel, allocate } = await kernelWithArrays(12 * n + boundaryCount + 2 * shape[0] * shape[1]);
          const random = seededRandom(11 * n + (path === 'uniform' ? 0 : 1) + (uptake === 'decay' ? 0 : 2));
          const fastLow = allocate(n), reference = allocate(n), referenceLow = allocate(n);
          const u = allocate(n), alpha = allocate(n), kappa = allocate(n), field = shiftedField(allocate, n, shape[0] * shape[1]);
          // Sweep down on one path, up on the other.
          const { from: fast, to: result } = field(path === 'uniform' ? 'down' : 'up');
          const inverseAlpha = allocate(n), gx = allocate(n), gy = allocate(n), gz = allocate(n), boundary = allocate(boundaryCount);
          for (let p = 0; p < n; p++) {
            u.view[p] = random();
            fastLow.view[p] = referenceLow.view[p] = 1e-8 * (random() - 0.5);
            alpha.view[p] = path === 'uniform' ? 0.2 : 0.05 + 0.4 * random();
            kappa.view[p] = (alpha.view[p] * 2.62) / (path === 'uniform' ? 1.6 : 1 + random()) ** 2;
          }
          fast.view.set(u.view);
          const flags: [number, number, number, number, number, number] = [1, 0, 1, 1, 0, 1];
          const scale = 0.9 / (6 * 2.62);
          const uBath = 0.1, decay = uptake === 'decay' ? 0.01 : 0, reaction = uptake === 'decay' ? 0 : 1;
          // k′ dt, k_t dt, Vmax dt (mM), Km, C_rest (mM): rate·dt ≤ 0.09 for α ≥ 0.05.
          const rates = [0.004, 0.002, 0.01, 2, 3] as const;
          kernel.setReaction(...rates, 1 / alpha.view[0]);
          kernel.buildFaces(alpha.pointer, kappa.pointer, inverseAlpha.pointer, gx.pointer, gy.pointer, gz.pointer,
            boundary.pointer, ...shape, scale, ...flags);
          const weighted = (values: Float32Array, low: Float32Array) =>
            values.reduce((sum, value, p) => sum + (value + low[p]) * alpha.view[p], 0);
          const before = weighted(fast.view, fastLow.view);
          let outflow: number, removed: number;
          if (path === 'uniform') {
            const r = (kappa.view[0] / alpha.view[0]) * scale;
            outflow = alpha.view[0] * kernel.stepUniform(fast.pointer, result.pointer, fastLow.pointer, ...shape, r,
              ...(flags.map((flag) => 2 * r * flag) as typeof flags), uBath, decay, reaction);
            // One decay factor: excess units; the general reaction: α-weighted.
            removed = (reaction ? 1 : alpha.view[0]) * kernel.decayRemoved();
          } else {
            outflow = kernel.stepHeterogeneous(fast.pointer, result.pointer, fastLow.pointer, inverseAlpha.pointer, gx.pointer,
              gy.pointer, gz.pointer, boundary.pointer, ...shape, uBath, decay, reaction);
            removed = kernel.decayRemoved();
          }
          kernel.stepReference(u.pointer, reference.pointer, referenceLow.pointer, alpha.pointer, kappa.pointer, ...shape,
            scale, ...flags, uBath);
          let expectedRemoved = 0;
          if (uptake === 'decay') {
            for (let p = 0; p < n; p++) {
              const diffused = reference.view[p] + referenceLow.view[p];
              expectedRemoved += alpha.view[p] * decay * diffused;
              const after = diffused * (1 - decay);
              reference.view[p] = after;
              referenceLow.view[p] = after - reference.view[p];
            }
          } else {
            kernel.resetRemoved();
            kernel.reactGeneral(reference.pointer, referenceLow.pointer, path === 'uniform' ? 0 : inverseAlpha.pointer,
              1 / alpha.view[0], n, ...rates);
            const shares = [kernel.removedByEcsRate(), kernel.removedByTissueRate(), kernel.removedByPump()];
            expectedRemoved = shares[0] + shares[1] + shares[2];
            const fused = [kernel.fusedRemovedByEcsRate(), kernel.fusedRemovedByTissueRate(), kernel.fusedRemovedByPump()];
            fused.forEach((amount, index) => expect(Math.abs(amount / shares[index] - 1)).toBeLessThan(1e-5));
          }
          expect(maxAbsDifference(result.view, fastLow.view, reference.view, referenceLow.view)).toBeLessThan(F32_TOLERANCE);
          expect(Math.abs(removed / expectedRemoved - 1)).toBeLessThan(1e-6);
          const after = weighted(result.view, fastLow.view);
          expect(Math.abs(before - after - outflow - removed) / before).toBeLessThan(1e-7);
        });
      }
    }
  }
});

import { describe, expect, it } from 'vitest';
import type { Vector3 } from '../../src/core/config.js';
import { interpolate, trilinearStencil } from '../../src/core/trilinear.js';

// A deliberately non-cubic grid so that mixing up axes or strides shows.
const size: Vector3 = [5, 4, 6];
const spacing_um = 2;
const voxelCount = size[0] * size[1] * size[2];

function flatIndex(i: number, j: number, k: number): number {
  return i + size[0] * (j + size[1] * k);
}

/** Centre of voxel (i, j, k): ((i + ½)h, (j + ½)h, (k + ½)h). */
function centre(i: number, j: number, k: number): Vector3 {
  return [(i + 0.5) * spacing_um, (j + 0.5) * spacing_um, (k + 0.5) * spacing_um];
}

/** A linear function of position whose values at the voxel centres are exact in float32 (multiples of 1/4). */
function linear([x, y, z]: Vector3): number {
  return 1 + 2 * x - 0.5 * y + 0.25 * z;
}

/** The linear function sampled at every voxel centre. */
const linearField = (() => {
  const field = new Float32Array(voxelCount);
  for (let k = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      for (let i = 0; i < size[0]; i++) field[flatIndex(i, j, k)] = linear(centre(i, j, k));
    }
  }
  return field;
})();

/** Deterministic pseudo-random numbers in [0, 1) (a fixed LCG, so failures reproduce). */
function randomSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Total weight per voxel index (indices repeat at the faces). */
function weightByVoxel(position: Vector3): Map<number, number> {
  const { indices, weights } = trilinearStencil(position, size, spacing_um);
  const totals = new Map<number, number>();
  for (let c = 0; c < 8; c++) totals.set(indices[c], (totals.get(indices[c]) ?? 0) + weights[c]);
  return totals;
}

describe('trilinearStencil', () => {
  it('has eight non-negative weights summing to 1 (1e-14) and in-range indices, inside and outside the box', () => {
    const random = randomSequence(12345);
    const extent = size.map((n) => n * spacing_um);
    for (let trial = 0; trial < 500; trial++) {
      // Positions from 20 % outside the box on one side to 20 % outside on the other.
      const position = extent.map((length) => (random() * 1.4 - 0.2) * length) as Vector3;
      const { indices, weights } = trilinearStencil(position, size, spacing_um);
      expect(indices.length).toBe(8);
      expect(weights.length).toBe(8);
      let sum = 0;
      for (let c = 0; c < 8; c++) {
        expect(weights[c]).toBeGreaterThanOrEqual(0);
        expect(indices[c]).toBeGreaterThanOrEqual(0);
        expect(indices[c]).toBeLessThan(voxelCount);
        sum += weights[c];
      }
      expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-14);
    }
  });

  it('puts weight 1 on a single voxel at every voxel centre', () => {
    for (let k = 0; k < size[2]; k++) {
      for (let j = 0; j < size[1]; j++) {
        for (let i = 0; i < size[0]; i++) {
          const totals = weightByVoxel(centre(i, j, k));
          expect(totals.get(flatIndex(i, j, k))).toBe(1);
          for (const [index, weight] of totals) if (index !== flatIndex(i, j, k)) expect(weight).toBe(0);
        }
      }
    }
  });

  it('splits the weight equally between two voxels halfway between their centres along x', () => {
    // Halfway between the centres of (1, 2, 3) at x = 1.5 h and (2, 2, 3) at x = 2.5 h: x = 2 h.
    const totals = weightByVoxel([2 * spacing_um, 2.5 * spacing_um, 3.5 * spacing_um]);
    expect(totals.get(flatIndex(1, 2, 3))).toBeCloseTo(0.5, 15);
    expect(totals.get(flatIndex(2, 2, 3))).toBeCloseTo(0.5, 15);
  });
});

describe('interpolate', () => {
  it('reproduces a linear function of the voxel-centre coordinates at interior points (1e-9 absolute)', () => {
    // Trilinear interpolation is exact for functions linear in x, y, z. "Interior" means between the
    // first and the last voxel centre on every axis, where no clamping happens.
    const random = randomSequence(777);
    for (let trial = 0; trial < 500; trial++) {
      const position = size.map((n) => (0.5 + random() * (n - 1)) * spacing_um) as Vector3;
      const value = interpolate(trilinearStencil(position, size, spacing_um), linearField);
      expect(Math.abs(value - linear(position))).toBeLessThanOrEqual(1e-9);
    }
  });

  it('reads the corner voxel at position 0 (clamped to the nearest centre)', () => {
    expect(interpolate(trilinearStencil([0, 0, 0], size, spacing_um), linearField)).toBe(linearField[flatIndex(0, 0, 0)]);
  });

  it('reads the far corner voxel at the opposite box corner and beyond it', () => {
    const last = linearField[flatIndex(size[0] - 1, size[1] - 1, size[2] - 1)];
    const farCorner = size.map((n) => n * spacing_um) as Vector3;
    expect(interpolate(trilinearStencil(farCorner, size, spacing_um), linearField)).toBe(last);
    const beyond = size.map((n) => (n + 3) * spacing_um) as Vector3;
    expect(interpolate(trilinearStencil(beyond, size, spacing_um), linearField)).toBe(last);
  });

  it('is constant between a box face and the first voxel centre, and linear along the face (1e-9)', () => {
    // On the x = 0 face and at x = 0.3 h (before the first centre at 0.5 h), the value is that of the
    // x = centre-0 plane, still interpolated linearly in y and z.
    for (const x of [0, 0.3 * spacing_um, 0.5 * spacing_um, -4]) {
      const position: Vector3 = [x, 3.1, 7.7];
      const value = interpolate(trilinearStencil(position, size, spacing_um), linearField);
      expect(Math.abs(value - linear([0.5 * spacing_um, 3.1, 7.7]))).toBeLessThanOrEqual(1e-9);
    }
  });

  it('weights the field values, not just the indices (a single hot voxel reads back its weight)', () => {
    const field = new Float32Array(voxelCount);
    field[flatIndex(2, 1, 3)] = 1;
    // A quarter of the way from centre (2,1,3) towards (3,2,4) on every axis: weight (3/4)³.
    const position: Vector3 = [2.75 * spacing_um, 1.75 * spacing_um, 3.75 * spacing_um];
    expect(interpolate(trilinearStencil(position, size, spacing_um), field)).toBeCloseTo(0.421875, 15);
  });
});

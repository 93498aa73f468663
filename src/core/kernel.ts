// Loads the WebAssembly kernel (build/kernel.wasm) with the standard WebAssembly API, in Node and
// in browsers alike. The compiled module is cached; each Simulation gets its own instance, so its
// memory can be sized up front and is freed with it.

import { DEFAULT_KERNEL_URL } from './kernel-location.js';

/**
 * The kernel's exports. Pointers are byte offsets into memory; see assembly/ for each function.
 * A voxel's value is u + low: low holds the rounding error of u (compensated storage).
 */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  fill(pointer: number, count: number, value: number): void;
  /**
   * One RKL2 stage on uniform tissue (assembly/stage_uniform.ts): out ← μ·prev + ν·out + S(a·prev + g·u),
   * planes: scratch for 3·nx·ny f32, r = D*τ/h², b* the bath coefficient of each box face (2r or 0), K = kτ. Returns the bath outflow
   * (excess·voxel); lastStageUptake() the removal K·Σw.
   */
  stageUniform(u: number, prev: number, out: number, planes: number, nx: number, ny: number, nz: number, r: number,
    bxLow: number, bxHigh: number, byLow: number, byHigh: number, bzLow: number, bzHigh: number,
    uBath: number, K: number, a: number, g: number, mu: number, nu: number): number;
  lastStageUptake(): number;
  /** The same stage on heterogeneous tissue (assembly/stage_heterogeneous.ts); outflow in α·excess·voxel. */
  stageHeterogeneous(u: number, prev: number, out: number, planes: number, inverseAlpha: number, gx: number, gy: number, gz: number,
    boundary: number, nx: number, ny: number, nz: number, tau: number, uBath: number, kEcsTau: number,
    kTissueTau: number, a: number, g: number, mu: number, nu: number): number;
  /** Σ α w and Σ w of the last heterogeneous stage (times k′τ and k_tτ: the uptake of each rate). */
  lastStageAlphaWeightedSum(): number;
  lastStageSum(): number;
  /** The plain f64 stage the fast ones are tested against (assembly/super_step.ts); scale = τ/h². */
  stageReference(u: number, prev: number, out: number, alpha: number, kappa: number, nx: number, ny: number, nz: number,
    scale: number, dxLow: number, dxHigh: number, dyLow: number, dyHigh: number, dzLow: number, dzHigh: number,
    uBath: number, kEcsTau: number, kTissueTau: number, a: number, g: number, mu: number, nu: number): number;
  lastReferenceAlphaWeightedSum(): number;
  lastReferenceSum(): number;
  /** u ← u + d compensated; the new rounding error is written over d. Returns Σ low (or Σ low/ia). */
  endSuperStep(u: number, d: number, count: number, inverseAlpha: number): number;
  /** max |estimate| / (|u + d| + floor); lastLargestValue() is then max |u + d|. */
  errorNorm(estimate: number, u: number, d: number, count: number, floor: number): number;
  lastLargestValue(): number;
  // The forward-Euler steps the simulator took before RKL2 (assembly/diffusion_*.ts): no longer used
  // by Simulation; kept as the baseline `npm run bench` measures the new stepping against, and tested
  // in test/assembly/diffusion.test.ts.
  /**
   * In place, shifted: out = u ∓ nx·ny f32 (sweeps up or down); low in place; decay = 1 − exp(−k dt)
   * of fused uptake (0: none); reaction = 1: fuse the general reaction of setReaction instead.
   */
  stepUniform(u: number, out: number, low: number, nx: number, ny: number, nz: number, r: number,
    bxLow: number, bxHigh: number, byLow: number, byHigh: number, bzLow: number, bzHigh: number,
    uBath: number, decay: number, reaction: number): number;
  /** In place, shifted, as stepUniform. */
  stepHeterogeneous(u: number, out: number, low: number, inverseAlpha: number, gx: number, gy: number, gz: number,
    boundary: number, nx: number, ny: number, nz: number, uBath: number, decay: number, reaction: number): number;
  /** The reaction the fast steps fuse with reaction = 1 (k′ dt, k_t dt, Vmax dt in mM, Km and C_rest in mM, 1/α). */
  setReaction(ecsRateDt: number, tissueRateDt: number, pumpVmaxDt: number, pumpKm: number, restingConcentration: number,
    uniformInverseAlpha: number): void;
  /** Removed by each mechanism in the last step with the fused reaction (α·excess·voxel). */
  fusedRemovedByEcsRate(): number;
  fusedRemovedByTissueRate(): number;
  fusedRemovedByPump(): number;
  /** What the fused uptake of the last fast step removed (excess·voxel; α·excess·voxel if heterogeneous or with reaction = 1). */
  decayRemoved(): number;
  stepReference(u: number, out: number, low: number, alpha: number, kappa: number, nx: number, ny: number, nz: number,
    scale: number, dxLow: number, dxHigh: number, dyLow: number, dyHigh: number, dzLow: number, dzHigh: number,
    uBath: number): number;
  buildFaces(alpha: number, kappa: number, inverseAlpha: number, gx: number, gy: number, gz: number,
    boundary: number, nx: number, ny: number, nz: number, scale: number,
    dxLow: number, dxHigh: number, dyLow: number, dyHigh: number, dzLow: number, dzHigh: number): void;
  reactGeneral(u: number, low: number, inverseAlpha: number, uniformInverseAlpha: number, count: number,
    ecsRateDt: number, tissueRateDt: number, pumpVmaxDt: number, pumpKm: number, restingConcentration: number): void;
  resetRemoved(): void;
  removedByEcsRate(): number;
  removedByTissueRate(): number;
  removedByPump(): number;
  gliaStep(u: number, low: number, scratch: number, inverseAlpha: number, uniformInverseAlpha: number, count: number,
    restingConcentration: number, coefficientDt: number): number;
  glialGrossUptake(): number;
  glialNetRemoved(): number;
  sumField(u: number, low: number, count: number): number;
  sumWeighted(u: number, low: number, inverseAlpha: number, count: number): number;
  sumAlphaWeighted(u: number, low: number, alpha: number, count: number): number;
  /** Σ of one array, Σ p/ia and Σ p·alpha (the compensation's amount on each path). */
  sumValues(p: number, count: number): number;
  sumValuesOver(p: number, inverseAlpha: number, count: number): number;
  sumValuesTimes(p: number, alpha: number, count: number): number;
}

export { DEFAULT_KERNEL_URL };

let cached: Promise<WebAssembly.Module> | undefined;

/**
 * Compiles the kernel once. source: the .wasm bytes or a URL; default: build/kernel.wasm beside
 * the package. In Node the file is read from disk; in browsers it is fetched.
 */
export function compileKernel(source: BufferSource | URL | string = DEFAULT_KERNEL_URL): Promise<WebAssembly.Module> {
  if (source === DEFAULT_KERNEL_URL && cached) return cached;
  const compiled = (async () => {
    if (typeof source !== 'string' && !(source instanceof URL)) return WebAssembly.compile(source);
    const url = new URL(source, typeof location === 'undefined' ? DEFAULT_KERNEL_URL : location.href);
    if (url.protocol === 'data:') return WebAssembly.compile(dataUrlBytes(url.href));
    if (url.protocol === 'file:') {
      // Only reached in Node; hidden from bundlers so that browser builds do not try to include it.
      const fs = 'node:fs/promises';
      const { readFile } = (await import(/* @vite-ignore */ fs)) as typeof import('node:fs/promises');
      return WebAssembly.compile(await readFile(url));
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load the ecs-sim kernel from ${url}: HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  })();
  if (source === DEFAULT_KERNEL_URL) cached = compiled;
  return compiled;
}

/** A fresh kernel instance with its own memory. */
export async function instantiateKernel(module?: WebAssembly.Module): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module ?? (await compileKernel()), {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`ecs-sim kernel aborted at ${line}:${column}`);
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}

/** The bytes of a base64 data: URL (the single-file build's inlined kernel). */
function dataUrlBytes(href: string): Uint8Array<ArrayBuffer> {
  const comma = href.indexOf(',');
  if (!href.slice(0, comma).endsWith(';base64')) throw new Error('the inlined ecs-sim kernel must be a base64 data: URL');
  const text = atob(href.slice(comma + 1));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// npm run bench [-- --json] [-- --quick]: two measurements, single thread.
//
// 1. Kernel throughput: voxel updates per second of one stage of the RKL2 super-step — the product's
//    diffusion update, out ← μ·prev + ν·out + S(a·prev + g·u) with explicit bath faces and linear
//    uptake −K·w (assembly/stage_uniform.ts, stage_heterogeneous.ts) — in WebAssembly (the kernel's
//    own exports), plain JavaScript and native C (bench/native/diffusion.c, gcc -O3 -march=native,
//    and the same with 128-bit vectors), the same arithmetic in the same order, at 64³, 128³ and
//    256³, uniform and heterogeneous, uptake off and on. Before timing, a check that the three
//    compute the same numbers (bit for bit, C built without fused multiply-adds for the check).
// 2. Time to solution at equal accuracy: four problems, each run with forward Euler (the kernel's
//    old stepUniform export, driven from here as the product stepped before RKL2) at 0.9 × the
//    stability limit (the old default) and at the largest step dt0/2^k that brings the read-outs
//    within 0.1% of the exact semi-discrete solution, and with the product (dt "auto", default
//    tolerance): wall time, steps, stencil passes per simulated second, read-out errors.
// Then memory per voxel.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  instantiateKernel, kernelMemoryBytes, lattice, pointSourcePeak, probeMetrics, resolveConfig, Simulation, stabilityLimit_ms,
  iontophoresisRate_mol_per_ms,
} from '../dist/core/index.js';
import { scheduleSources } from '../dist/core/sources.js';
import { interpolate, trilinearStencil } from '../dist/core/trilinear.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const SIZES = quick ? [64] : [64, 128, 256];
/** Stage passes per timed block: enough for ≥ ~0.2 s of work per block at the wasm speed. */
const passesFor = (n) => Math.max(3, Math.round((quick ? 1.5e8 : 3e8) / n ** 3));
/** Timed blocks per case and round; the best counts (native C does the same). */
const REPEATS = quick ? 2 : 3;
const log = (line) => { if (!json) console.log(line); };

// ---- 1. Kernel throughput -------------------------------------------------------------------------
// The stage coefficients (bench/native/diffusion.c has the same): a typical middle stage of a
// super-step. Uniform: R = D*τ/h² = 0.15, bath coefficient 2R on every face (Dirichlet), K = kτ;
// heterogeneous: τ = 1, 1/α = 5 and face coefficients 0.03 (so that τ·(1/α)·G = R), bath block 0.06,
// k′τ and k_tτ. Uptake "on": K > 0 (the kernels take the uptake branch only then).
const STAGE = { a: 0.6, g: 0.2, mu: 1.5, nu: -0.5, r: 0.15, K: 0.001, faceG: 0.03, inverseAlpha: 5, kEcsTau: 0.001, kTissueTau: 0.0002 };
const f32 = Math.fround;

/**
 * The field every implementation starts from (diffusion.c builds the same): u = 1 everywhere and
 * 1000 more at index count/2, the two stage registers a pattern between 0.875 and 1.25, so that no
 * value is ever subnormal (subnormals slow all three alike, by an amount that depends on how many
 * passes have run). check: varied heterogeneous coefficients, so that a wrong index would show.
 */
function startField(n, arrays, check) {
  const { u, registers: [r0, r1], ia, gx, gy, gz, boundary } = arrays;
  const count = n ** 3;
  for (let p = 0; p < count; p++) {
    u[p] = 1;
    r0[p] = 1 + ((p * 7919) % 1000) / 4000;
    r1[p] = 1 - ((p * 104729) % 1000) / 8000;
    if (ia) {
      ia[p] = check ? 5 + (p % 3) / 2 : STAGE.inverseAlpha;
      gx[p] = check ? 0.03 * (1 + (p % 7) / 14) : STAGE.faceG;
      gy[p] = check ? 0.03 * (1 + (p % 5) / 10) : STAGE.faceG;
      gz[p] = check ? 0.03 * (1 + (p % 11) / 22) : STAGE.faceG;
    }
  }
  u[count >> 1] += 1000;
  if (boundary) for (let q = 0; q < 6 * n * n; q++) boundary[q] = check ? 0.06 * (1 + (q % 13) / 26) : 2 * f32(STAGE.faceG);
}

/** FNV-1a over the bits of both registers (diffusion.c's check computes the same). */
function registerHash(registers) {
  let hash = 2166136261;
  for (const register of registers) {
    const words = new Uint32Array(register.buffer, register.byteOffset, register.length);
    for (let p = 0; p < words.length; p++) hash = Math.imul(hash ^ words[p], 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const kernelInstance = () => instantiateKernel();

/**
 * The kernel's stage exports on arrays laid out by hand. Returns voxel updates/s, or with check the
 * hash and sums after `check` passes.
 */
async function wasmCase(kernelKind, uptake, n, check = 0) {
  const kernel = await kernelInstance();
  const uniform = kernelKind === 'uniform';
  const count = n ** 3, faces = 6 * n * n;
  let cursor = Math.ceil(kernel.heapBase() / 16) * 16;
  const bytes = cursor + 4 * ((uniform ? 3 : 7) * count + faces + 3 * n * n) + 16 * 16;
  kernel.memory.grow(Math.ceil(bytes / 65536) - kernel.memory.buffer.byteLength / 65536 + 1);
  const take = (length) => { const at = cursor; cursor = Math.ceil((cursor + 4 * length) / 16) * 16; return at; };
  const view = (pointer, length = count) => new Float32Array(kernel.memory.buffer, pointer, length);
  const u = take(count), registers = [take(count), take(count)], planes = take(3 * n * n);
  const ia = uniform ? 0 : take(count), gx = uniform ? 0 : take(count), gy = uniform ? 0 : take(count);
  const gz = uniform ? 0 : take(count), boundary = uniform ? 0 : take(faces);
  startField(n, {
    u: view(u), registers: registers.map((r) => view(r)),
    ...(uniform ? {} : { ia: view(ia), gx: view(gx), gy: view(gy), gz: view(gz), boundary: view(boundary, faces) }),
  }, check > 0);
  const { a, g, mu, nu, r } = STAGE;
  const K = uptake ? STAGE.K : 0, kEcs = uptake ? STAGE.kEcsTau : 0, kTissue = uptake ? STAGE.kTissueTau : 0;
  const b = 2 * f32(r);
  let pass = 0, outflow = 0, removed = 0, unweighted = 0;
  // Pass t reads register t mod 2 as prev and overwrites the other, as the product alternates them.
  const stage = uniform
    ? () => {
      const prev = registers[pass % 2], out = registers[++pass % 2];
      outflow = kernel.stageUniform(u, prev, out, planes, n, n, n, r, b, b, b, b, b, b, 0, K, a, g, mu, nu);
      removed = kernel.lastStageUptake();
    }
    : () => {
      const prev = registers[pass % 2], out = registers[++pass % 2];
      outflow = kernel.stageHeterogeneous(u, prev, out, planes, ia, gx, gy, gz, boundary, n, n, n, 1, 0, kEcs, kTissue, a, g, mu, nu);
      removed = kernel.lastStageAlphaWeightedSum();
      unweighted = kernel.lastStageSum();
    };
  if (check) {
    for (let t = 0; t < check; t++) stage();
    return { hash: registerHash(registers.map((register) => view(register))), sums: [outflow, removed, unweighted] };
  }
  return timePasses(n, stage);
}

/**
 * Plain JavaScript: the same update, scalar, every operation rounded to f32 (Math.fround) in the
 * kernel's order, so that it computes the same numbers. Returns voxel updates/s, or with check the
 * hash and sums after `check` passes.
 */
function jsCase(kernelKind, uptake, n, check = 0) {
  const uniform = kernelKind === 'uniform';
  const count = n ** 3, nn = n * n;
  const arrays = {
    u: new Float32Array(count), registers: [new Float32Array(count), new Float32Array(count)],
    ...(uniform ? {} : {
      ia: new Float32Array(count), gx: new Float32Array(count), gy: new Float32Array(count), gz: new Float32Array(count),
      boundary: new Float32Array(6 * nn),
    }),
  };
  startField(n, arrays, check > 0);
  const { u, registers, ia, gx, gy, gz, boundary } = arrays;
  const a = f32(STAGE.a), g = f32(STAGE.g), mu = f32(STAGE.mu), nu = f32(STAGE.nu), r = f32(STAGE.r), b = f32(2 * r);
  const K = uptake ? f32(STAGE.K) : 0, kEcs = uptake ? f32(STAGE.kEcsTau) : 0, kTissue = uptake ? f32(STAGE.kTissueTau) : 0;
  const tau = 1, gBath = 0;
  const withUptake = uniform ? K !== 0 : kEcs !== 0 || kTissue !== 0;
  const simdEnd = 1 + Math.floor((n - 2) / 4) * 4;
  // Sums of a pass: outflow, uptake (uniform: Σ K·w; heterogeneous: Σ α w), Σ w. A typed array, not
  // variables shared with the closures (V8 would box those on every update).
  const sums = new Float64Array(3);
  let prev = registers[0], out = registers[1];
  const w = (q) => f32(f32(a * prev[q]) + f32(g * u[q]));
  /** boundaryVoxel of stage_uniform.ts. */
  const uniformVoxel = (p, i, j, k) => {
    const wp = w(p);
    let interior = 0, bath = 0;
    if (i > 0) interior = f32(interior + f32(w(p - 1) - wp)); else bath = f32(bath + b);
    if (i < n - 1) interior = f32(interior + f32(w(p + 1) - wp)); else bath = f32(bath + b);
    if (j > 0) interior = f32(interior + f32(w(p - n) - wp)); else bath = f32(bath + b);
    if (j < n - 1) interior = f32(interior + f32(w(p + n) - wp)); else bath = f32(bath + b);
    if (k > 0) interior = f32(interior + f32(w(p - nn) - wp)); else bath = f32(bath + b);
    if (k < n - 1) interior = f32(interior + f32(w(p + nn) - wp)); else bath = f32(bath + b);
    const removed = f32(K * wp);
    const change = f32(f32(f32(r * interior) + f32(bath * f32(gBath - wp))) - removed);
    out[p] = f32(f32(f32(mu * prev[p]) + f32(nu * out[p])) + change);
    sums[1] += removed;
    sums[0] += bath * (wp - gBath);
  };
  /** scalarVoxel of stage_heterogeneous.ts. */
  const heterogeneousVoxel = (p, i, j, k) => {
    const wp = w(p);
    let interior = 0, bath = 0;
    if (i > 0) interior = f32(interior + f32(gx[p - 1] * f32(w(p - 1) - wp))); else bath = f32(bath + boundary[j + n * k]);
    if (i < n - 1) interior = f32(interior + f32(gx[p] * f32(w(p + 1) - wp))); else bath = f32(bath + boundary[nn + j + n * k]);
    if (j > 0) interior = f32(interior + f32(gy[p - n] * f32(w(p - n) - wp))); else bath = f32(bath + boundary[2 * nn + i + n * k]);
    if (j < n - 1) interior = f32(interior + f32(gy[p] * f32(w(p + n) - wp))); else bath = f32(bath + boundary[3 * nn + i + n * k]);
    if (k > 0) interior = f32(interior + f32(gz[p - nn] * f32(w(p - nn) - wp))); else bath = f32(bath + boundary[4 * nn + i + n * j]);
    if (k < n - 1) interior = f32(interior + f32(gz[p] * f32(w(p + nn) - wp))); else bath = f32(bath + boundary[5 * nn + i + n * j]);
    const inverse = ia[p];
    const change = f32(f32(f32(tau * inverse) * f32(interior + f32(bath * f32(gBath - wp))))
      - f32(f32(kEcs + f32(kTissue * inverse)) * wp));
    out[p] = f32(f32(f32(mu * prev[p]) + f32(nu * out[p])) + change);
    sums[1] += wp / inverse;
    sums[2] += wp;
    sums[0] += tau * bath * (wp - gBath);
  };
  /** The interior voxels first … end−1 of the row starting at index row (the AS kernels' SIMD part). */
  const uniformRow = (row, first, end) => {
    // The registers of this pass in locals (V8 keeps them in registers; the closure's are reloaded).
    const pr = prev, o = out;
    const w = (q) => f32(f32(a * pr[q]) + f32(g * u[q]));
    let removedSum = 0;
    for (let p = row + first; p < row + end; p++) {
      const c = w(p);
      let sum = f32(w(p - 1) - c);
      sum = f32(sum + f32(w(p + 1) - c));
      sum = f32(sum + f32(w(p - n) - c));
      sum = f32(sum + f32(w(p + n) - c));
      sum = f32(sum + f32(w(p - nn) - c));
      sum = f32(sum + f32(w(p + nn) - c));
      let change = f32(r * sum);
      if (withUptake) {
        const removed = f32(K * c);
        change = f32(change - removed);
        removedSum += removed;
      }
      o[p] = f32(f32(f32(mu * pr[p]) + f32(nu * o[p])) + change);
    }
    sums[1] += removedSum;
  };
  const heterogeneousRow = (row, first, end) => {
    const pr = prev, o = out;
    const w = (q) => f32(f32(a * pr[q]) + f32(g * u[q]));
    let alphaWeighted = 0, unweighted = 0;
    for (let p = row + first; p < row + end; p++) {
      const c = w(p);
      let sum = f32(gx[p - 1] * f32(w(p - 1) - c));
      sum = f32(sum + f32(gx[p] * f32(w(p + 1) - c)));
      sum = f32(sum + f32(gy[p - n] * f32(w(p - n) - c)));
      sum = f32(sum + f32(gy[p] * f32(w(p + n) - c)));
      sum = f32(sum + f32(gz[p - nn] * f32(w(p - nn) - c)));
      sum = f32(sum + f32(gz[p] * f32(w(p + nn) - c)));
      const inverse = ia[p];
      let change = f32(f32(tau * inverse) * sum);
      if (withUptake) {
        change = f32(change - f32(f32(kEcs + f32(kTissue * inverse)) * c));
        alphaWeighted += f32(c / inverse);
        unweighted += c;
      }
      o[p] = f32(f32(f32(mu * pr[p]) + f32(nu * o[p])) + change);
    }
    sums[1] += alphaWeighted;
    sums[2] += unweighted;
  };
  let pass = 0;
  // Rows in the AS kernels' order and split: interior rows vectorised there (here the same voxels,
  // scalar), face rows and the ends of rows by the boundary update.
  const stage = () => {
    prev = registers[pass % 2];
    out = registers[++pass % 2];
    sums.fill(0);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) {
        const row = n * (j + n * k);
        const faceRow = k === 0 || k === n - 1 || j === 0 || j === n - 1 || n < 3;
        let i = 0;
        if (uniform) {
          if (!faceRow) {
            uniformVoxel(row, 0, j, k);
            uniformRow(row, 1, simdEnd);
            i = simdEnd;
          }
          for (; i < n; i++) uniformVoxel(row + i, i, j, k);
        } else {
          if (!faceRow) {
            heterogeneousRow(row, 1, simdEnd);
            heterogeneousVoxel(row, 0, j, k);
            i = simdEnd;
          }
          for (; i < n; i++) heterogeneousVoxel(row + i, i, j, k);
        }
      }
    }
  };
  if (check) {
    for (let t = 0; t < check; t++) stage();
    return { hash: registerHash(registers), sums: [...sums] };
  }
  return timePasses(n, stage, Math.max(2, Math.round(passesFor(n) / 8)));
}

/**
 * Voxel updates per second: the best of REPEATS timed blocks of `passes` stage passes after a
 * warm-up (the machine may be shared; the best block is the least disturbed). Every implementation
 * is timed so.
 */
function timePasses(n, stage, passes = passesFor(n)) {
  // Warm-up: at least two passes and 0.2 s, so that the engine's optimising tier is in place.
  const warmUpStart = performance.now();
  for (let s = 0; s < 2 || performance.now() - warmUpStart < 200; s++) stage();
  let best = 0;
  for (let block = 0; block < REPEATS; block++) {
    const started = performance.now();
    for (let s = 0; s < passes; s++) stage();
    best = Math.max(best, (n ** 3 * passes) / ((performance.now() - started) / 1000));
  }
  return best;
}

/**
 * The C stage compiled three times: -march=native (on this machine 512-bit vectors), the same with
 * -mprefer-vector-width=128 (the width of WebAssembly SIMD: how much of the gap is vector width
 * alone), and with -ffp-contract=off (no fused multiply-adds: bit-identical to wasm, for the check
 * only). Returns a runner per build, or a note why there is none.
 */
function nativeBuilds() {
  const source = join(import.meta.dirname, 'native/diffusion.c');
  const directory = mkdtempSync(join(tmpdir(), 'ecs-bench-'));
  const builds = {
    native: [], native128: ['-mprefer-vector-width=128'], exact: ['-ffp-contract=off'],
  };
  const binaries = {};
  try {
    for (const [build, flags] of Object.entries(builds)) {
      binaries[build] = join(directory, `stage-bench-${build}`);
      execFileSync('gcc', ['-O3', '-march=native', ...flags, '-fopenmp-simd', '-o', binaries[build], source], { stdio: 'pipe' });
    }
  } catch {
    return { note: 'native C skipped: gcc not found or failed', run: null, check: null };
  }
  const execute = (build, args) => execFileSync(binaries[build], args.map(String), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  /** Voxel updates/s of one case in one build: the best of REPEATS timed blocks. */
  const run = (build, kernel, uptake, n) =>
    Number(execute(build, [n, passesFor(n), REPEATS, kernel === 'uniform' ? 0 : 1, uptake ? 1 : 0]).trim().split(' ')[3]);
  const check = (kernel, uptake, n, passes) => {
    const [hash, ...sums] = execute('exact', ['check', n, passes, kernel === 'uniform' ? 0 : 1, uptake ? 1 : 0]).trim().split(' ');
    return { hash, sums: sums.map(Number) };
  };
  return { note: null, run, check };
}

/**
 * The three implementations compute the same numbers: CHECK_PASSES passes on a CHECK_N³ box (interior
 * rows with a scalar tail of three voxels, varied coefficients) give bit-identical registers, and
 * f64 sums that agree to 1e-9 (those are summed in different orders).
 */
const CHECK_N = 21, CHECK_PASSES = 5;
async function sameArithmetic(native) {
  const cases = [];
  for (const kernel of ['uniform', 'heterogeneous']) {
    for (const uptake of [false, true]) {
      const runs = { wasm: await wasmCase(kernel, uptake, CHECK_N, CHECK_PASSES), js: jsCase(kernel, uptake, CHECK_N, CHECK_PASSES) };
      if (native.check) runs.native = native.check(kernel, uptake, CHECK_N, CHECK_PASSES);
      const values = Object.values(runs);
      const close = (x, y) => Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y), 1e-300);
      cases.push({
        kernel, uptake, hashes: Object.fromEntries(Object.entries(runs).map(([impl, run]) => [impl, run.hash])),
        registers_identical: values.every((run) => run.hash === values[0].hash),
        sums_agree: values.every((run) => run.sums.every((sum, index) => close(sum, values[0].sums[index]))),
      });
    }
  }
  return { n: CHECK_N, passes: CHECK_PASSES, cases };
}

// ---- 2. Time to solution --------------------------------------------------------------------------
/** The read-outs of the product and of forward Euler must lie this close to the exact semi-discrete values. */
const TARGET = 1e-3;
/** Most halvings of the forward-Euler step in the search for the largest one that meets TARGET. */
const MAX_HALVINGS = 8;
/** Timed runs of each reported configuration; the fastest counts. */
const TIMING_RUNS = quick ? 1 : 2;

/**
 * Forward Euler as the product stepped before RKL2: the kernel's old stepUniform export (in place,
 * shifted by one plane, compensated f32, implicit bath faces), the sources of each step released
 * into the field before it (the product's own source schedule), the probes read after every step
 * (trilinear, as the product reads them). dt must divide duration_ms and every checkpoint.
 */
async function forwardEuler(config, dt_ms, checkpoints_ms = []) {
  const started = performance.now();
  const resolved = resolveConfig(config);
  const kernel = await instantiateKernel();
  const [nx, ny, nz] = resolved.grid.size;
  const count = nx * ny * nz, plane = nx * ny, h = resolved.grid.spacing_um;
  const field = Math.ceil(kernel.heapBase() / 16) * 16;
  const low = Math.ceil((field + 4 * (count + plane)) / 16) * 16;
  kernel.memory.grow(Math.ceil((low + 4 * count) / 65536) - kernel.memory.buffer.byteLength / 65536 + 1);
  const pointers = [field + 4 * plane, field];
  const views = pointers.map((pointer) => new Float32Array(kernel.memory.buffer, pointer, count));
  const lowView = new Float32Array(kernel.memory.buffer, low, count);
  const r = (resolved.species.D_um2_per_ms / resolved.tissue.lambda ** 2) * dt_ms / h ** 2;
  const bath = ['x_low', 'x_high', 'y_low', 'y_high', 'z_low', 'z_high']
    .map((face) => (resolved.boundary.faces[face] === 'dirichlet' ? 2 * r : 0));
  const bathExcess = resolved.boundary.value_mM - resolved.species.baseline_mM;
  const molPerKernelUnit = h ** 3 * 1e-18;
  const sources = scheduleSources(resolved);
  const stencils = resolved.probes.map((probe) => trilinearStencil(probe.position_um, resolved.grid.size, h));
  const steps = Math.round(resolved.duration_ms / dt_ms);
  const times = new Float64Array(steps + 1);
  const values = stencils.map(() => new Float64Array(steps + 1));
  const baseline = resolved.species.baseline_mM;
  let current = 0;
  const read = (stencil) => baseline + interpolate(stencil, views[current]) + interpolate(stencil, lowView);
  stencils.forEach((stencil, m) => { values[m][0] = read(stencil); });
  const checkpointSteps = checkpoints_ms.map((t) => Math.round(t / dt_ms));
  const atCheckpoints = [];
  for (let step = 0; step < steps; step++) {
    const u = views[current];
    for (const source of sources) {
      const amount = source.amountDuring_mol(step * dt_ms, (step + 1) * dt_ms) / molPerKernelUnit;
      if (amount <= 0) continue;
      for (let m = 0; m < source.indices.length; m++) {
        const p = source.indices[m];
        const exact = u[p] + lowView[p] + source.sharePerAlpha[m] * amount;
        u[p] = exact;
        lowView[p] = exact - u[p];
      }
    }
    kernel.stepUniform(pointers[current], pointers[1 - current], low, nx, ny, nz, r, ...bath, bathExcess, 0, 0);
    current = 1 - current;
    times[step + 1] = (step + 1) * dt_ms;
    stencils.forEach((stencil, m) => { values[m][step + 1] = read(stencil); });
    if (checkpointSteps.includes(step + 1)) atCheckpoints.push(stencils.map(read));
  }
  const probes = resolved.probes.map((probe, m) => probeMetrics(probe.name, probe.position_um, times, values[m]));
  return {
    wall_s: (performance.now() - started) / 1000, dt_ms, steps, stencil_passes: steps, probes, atCheckpoints,
  };
}

/** The product: Simulation with the config as given (dt "auto", default tolerance unless set). */
async function product(config, checkpoints_ms = []) {
  const started = performance.now();
  const simulation = await Simulation.create(config);
  const atCheckpoints = [];
  for (const t of checkpoints_ms) {
    simulation.runTo(t);
    atCheckpoints.push(simulation.probeValues_mM());
  }
  simulation.run();
  const wall_s = (performance.now() - started) / 1000;
  const stepping = simulation.stepping();
  return { wall_s, steps: stepping.steps, stencil_passes: stepping.stencil_passes, stepping, probes: simulation.metrics().probes, atCheckpoints };
}

/**
 * Exact semi-discrete bolus response of a box whose faces touch a bath at baseline (Dirichlet):
 * the bath coupling 2·(D* over h²)·(u_b − u_p) with u_b = 0 is a mirror image of opposite sign half a voxel
 * outside the face, so each axis is Σ over images of ± e^{−2s} I_d(2s) (src/core/lattice-solution.ts
 * has the sealed box, with images of the same sign). Source and probe at any positions: their
 * trilinear weights, which are products of one weight per axis, as the product deposits and reads.
 * Returns the peak excess and its time at the probe.
 */
function bathBoxPeak({ alpha, lambda, D_um2_per_ms, spacing_um, size, amount_mol, source_um, probe_um }) {
  const perMs = D_um2_per_ms / lambda ** 2 / spacing_um ** 2;
  const weights = (x_um, n) => {
    const c = Math.min(Math.max(x_um / spacing_um - 0.5, 0), n - 1);
    const low = Math.floor(c), fraction = c - low;
    return [[low, 1 - fraction], [Math.min(low + 1, n - 1), fraction]].filter(([, w]) => w > 0);
  };
  // Per axis: (probe index, source index, weight) pairs.
  const axes = [0, 1, 2].map((axis) => weights(source_um[axis], size[axis]).flatMap(([i0, w0]) =>
    weights(probe_um[axis], size[axis]).map(([i, w]) => ({ i, i0, weight: w0 * w, n: size[axis] }))));
  const c0 = amount_mol / (alpha * spacing_um ** 3 * 1e-18);
  const response = (t_ms) => {
    const x = 2 * perMs * t_ms;
    const images = axes.map((pairs) => pairs.map(({ i, i0, weight, n }) => {
      const reach = Math.abs(i - i0) + Math.ceil(Math.sqrt(80 * x)) + 10;
      const list = [];
      for (const [base, sign] of [[i0, 1], [-1 - i0, -1]]) {
        for (let P = Math.ceil((i - base - reach) / (2 * n)); P <= Math.floor((i - base + reach) / (2 * n)); P++) {
          list.push([Math.abs(i - base - 2 * n * P), sign]);
        }
      }
      return { weight, list };
    }));
    const kMax = Math.max(...images.flat().flatMap(({ list }) => list.map(([d]) => d))) + 1;
    const g = lattice.scaledBesselSequence(x, kMax);
    const factors = images.map((pairs) => {
      let value = 0, rate = 0;
      for (const { weight, list } of pairs) {
        for (const [d, sign] of list) {
          value += weight * sign * g[d];
          rate += weight * sign * (g[Math.abs(d - 1)] - 2 * g[d] + g[d + 1]);
        }
      }
      return { value, rate };
    });
    const [X, Y, Z] = factors;
    return { value: c0 * X.value * Y.value * Z.value, rate: c0 * perMs * (X.rate * Y.value * Z.value + X.value * Y.rate * Z.value + X.value * Y.value * Z.rate) };
  };
  // The peak: the root of the rate, bracketed from the continuum estimate and bisected.
  const r2 = [0, 1, 2].reduce((sum, axis) => sum + ((probe_um[axis] - source_um[axis]) / spacing_um) ** 2, 0);
  let low = Math.max(r2 / 6, 0.25) / perMs, high = low;
  while (!(response(low).rate > 0)) low /= 2;
  while (!(response(high).rate < 0)) high *= 2;
  for (let iteration = 0; iteration < 200 && high - low > 1e-13 * high; iteration++) {
    const middle = (low + high) / 2;
    if (response(middle).rate > 0) low = middle; else high = middle;
  }
  const t_peak_ms = (low + high) / 2;
  return { t_peak_ms, peak_mM: response(t_peak_ms).value };
}

const CORTEX = { alpha: 0.2, lambda: 1.6 };
const at = (index, spacing_um) => (index + 0.5) * spacing_um;

/** A bolus at the centre voxel of a sealed cube of odd size, one probe 50 µm along x at a voxel centre. */
function sealedBolus(size, spacing_um, duration_ms) {
  const c = (size - 1) / 2, m = Math.round(50 / spacing_um);
  const amount_mol = 2e-13, D_um2_per_ms = 1.96;
  const config = {
    grid: { size: [size, size, size], spacing_um }, tissue: CORTEX, species: { D_um2_per_ms }, boundary: { type: 'neumann' },
    sources: [{ type: 'bolus', position_um: [c, c, c].map((i) => at(i, spacing_um)), amount_mol, time_ms: 0 }],
    probes: [{ name: 'r50', position_um: [at(c + m, spacing_um), at(c, spacing_um), at(c, spacing_um)] }], duration_ms,
  };
  const exact = () => lattice.bolusReadouts({
    ...CORTEX, D_um2_per_ms, spacing_um, amount_mol, box: { size: [size, size, size], source: [c, c, c] },
  }, [m, 0, 0]);
  return { config, exact };
}

/** Signed relative errors of a bolus read-out (probe index 0 unless given) and the largest |error|. */
function bolusErrors(run, exact, probe = 0) {
  const readout = run.probes[probe];
  const errors = { peak: (readout.peak_mM - readout.baseline_mM) / exact.peak_mM - 1, t_peak: readout.t_peak_ms / exact.t_peak_ms - 1 };
  return { errors, worst: Math.max(Math.abs(errors.peak), Math.abs(errors.t_peak)) };
}

const PROBLEMS = [
  {
    key: 'a', label: '1 s K⁺ point release, 81³ × 5 µm, α 0.2, λ 1.6, D 1.96 µm²/ms, sealed faces, probe 50 µm',
    ...sealedBolus(81, 5, 1000), readouts: 'peak excess and t_peak at 50 µm', neuron_s: 4,
  },
  {
    key: 'b', label: '2.5 s K⁺ point release, 41³ × 10 µm, same tissue, sealed faces, probe 50 µm',
    ...sealedBolus(41, 10, 2500), readouts: 'peak excess and t_peak at 50 µm',
  },
  {
    key: 'c', label: 'the default 2 s K⁺ bolus, 128³ × 4 µm (D 2.62 µm²/ms, bath at the faces), probe r50',
    config: { grid: { size: [128, 128, 128], spacing_um: 4 }, duration_ms: 2000 },
    exact: () => bathBoxPeak({
      ...CORTEX, D_um2_per_ms: 2.62, spacing_um: 4, size: [128, 128, 128], amount_mol: 2e-13,
      source_um: [256, 256, 256], probe_um: [306, 256, 256],
    }),
    probe: 1, readouts: 'peak excess and t_peak at r50 (50 µm)',
  },
  (() => {
    // The source and probe at voxel centres (voxel 32 and 37 of 64), sealed faces: the lattice
    // quadrature of the constant source applies as is.
    const spacing_um = 10, n = 64, c = 32, m = 5, D_um2_per_ms = 1.3;
    const duration_ms = 50_000, checkpoints_ms = [5000, 10_000, 20_000, 50_000];
    const rate_mol_per_ms = iontophoresisRate_mol_per_ms(80, 0.4, 1);
    return {
      key: 'd', label: '50 s TMA⁺ iontophoresis (80 nA, n 0.4), 64³ × 10 µm, D 1.3 µm²/ms, baseline 0.5 mM, sealed faces, probe 50 µm',
      config: {
        grid: { size: [n, n, n], spacing_um }, tissue: CORTEX, species: { name: 'TMA', D_um2_per_ms, baseline_mM: 0.5 },
        boundary: { type: 'neumann' }, duration_ms,
        sources: [{ type: 'iontophoresis', position_um: [c, c, c].map((i) => at(i, spacing_um)), current_nA: 80, transport_number: 0.4, start_ms: 0, duration_ms }],
        probes: [{ name: 'r50', position_um: [at(c + m, spacing_um), at(c, spacing_um), at(c, spacing_um)] }],
      },
      checkpoints_ms,
      exact: () => checkpoints_ms.map((t) => lattice.constantSourceExcess_mM({
        ...CORTEX, D_um2_per_ms, spacing_um, box: { size: [n, n, n], source: [c, c, c] }, rate_mol_per_ms, start_ms: 0, duration_ms,
      }, [m, 0, 0], t)),
      readouts: 'excess at 50 µm at 5, 10, 20 and 50 s',
    };
  })(),
];

/** Errors of a run of a problem against its exact values. */
function errorsOf(problem, run, exact) {
  if (!problem.checkpoints_ms) return bolusErrors(run, exact, problem.probe ?? 0);
  const baseline = problem.config.species.baseline_mM;
  const errors = Object.fromEntries(problem.checkpoints_ms.map((t, index) =>
    [`at_${t / 1000}_s`, (run.atCheckpoints[index][0] - baseline) / exact[index] - 1]));
  return { errors, worst: Math.max(...Object.values(errors).map(Math.abs)) };
}

/** The fastest of TIMING_RUNS runs (the first may be given). */
async function fastest(runOnce, first) {
  let best = first ?? await runOnce();
  for (let k = 1; k < TIMING_RUNS; k++) {
    const again = await runOnce();
    if (again.wall_s < best.wall_s) best = again;
  }
  return best;
}

async function timeToSolution(problem) {
  const exact = problem.exact();
  const limit_ms = stabilityLimit_ms(resolveConfig(problem.config));
  const duration_s = problem.config.duration_ms / 1000;
  // Forward Euler steps divide the run (and the checkpoints) evenly: dt0 ≤ 0.9 × the limit.
  const span_ms = problem.checkpoints_ms ? problem.checkpoints_ms[0] : problem.config.duration_ms;
  const dt0 = span_ms / Math.ceil(span_ms / (0.9 * limit_ms));
  const row = (method, run, extra = {}) => {
    const { errors, worst } = errorsOf(problem, run, exact);
    return {
      method, ...extra, wall_s: run.wall_s, steps: run.steps, stencil_passes: run.stencil_passes,
      passes_per_simulated_s: run.stencil_passes / duration_s, wall_ms_per_pass: (1000 * run.wall_s) / run.stencil_passes,
      errors, worst_error: worst,
    };
  };
  const euler = (dt) => () => forwardEuler(problem.config, dt, problem.checkpoints_ms);
  const search = [];
  let meets = null;
  for (let k = 0; k <= MAX_HALVINGS; k++) {
    const dt = dt0 / 2 ** k;
    const run = await euler(dt)();
    const { worst } = errorsOf(problem, run, exact);
    search.push({ dt_ms: dt, dt_over_limit: dt / limit_ms, worst_error: worst, wall_s: run.wall_s, first: run });
    if (worst <= TARGET) { meets = search.length - 1; break; }
  }
  const runs = [row('forward Euler, 0.9 × limit', await fastest(euler(dt0), search[0].first), { dt_ms: dt0, dt_over_limit: dt0 / limit_ms })];
  if (meets !== null) {
    const { dt_ms, dt_over_limit, first } = search[meets];
    runs.push(meets === 0 ? { ...runs[0], method: 'forward Euler, largest step within 0.1%' }
      : row('forward Euler, largest step within 0.1%', await fastest(euler(dt_ms), first), { dt_ms, dt_over_limit }));
  }
  const after = await fastest(() => product(problem.config, problem.checkpoints_ms));
  runs.push(row('RKL2, dt "auto", tolerance 1e-3', after, {
    dt_ms: 'auto', shortest_step_ms: after.stepping.shortest_step_ms, longest_step_ms: after.stepping.longest_step_ms,
    rejected_steps: after.stepping.rejected_steps,
  }));
  const result = {
    problem: problem.key, label: problem.label, duration_ms: problem.config.duration_ms, limit_ms, readouts: problem.readouts,
    reference: problem.key === 'c' ? 'exact semi-discrete lattice solution, bath faces as images of opposite sign (this script)'
      : problem.checkpoints_ms ? 'exact semi-discrete lattice solution: constant-source quadrature in the sealed box (src/core/lattice-solution.ts)'
        : 'exact semi-discrete lattice solution: Bessel products with the sealed box images (src/core/lattice-solution.ts)',
    euler_implementation: 'wasm stepUniform (the old forward-Euler kernel export) driven from kernel-bench.mjs',
    runs, halving: search.map(({ first, ...step }) => step),
    euler_within_target: meets !== null,
    wall_ratio_euler_over_rkl2: {
      at_0_9_limit: runs[0].wall_s / after.wall_s, within_target: meets !== null ? runs[1].wall_s / after.wall_s : null,
    },
  };
  if (problem.neuron_s) result.vs_neuron = { neuron_s: problem.neuron_s, time_ratio: after.wall_s / problem.neuron_s };
  if (problem.key === 'a') {
    // The spatial error, for scale: the product's peak against the continuum closed form.
    const theory = pointSourcePeak({ ...CORTEX, D_um2_per_ms: 1.96 }, 2e-13, 50);
    const probe = after.probes[0];
    result.product_peak_error_vs_continuum = (probe.peak_mM - probe.baseline_mM) / theory.peak_mM - 1;
  }
  return result;
}

// ---- Run ------------------------------------------------------------------------------------------
// The machine may be shared, and its speed drifts over seconds: WebAssembly and C are timed in
// alternation, ROUNDS times per case, and each keeps its best, so that a slow spell hits both alike.
const ROUNDS = quick ? 1 : 2;
const native = nativeBuilds();
const check = await sameArithmetic(native);
log(`  same arithmetic check: ${check.cases.every((c) => c.registers_identical && c.sums_agree) ? 'ok' : 'MISMATCH'}`);
const results128 = [];
const results = [];
for (const n of SIZES) {
  for (const kernel of ['uniform', 'heterogeneous']) {
    for (const uptake of [false, true]) {
      const best = { wasm: 0, native: 0, native128: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        best.wasm = Math.max(best.wasm, await wasmCase(kernel, uptake, n));
        if (native.run) {
          best.native = Math.max(best.native, native.run('native', kernel, uptake, n));
          best.native128 = Math.max(best.native128, native.run('native128', kernel, uptake, n));
        }
      }
      results.push({ kernel, uptake, impl: 'wasm', n, voxel_updates_per_s: best.wasm });
      results.push({ kernel, uptake, impl: 'js', n, voxel_updates_per_s: jsCase(kernel, uptake, n) });
      if (native.run) {
        results.push({ kernel, uptake, impl: 'native', n, voxel_updates_per_s: best.native });
        results128.push({ kernel, uptake, impl: 'native', n, voxel_updates_per_s: best.native128 });
      }
      log(`  measured ${kernel} uptake ${uptake ? 'on' : 'off'} ${n}³`);
    }
  }
}
// --quick (the --json contract test runs it): problem c, whose forward-Euler search alone takes a
// minute, is left out.
const problems = quick ? PROBLEMS.filter((problem) => problem.key !== 'c') : PROBLEMS;
const solutions = [];
for (const problem of problems) {
  solutions.push(await timeToSolution(problem));
  log(`  time to solution ${problem.key} done`);
}
const memory = ['uniform', 'heterogeneous'].map((path) => ({ kernel: path, bytes_per_voxel: kernelMemoryBytes([256, 256, 256], path) / 256 ** 3 }));
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };

if (json) {
  console.log(JSON.stringify({
    machine, update: 'one RKL2 stage pass (stageUniform / stageHeterogeneous)', stage_coefficients: STAGE,
    results, native_128bit_vectors: results128, same_arithmetic: check, time_to_solution: solutions,
    skipped_problems: PROBLEMS.filter((problem) => !problems.includes(problem)).map((problem) => problem.key), memory, note: native.note,
  }, null, 2));
} else {
  console.log(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; single thread; M voxel updates/s of one RKL2 stage pass`);
  console.log(`(a ${STAGE.a}, g ${STAGE.g}, μ ${STAGE.mu}, ν ${STAGE.nu}, r ${STAGE.r}, bath 2r; uptake on: K ${STAGE.K}, ` +
    `heterogeneous k′τ ${STAGE.kEcsTau}, k_tτ ${STAGE.kTissueTau})`);
  console.log('kernel          uptake    n    wasm   plain JS   native C   wasm/native   wasm/JS   C 128-bit   wasm/C128');
  for (const n of SIZES) for (const kernel of ['uniform', 'heterogeneous']) for (const uptake of [false, true]) {
    const rate = (impl) => results.find((r) => r.impl === impl && r.n === n && r.kernel === kernel && r.uptake === uptake)?.voxel_updates_per_s;
    const [w, j, c] = ['wasm', 'js', 'native'].map(rate);
    const c128 = results128.find((r) => r.n === n && r.kernel === kernel && r.uptake === uptake)?.voxel_updates_per_s;
    const m = (v) => (v === undefined ? '—' : (v / 1e6).toFixed(0)).padStart(8);
    console.log(`${kernel.padEnd(15)} ${(uptake ? 'on' : 'off').padEnd(6)} ${String(n).padStart(4)} ${m(w)} ${m(j)}   ${m(c)}   ` +
      `${c ? (w / c).toFixed(2).padStart(9) : '        —'}   ${(w / j).toFixed(1).padStart(6)}   ${m(c128)}   ` +
      `${c128 ? (w / c128).toFixed(2).padStart(9) : '        —'}`);
  }
  if (native.note) console.log(native.note);
  const identical = check.cases.every((c) => c.registers_identical);
  console.log(`same numbers: after ${check.passes} stage passes on ${check.n}³ (varied coefficients) the stage registers of wasm, ` +
    `plain JS${native.check ? ' and C (-ffp-contract=off)' : ''} are ${identical ? 'bit-identical in all four cases' : 'NOT identical: ' +
      JSON.stringify(check.cases.filter((c) => !c.registers_identical))}`);

  console.log('\ntime to solution (wall time includes setting up; errors are signed, relative, against the exact solution of the');
  console.log('semi-discrete scheme, i.e. the time-stepping error alone; forward Euler: the wasm kernel\'s old stepUniform export,');
  console.log('driven from this script as the product stepped before RKL2):');
  const percent = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(3)}%`;
  for (const s of solutions) {
    console.log(`\n${s.problem}. ${s.label} (read-outs: ${s.readouts}; stability limit ${s.limit_ms.toPrecision(4)} ms)`);
    console.log('   method                                       dt (ms)   wall (s)    steps   passes   passes/sim s   errors');
    for (const run of s.runs) {
      const dt = run.dt_ms === 'auto'
        ? `${run.shortest_step_ms.toPrecision(2)}–${run.longest_step_ms.toPrecision(3)}`
        : `${run.dt_ms.toPrecision(3)} (${run.dt_over_limit.toPrecision(3)}×)`;
      const errors = Object.entries(run.errors).map(([name, v]) => `${name.replace(/_/g, ' ').replace(/^at /, '')} ${percent(v)}`).join(', ');
      console.log(`   ${run.method.padEnd(42)} ${dt.padStart(15)} ${run.wall_s.toFixed(3).padStart(8)} ${String(run.steps).padStart(8)} ` +
        `${String(run.stencil_passes).padStart(8)} ${run.passes_per_simulated_s.toFixed(0).padStart(12)}   ${errors}`);
    }
    const ratio = s.wall_ratio_euler_over_rkl2;
    console.log(`   wall time forward Euler / RKL2: ${ratio.at_0_9_limit.toFixed(2)} at 0.9 × limit (largest error ` +
      `${(100 * s.runs[0].worst_error).toFixed(2)}%), ` + (ratio.within_target !== null ? `${ratio.within_target.toFixed(2)} within 0.1%`
      : `forward Euler not within 0.1% after ${MAX_HALVINGS} halvings`));
    console.log(`   wall time per stencil pass (ms): ${s.runs.map((run) => run.wall_ms_per_pass.toFixed(2)).join(', ')} ` +
      '(RKL2: a stage forms w = a·prev + g·u once per voxel, into a ring of planes, then the stencil; each step adds an error norm and an end-of-step pass)');
    console.log(`   halving, dt/limit → largest error: ${s.halving.map((h) => `${h.dt_over_limit.toPrecision(3)} → ${(100 * h.worst_error).toFixed(3)}%`).join(', ')}`);
    if (s.vs_neuron) {
      console.log(`   vs NEURON (4 s, measured elsewhere): RKL2 takes ${s.vs_neuron.time_ratio.toFixed(3)}× its time ` +
        `(${(1 / s.vs_neuron.time_ratio).toFixed(1)}× faster)`);
    }
    if (s.product_peak_error_vs_continuum !== undefined) {
      console.log(`   (spatial error, for scale: the RKL2 peak is ${percent(s.product_peak_error_vs_continuum)} from the continuum closed form)`);
    }
  }
  console.log(`\nmemory: ${memory.map((m) => `${m.kernel} ${m.bytes_per_voxel.toFixed(1)} bytes/voxel`).join(', ')}`);
  if (quick) console.log('(--quick: 64³ only, one round; problem c left out)');
  if (existsSync('/proc/loadavg')) console.log('(the machine is shared: repeat runs vary)');
}

// npm run bench [-- --json] [-- --quick]: voxel updates per second of the diffusion kernels, single
// thread, in WebAssembly (the product), plain JavaScript and native C (gcc -O3 -march=native) — the
// same compensated in-place update with fused linear uptake — at 64³, 128³ and 256³, uniform and
// heterogeneous, uptake off and on;
// then time to solution for two standard problems and memory per voxel.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { instantiateKernel, kernelMemoryBytes, pointSourcePeak, Simulation } from '../dist/core/index.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const SIZES = quick ? [64] : [64, 128, 256];
/** Enough steps for ≥ ~0.3 s of work per case at the wasm speed. */
const stepsFor = (n) => Math.max(3, Math.round(3e8 / n ** 3));
/** Timed blocks per case and round; the best counts (native C does the same). */
const REPEATS = 3;
const log = (line) => { if (!json) console.log(line); };

// The uptake case: linear uptake with one rate, decay = 1 − exp(−k dt), fused into the diffusion
// sweep in all three implementations (the product does the same).
const DECAY = 0.001;
// Every case of every implementation starts from the same field: 1 everywhere (so that no value
// becomes subnormal, which slows all three alike and by an amount that depends on the step count)
// and a spike of 1000 at the centre, whose index is count >> 1.
const BACKGROUND = 1, SPIKE = 1000;

// ---- WebAssembly: the kernel's own exports on arrays laid out by hand -------------------------
async function wasmCase(kernelKind, uptake, n) {
  const kernel = await instantiateKernel();
  const count = n ** 3, boundary = 6 * n * n;
  let cursor = Math.ceil(kernel.heapBase() / 16) * 16;
  const arrays = kernelKind === 'uniform' ? 2 : 6;
  const bytes = cursor + 4 * (arrays * count + boundary + n * n) + 16 * 16;
  kernel.memory.grow(Math.ceil(bytes / 65536) - kernel.memory.buffer.byteLength / 65536 + 1);
  const take = (length) => { const at = cursor; cursor = Math.ceil((cursor + 4 * length) / 16) * 16; return at; };
  // The field array has one spare plane; each step moves the field one plane down, then up.
  const field = take(count + n * n), low = take(count);
  let u = field + 4 * n * n, to = field;
  const view = (pointer, length = count) => new Float32Array(kernel.memory.buffer, pointer, length);
  view(u).fill(BACKGROUND);
  view(u)[count >> 1] += SPIKE;
  const decay = uptake ? DECAY : 0;
  let step;
  if (kernelKind === 'uniform') {
    step = () => kernel.stepUniform(u, to, low, n, n, n, 0.15, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0, decay, 0) + kernel.decayRemoved();
  } else {
    const ia = take(count), gx = take(count), gy = take(count), gz = take(count), faces = take(boundary);
    view(ia).fill(5); view(gx).fill(0.025); view(gy).fill(0.025); view(gz).fill(0.025); view(faces, boundary).fill(0.05);
    step = () => kernel.stepHeterogeneous(u, to, low, ia, gx, gy, gz, faces, n, n, n, 0, decay, 0) + kernel.decayRemoved();
  }
  return timeSteps(n, () => { const removed = step(); [u, to] = [to, u]; return removed; });
}

// ---- Plain JavaScript: the same update, scalar, in place shifted by one plane ----------------------
function jsCase(kernelKind, uptake, n) {
  const count = n ** 3, nn = n * n;
  // u and the output index into one array of n + 1 planes: the field starts at from, goes to to.
  const u = new Float32Array(count + nn), low = new Float32Array(count);
  let from = nn, to = 0;
  const ia = new Float32Array(count).fill(5);
  const gx = new Float32Array(count).fill(0.025), gy = new Float32Array(count).fill(0.025), gz = new Float32Array(count).fill(0.025);
  const uniform = kernelKind === 'uniform';
  u.fill(BACKGROUND, from, from + count);
  u[from + (count >> 1)] += SPIKE;
  const r = 0.15, b = uniform ? 0.3 : 0.05, decay = uptake ? Math.fround(DECAY) : 0;
  /**
   * A voxel on a face of the box: logical index p, field value at u[from + p], new value to
   * u[to + p]. Returns what the uptake removed (sums stay in locals, as in wasm and C: a variable
   * shared by closures would be boxed by V8 on every update).
   */
  const boundaryVoxel = (p, i, j, k) => {
    const q = from + p, up = u[q];
    let interior = 0, bath = 0;
    const a = uniform ? 1 : ia[p];
    const gx0 = uniform ? r : gx[p - 1], gx1 = uniform ? r : gx[p], gy0 = uniform ? r : gy[p - n], gy1 = uniform ? r : gy[p];
    const gz0 = uniform ? r : gz[p - nn], gz1 = uniform ? r : gz[p];
    if (i > 0) interior += gx0 * (u[q - 1] - up); else bath += b;
    if (i < n - 1) interior += gx1 * (u[q + 1] - up); else bath += b;
    if (j > 0) interior += gy0 * (u[q - n] - up); else bath += b;
    if (j < n - 1) interior += gy1 * (u[q + n] - up); else bath += b;
    if (k > 0) interior += gz0 * (u[q - nn] - up); else bath += b;
    if (k < n - 1) interior += gz1 * (u[q + nn] - up); else bath += b;
    const increment = Math.fround((a * interior - a * bath * up) / (1 + a * bath));
    const gone = Math.fround(decay * Math.fround(up + increment));
    const carried = Math.fround(Math.fround(increment - gone) + low[p]);
    const updated = Math.fround(up + carried);
    u[to + p] = updated;
    low[p] = carried - (updated - up);
    return gone / a;
  };
  const step = () => {
    let removed = 0;
    const upward = to < from;
    for (let sweep = 0; sweep < n; sweep++) {
      const k = upward ? sweep : n - 1 - sweep;
      for (let j = 0; j < n; j++) {
        const row = n * (j + n * k);
        if (k === 0 || j === 0 || k === n - 1 || j === n - 1) {
          for (let i = 0; i < n; i++) removed += boundaryVoxel(row + i, i, j, k);
          continue;
        }
        removed += boundaryVoxel(row, 0, j, k);
        const shift = to - from;
        let rowRemoved = 0;
        for (let p = row + 1; p < row + n - 1; p++) {
          const q = from + p, c = u[q];
          let increment = uniform
            ? r * ((u[q - 1] - c) + (u[q + 1] - c) + (u[q - n] - c) + (u[q + n] - c) + (u[q - nn] - c) + (u[q + nn] - c))
            : ia[p] * (gx[p - 1] * (u[q - 1] - c) + gx[p] * (u[q + 1] - c) + gy[p - n] * (u[q - n] - c) + gy[p] * (u[q + n] - c)
              + gz[p - nn] * (u[q - nn] - c) + gz[p] * (u[q + nn] - c));
          if (decay !== 0) {
            increment = Math.fround(increment);
            const gone = Math.fround(decay * Math.fround(c + increment));
            rowRemoved += uniform ? gone : gone / ia[p];
            increment -= gone;
          }
          const carried = Math.fround(increment + low[p]);
          const updated = Math.fround(c + carried);
          u[q + shift] = updated;
          low[p] = carried - (updated - c);
        }
        removed += rowRemoved + boundaryVoxel(row + n - 1, n - 1, j, k);
      }
    }
    [from, to] = [to, from];
    return removed;
  };
  return timeSteps(n, step, Math.max(2, Math.round(stepsFor(n) / 4)));
}

/**
 * Voxel updates per second: the best of REPEATS timed blocks of `steps` steps after a warm-up (the
 * machine may be shared; the best block is the least disturbed). Every implementation is timed so.
 */
function timeSteps(n, step, steps = stepsFor(n)) {
  // Warm-up: at least two steps and 0.2 s, so that the engine's optimising tier is in place.
  const warmUpStart = performance.now();
  for (let s = 0; s < 2 || performance.now() - warmUpStart < 200; s++) step();
  let best = 0;
  for (let block = 0; block < REPEATS; block++) {
    const started = performance.now();
    for (let s = 0; s < steps; s++) step();
    best = Math.max(best, (n ** 3 * steps) / ((performance.now() - started) / 1000));
  }
  return best;
}

// ---- Native C -------------------------------------------------------------------------------------
/**
 * The C update compiled twice: -march=native (the comparison the targets refer to; on this machine
 * it uses 512-bit vectors) and the same with -mprefer-vector-width=128, the width of WebAssembly
 * SIMD, which shows how much of the gap is vector width alone. Returns a runner per build, or a
 * note why there is none.
 */
function nativeBuilds() {
  const source = join(import.meta.dirname, 'native/diffusion.c');
  const directory = mkdtempSync(join(tmpdir(), 'ecs-bench-'));
  const binaries = { native: join(directory, 'diffusion-bench'), native128: join(directory, 'diffusion-bench-128') };
  try {
    execFileSync('gcc', ['-O3', '-march=native', '-fopenmp-simd', '-o', binaries.native, source, '-lm'], { stdio: 'pipe' });
    execFileSync('gcc', ['-O3', '-march=native', '-mprefer-vector-width=128', '-fopenmp-simd', '-o', binaries.native128, source, '-lm'],
      { stdio: 'pipe' });
  } catch {
    return { note: 'native C skipped: gcc not found or failed', run: null };
  }
  /** Voxel updates/s of one case in one build: the best of REPEATS timed blocks. */
  const run = (build, kernel, uptake, n) => {
    const text = execFileSync(binaries[build], [String(n), String(stepsFor(n)), String(REPEATS), kernel === 'uniform' ? '0' : '1',
      uptake ? '1' : '0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return Number(text.trim().split(' ')[3]);
  };
  return { note: null, run };
}

// ---- Time to solution -----------------------------------------------------------------------------
async function timeToSolution(name, config) {
  const started = performance.now();
  const simulation = await Simulation.create(config, { recordSeries: config.probes.length > 0 });
  simulation.run();
  return { problem: name, wall_s: (performance.now() - started) / 1000, steps: simulation.steps, simulation };
}

/** The bolus of bench/bolus-80.json, timed, with its peak at 50 µm against the closed form. */
async function bolusAgainstTheory() {
  const config = JSON.parse(readFileSync(new URL('./bolus-80.json', import.meta.url), 'utf8'));
  const { simulation, ...timing } = await timeToSolution('1 s K⁺ bolus, 80³ × 5 µm, D 1.96 µm²/ms', config);
  const [probe] = simulation.metrics().probes;
  const theory = pointSourcePeak({ alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.96 }, config.sources[0].amount_mol, 50);
  return { ...timing, peak_error_at_50_um: (probe.peak_mM - probe.baseline_mM) / theory.peak_mM - 1 };
}

// The machine may be shared, and its speed drifts over seconds: WebAssembly and C are timed in
// alternation, ROUNDS times per case, and each keeps its best, so that a slow spell hits both alike.
const ROUNDS = 2;
const native = nativeBuilds();
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
const solutions = [
  await timeToSolution('K⁺ bolus in cortex to 2 s, 128³ × 4 µm', { grid: { size: [128, 128, 128], spacing_um: 4 }, duration_ms: 2000, probes: [] }),
  await timeToSolution('TMA⁺ iontophoresis 50 s, 64³ × 10 µm', {
    grid: { size: [64, 64, 64], spacing_um: 10 }, species: { name: 'TMA', D_um2_per_ms: 1.3, baseline_mM: 0.5 }, duration_ms: 50_000, probes: [],
    sources: [{ type: 'iontophoresis', position_um: [320, 320, 320], current_nA: 80, transport_number: 0.4, start_ms: 0, duration_ms: 50_000 }],
  }),
  await bolusAgainstTheory(),
].map(({ simulation, ...solution }) => solution);
const memory = ['uniform', 'heterogeneous'].map((path) => ({ kernel: path, bytes_per_voxel: kernelMemoryBytes([256, 256, 256], path) / 256 ** 3 }));
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };

if (json) {
  console.log(JSON.stringify({
    machine, results, native_128bit_vectors: results128, time_to_solution: solutions, memory, note: native.note,
  }, null, 2));
} else {
  console.log(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; single thread; M voxel updates/s`);
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
  console.log('\ntime to solution:');
  for (const s of solutions) {
    const error = s.peak_error_at_50_um === undefined ? '' : `, peak at 50 µm ${(100 * s.peak_error_at_50_um).toFixed(2)}% from theory`;
    console.log(`  ${s.problem}: ${s.wall_s.toFixed(2)} s (${s.steps} steps${error})`);
  }
  console.log(`memory: ${memory.map((m) => `${m.kernel} ${m.bytes_per_voxel.toFixed(1)} bytes/voxel`).join(', ')}`);
  if (existsSync('/proc/loadavg')) console.log('(the machine is shared: repeat runs vary)');
}

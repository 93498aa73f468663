// The time error of the simulator's stepping, measured against the exact solution of the same
// semi-discrete 7-point scheme (src/core/lattice-solution.ts: Bessel-function products with
// the mirror images of the sealed box, and their convolution with a constant source). Space is
// discretised identically in both, so every difference here is time-integration error (plus the
// read-out of sampled curves). The contract under test: with dt_ms "auto" (the default) the
// stepping controls its error so that each read-out of a probe — peak excess, t_peak and t_half —
// lies within accuracy.relative_tolerance (default 1e-3) of the exact semi-discrete value; a fixed
// dt_ms (≤ the stability limit h²/(6 D*)) gives a second-order method.
//
// All probes sit at voxel centres (trilinear reads there return exactly that voxel) and all sources
// at the centre of a voxel (deposited into that voxel only), so the lattice solution applies as is.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import type { ProbeMetrics } from '../../src/core/metrics.js';
import { iontophoresisRate_mol_per_ms } from '../../src/core/units.js';
import {
  bolusExcess_mM,
  bolusReadouts,
  constantSourceExcess_mM,
  forwardEulerLimit_ms,
  type BolusReadouts,
  type LatticeBolus,
  type LatticeConstantSource,
  type Triple,
} from '../../src/core/lattice-solution.js';

/** The default accuracy.relative_tolerance: the time error of each read-out, relative. */
const DEFAULT_TOLERANCE = 1e-3;

/** A bolus at the centre voxel of a sealed cubic box, read at voxel-centre probes. */
interface BolusProblem {
  label: string;
  /** Voxels per axis (odd, so that one voxel is the centre). */
  size: number;
  spacing_um: number;
  alpha: number;
  lambda: number;
  D_um2_per_ms: number;
  amount_mol: number;
  duration_ms: number;
  /** Probe offsets from the source voxel (voxels): one on an axis, two off it, all ~50 µm away. */
  probes: Triple[];
}

// K⁺-like diffusion in cortex on a coarse grid: probes 50 µm = 5 voxels away, box 410 µm (8× the
// probe distance). Peaks near 540 ms, half times near 1.1 s.
const CORTEX_10UM: BolusProblem = {
  label: '41³ × 10 µm, α 0.2, λ 1.6, D 1.96', size: 41, spacing_um: 10,
  alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.96, amount_mol: 1e-15, duration_ms: 2500,
  probes: [[5, 0, 0], [4, 3, 0], [3, 3, 2]],
};
// A wider, less tortuous tissue on a finer grid: probes 50 µm = 10 voxels away, box 305 µm (6×).
// Peaks near 310 ms, half times near 660 ms.
const WIDE_5UM: BolusProblem = {
  label: '61³ × 5 µm, α 0.4, λ 1.4, D 2.62', size: 61, spacing_um: 5,
  alpha: 0.4, lambda: 1.4, D_um2_per_ms: 2.62, amount_mol: 1e-15, duration_ms: 1500,
  probes: [[10, 0, 0], [8, 6, 0], [6, 6, 5]],
};

const sourceIndex = (problem: { size: number }) => (problem.size - 1) / 2;
const voxelCentre_um = (index: number, spacing_um: number) => (index + 0.5) * spacing_um;

/** The problem as the lattice solution sees it (the box's images included: the box size drops out). */
function latticeBolus(problem: BolusProblem): LatticeBolus {
  const c = sourceIndex(problem);
  return {
    alpha: problem.alpha, lambda: problem.lambda, D_um2_per_ms: problem.D_um2_per_ms, spacing_um: problem.spacing_um,
    amount_mol: problem.amount_mol, box: { size: [problem.size, problem.size, problem.size], source: [c, c, c] },
  };
}

function bolusConfig(problem: BolusProblem, overrides: Record<string, unknown> = {}) {
  const c = sourceIndex(problem);
  const at = (offset: Triple) => offset.map((m) => voxelCentre_um(c + m, problem.spacing_um)) as Triple;
  return {
    grid: { size: [problem.size, problem.size, problem.size], spacing_um: problem.spacing_um },
    tissue: { alpha: problem.alpha, lambda: problem.lambda },
    species: { D_um2_per_ms: problem.D_um2_per_ms },
    boundary: { type: 'neumann' },
    sources: [{ type: 'bolus', position_um: at([0, 0, 0]), amount_mol: problem.amount_mol }],
    probes: problem.probes.map((offset) => ({ name: `probe_${offset.join('_')}`, position_um: at(offset) })),
    duration_ms: problem.duration_ms,
    ...overrides,
  };
}

const references = new Map<BolusProblem, BolusReadouts[]>();
function exactReadouts(problem: BolusProblem): BolusReadouts[] {
  if (!references.has(problem)) references.set(problem, problem.probes.map((offset) => bolusReadouts(latticeBolus(problem), offset)));
  return references.get(problem)!;
}

/** Runs shared between tests (same config, same result), so that each configuration runs once. */
const runs = new Map<string, Promise<ProbeMetrics[]>>();
function probeMetricsOf(config: object): Promise<ProbeMetrics[]> {
  const key = JSON.stringify(config);
  if (!runs.has(key)) {
    runs.set(key, (async () => {
      const simulation = await Simulation.create(config);
      simulation.run();
      return simulation.metrics().probes;
    })());
  }
  return runs.get(key)!;
}

interface ReadoutErrors {
  /** Signed relative errors, one per probe. */
  t_peak: number[];
  peak: number[];
  t_half: number[];
  /** Largest |error| over all probes and read-outs. */
  worst: number;
}

/** Relative errors of the simulated read-outs against the lattice solution. */
async function readoutErrors(problem: BolusProblem, overrides: Record<string, unknown> = {}): Promise<ReadoutErrors> {
  const metrics = await probeMetricsOf(bolusConfig(problem, overrides));
  const exact = exactReadouts(problem);
  const errors: ReadoutErrors = { t_peak: [], peak: [], t_half: [], worst: 0 };
  metrics.forEach((probe, index) => {
    // A missing half time (the curve never fell to half) must fail, not be skipped.
    expect(probe.t_half_ms, `${probe.name}: t_half`).not.toBeNull();
    errors.t_peak.push(probe.t_peak_ms / exact[index].t_peak_ms - 1);
    errors.peak.push((probe.peak_mM - probe.baseline_mM) / exact[index].peak_mM - 1);
    errors.t_half.push((probe.t_half_ms ?? NaN) / exact[index].t_half_ms - 1);
  });
  errors.worst = Math.max(...[...errors.t_peak, ...errors.peak, ...errors.t_half].map(Math.abs));
  return errors;
}

const show = (values: number[]) => values.map((v) => v.toExponential(1)).join(' ');
const summary = (errors: ReadoutErrors) =>
  `t_peak ${show(errors.t_peak)} | peak ${show(errors.peak)} | t_half ${show(errors.t_half)} | worst ${errors.worst.toExponential(2)}`;

describe('bolus read-outs against the exact semi-discrete solution (dt "auto")', () => {
  for (const problem of [CORTEX_10UM, WIDE_5UM]) {
    it(`${problem.label}: peak excess, t_peak and t_half within 1e-3 at on- and off-axis probes with the default tolerance`, async () => {
      const errors = await readoutErrors(problem);
      console.log(`time accuracy, ${problem.label}, default tolerance: ${summary(errors)}`);
      expect(Number.isFinite(errors.worst)).toBe(true);
      expect(errors.worst).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    });
  }

  it('a tighter accuracy.relative_tolerance of 1e-4 brings every read-out within 1e-4, closer than the default', async () => {
    const tight = await readoutErrors(CORTEX_10UM, { accuracy: { relative_tolerance: 1e-4 } });
    const standard = await readoutErrors(CORTEX_10UM);
    console.log(`time accuracy, ${CORTEX_10UM.label}, tolerance 1e-4: ${summary(tight)} (default: worst ${standard.worst.toExponential(2)})`);
    expect(tight.worst).toBeLessThanOrEqual(1e-4);
    expect(tight.worst).toBeLessThan(standard.worst);
  });

  it('the read-outs do not depend on duration_ms: 2500 and 10 000 ms agree to 2e-4 in peak and t_peak', async () => {
    // The step size must follow the solution, not the length of the run (a step tied to
    // duration_ms/N would change t_peak with the duration).
    const short = await probeMetricsOf(bolusConfig(CORTEX_10UM, { duration_ms: 2500 }));
    const long = await probeMetricsOf(bolusConfig(CORTEX_10UM, { duration_ms: 10_000 }));
    const longErrors = await readoutErrors(CORTEX_10UM, { duration_ms: 10_000 });
    const shortErrors = await readoutErrors(CORTEX_10UM, { duration_ms: 2500 });
    const peakDifference = short.map((probe, i) => (long[i].peak_mM - long[i].baseline_mM) / (probe.peak_mM - probe.baseline_mM) - 1);
    const timeDifference = short.map((probe, i) => long[i].t_peak_ms / probe.t_peak_ms - 1);
    console.log(`time accuracy, duration 10 000 vs 2500 ms: peak ${show(peakDifference)} | t_peak ${show(timeDifference)} | ` +
      `worst vs exact ${shortErrors.worst.toExponential(2)} (2500 ms), ${longErrors.worst.toExponential(2)} (10 000 ms)`);
    for (const difference of [...peakDifference, ...timeDifference]) expect(Math.abs(difference)).toBeLessThanOrEqual(2e-4);
    expect(shortErrors.worst).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
    expect(longErrors.worst).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
  });
});

describe('fixed dt: the stepping is second order', () => {
  it('t_peak and peak errors at the on-axis probe fall with observed order ≥ 1.9 as dt halves from 0.8 of the limit', async () => {
    const limit = forwardEulerLimit_ms(latticeBolus(CORTEX_10UM));
    const exact = exactReadouts(CORTEX_10UM)[0];
    // dt ≈ limit × 0.8, 0.4, 0.2, adjusted (by 0.14%) so that the exact t_peak is a whole number of
    // steps on all three. The read-out interpolates between samples around the maximum, and its
    // error depends on where the peak falls between them; with the peak at the same phase on every
    // grid that error scales cleanly with dt and cannot scatter the observed order of the stepping.
    const stepsToPeak = Math.ceil(exact.t_peak_ms / (0.8 * limit));
    const timeErrors: number[] = [];
    const peakErrors: number[] = [];
    for (const refinement of [1, 2, 4]) {
      const dt_ms = exact.t_peak_ms / (stepsToPeak * refinement);
      expect(dt_ms).toBeLessThanOrEqual(limit);
      const errors = await readoutErrors(CORTEX_10UM, { dt_ms });
      timeErrors.push(Math.abs(errors.t_peak[0]));
      peakErrors.push(Math.abs(errors.peak[0]));
    }
    const order = (errors: number[]) => [Math.log2(errors[0] / errors[1]), Math.log2(errors[1] / errors[2])];
    console.log(`time accuracy, fixed dt = limit × ${(exact.t_peak_ms / stepsToPeak / limit).toFixed(4)}/1, 2, 4: ` +
      `t_peak ${show(timeErrors)} (orders ${order(timeErrors).map((o) => o.toFixed(2)).join(', ')}), ` +
      `peak ${show(peakErrors)} (orders ${order(peakErrors).map((o) => o.toFixed(2)).join(', ')})`);
    // Forward Euler would show order 1 here: its step multiplies each mode by 1 − z instead of
    // e^{−z} (z = dt × the mode's rate), a local error z²/2 that adds up over t/dt steps to a global
    // error ∝ dt. The reference is the exact semi-discrete solution, so no spatial error hides it
    // (measured on forward Euler: orders 1.02 and 1.01).
    for (const errors of [timeErrors, peakErrors]) {
      expect(errors[2]).toBeGreaterThan(0);
      expect(errors[1]).toBeLessThan(errors[0]);
      expect(errors[2]).toBeLessThan(errors[1]);
      for (const observed of order(errors)) expect(observed).toBeGreaterThanOrEqual(1.9);
    }
  });
});

describe('iontophoresis with ECS uptake k′ against the convolution of the lattice solution', () => {
  // TMA⁺-like (D 1.3 µm²/ms, z = 1) in cortex, 80 nA with transport number 0.4 for 50 s from
  // t = 1 s, strong uptake k′ = 0.005 /ms (τ = 200 ms, screening length √(D*/k′) ≈ 10 µm), probe
  // 50 µm from the source. The rise and fall take ~1 s; in between the curve holds a plateau
  // where du/dt = 0 = L u + q − k′u, which a scheme that mishandles k′ gets wrong by O(k′ dt).
  const size = 41, spacing_um = 10, centre = 20;
  const current_nA = 80, transport_number = 0.4, start_ms = 1000, pulse_ms = 50_000, k_ecs_per_ms = 0.005;
  const probe: Triple = [5, 0, 0];
  const source: LatticeConstantSource = {
    alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.3, spacing_um, k_ecs_per_ms,
    box: { size: [size, size, size], source: [centre, centre, centre] },
    rate_mol_per_ms: iontophoresisRate_mol_per_ms(current_nA, transport_number, 1), start_ms, duration_ms: pulse_ms,
  };
  // Rise (12%, 52%, 97.5% of the plateau), mid-plateau, end of the pulse, fall (88%, 48%, 12%).
  // Points far below the plateau are left out: there a relative error says little about the curve.
  const times_ms = [1200, 1400, 2000, 30_000, 51_000, 51_200, 51_400, 51_700];

  it('the probe excess is within 1e-3 of the reference on the rise, the plateau, at the end of the pulse and on the fall', async () => {
    const at = (offset: Triple) => offset.map((m) => voxelCentre_um(centre + m, spacing_um)) as Triple;
    const simulation = await Simulation.create({
      grid: { size: [size, size, size], spacing_um },
      tissue: { alpha: 0.2, lambda: 1.6 },
      species: { name: 'TMA', valence: 1, D_um2_per_ms: 1.3, baseline_mM: 0 },
      boundary: { type: 'neumann' },
      uptake: { k_ecs_per_ms },
      sources: [{ type: 'iontophoresis', position_um: at([0, 0, 0]), current_nA, transport_number, start_ms, duration_ms: pulse_ms }],
      probes: [{ name: 'r50', position_um: at(probe) }],
      duration_ms: 52_000,
    });
    const errors: number[] = [];
    for (const t of times_ms) {
      simulation.runTo(t);
      // Compared at the time the simulation actually reached (it may stop past t).
      const expected = constantSourceExcess_mM(source, probe, simulation.time_ms);
      errors.push(simulation.probeValues_mM()[0] / expected - 1);
    }
    console.log(`time accuracy, iontophoresis with k′ = 0.005/ms at ${times_ms.join(', ')} ms: ${show(errors)}`);
    for (const error of errors) expect(Math.abs(error)).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
  });
});

describe('periodic bolus releases', () => {
  // A bolus every 250 ms from 37.5 ms: release times that no fixed step of the run lands on by chance.
  const problem = {
    size: 21, spacing_um: 10, alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.96, amount_mol: 1e-15,
    time_ms: 37.5, period_ms: 250, duration_ms: 1000,
  };
  const centre = sourceIndex(problem);
  const probe: Triple = [3, 0, 0];
  const releases = [37.5, 287.5, 537.5, 787.5];
  const at = (offset: Triple) => offset.map((m) => voxelCentre_um(centre + m, problem.spacing_um)) as Triple;
  const config = {
    grid: { size: [problem.size, problem.size, problem.size], spacing_um: problem.spacing_um },
    tissue: { alpha: problem.alpha, lambda: problem.lambda },
    species: { D_um2_per_ms: problem.D_um2_per_ms },
    boundary: { type: 'neumann' },
    sources: [{
      type: 'bolus', position_um: at([0, 0, 0]), amount_mol: problem.amount_mol,
      time_ms: problem.time_ms, period_ms: problem.period_ms,
    }],
    probes: [{ name: 'r30', position_um: at(probe) }],
    duration_ms: problem.duration_ms,
  };
  const lattice: LatticeBolus = {
    alpha: problem.alpha, lambda: problem.lambda, D_um2_per_ms: problem.D_um2_per_ms, spacing_um: problem.spacing_um,
    amount_mol: problem.amount_mol, box: { size: [problem.size, problem.size, problem.size], source: [centre, centre, centre] },
  };
  /** Superposition of the lattice bolus solution over the releases before t. */
  const superposed_mM = (t: number) => releases.filter((r) => r < t).reduce((sum, r) => sum + bolusExcess_mM(lattice, probe, t - r), 0);
  const landsOn = (times: Float64Array, t: number) => times.some((sample) => Math.abs(sample - t) <= 1e-9 * t);

  it('the recorded series has a sample exactly at every release time (steps land on them)', async () => {
    const simulation = await Simulation.create(config);
    simulation.run();
    const { time_ms } = simulation.probeSeries();
    const missing = releases.filter((r) => !landsOn(time_ms, r));
    console.log(`time accuracy, periodic bolus: ${time_ms.length} samples; release times without a sample: ${missing.join(', ') || 'none'}`);
    expect(missing).toEqual([]);
  });

  it('the stored amount jumps by exactly one bolus at each release, and the probe follows the superposed lattice solution within 1e-3', async () => {
    const simulation = await Simulation.create(config);
    const jumps: number[] = [];
    const probeErrors: number[] = [];
    const midway = [releases[0] / 2, ...releases.map((r) => r + problem.period_ms / 2)];
    for (let r = 0; r <= releases.length; r++) {
      // Halfway between releases: r boluses in the sealed box, none taken up, and the probe on the
      // superposed curve. 125 ms after a release its response at 30 µm is near its peak (~196 ms),
      // so a release at the wrong time (e.g. at the start of the step around it) shows here.
      simulation.runTo(midway[r]);
      expect.soft(simulation.time_ms).toBeLessThan(r < releases.length ? releases[r] : Infinity);
      const before = simulation.ledger().stored_excess_mol;
      expect.soft(Math.abs(before - r * problem.amount_mol)).toBeLessThanOrEqual(1e-6 * problem.amount_mol);
      const excess = simulation.probeValues_mM()[0] - simulation.config.species.baseline_mM;
      if (r > 0) probeErrors.push(excess / superposed_mM(simulation.time_ms) - 1);
      if (r === releases.length) break;
      // Onto the release time exactly, then one step past it: the bolus is in, whichever side of
      // the release instant the state at t_r counts it on.
      simulation.runTo(releases[r]);
      expect.soft(Math.abs(simulation.time_ms - releases[r])).toBeLessThanOrEqual(1e-9 * releases[r]);
      simulation.step();
      expect.soft(simulation.time_ms).toBeGreaterThan(releases[r]);
      jumps.push((simulation.ledger().stored_excess_mol - before) / problem.amount_mol - 1);
    }
    console.log(`time accuracy, periodic bolus: jump − 1 per release ${show(jumps)}; probe vs superposition ${show(probeErrors)}`);
    expect(jumps).toHaveLength(releases.length);
    for (const jump of jumps) expect(Math.abs(jump)).toBeLessThanOrEqual(1e-6);
    for (const error of probeErrors) expect(Math.abs(error)).toBeLessThanOrEqual(DEFAULT_TOLERANCE);
  });
});

// The Simulation API: set up from {}, step, run to a time, read the field, probes, ledger and
// metrics; a field that goes bad stops the run with a message.
import { describe, expect, it } from 'vitest';
import { Simulation, SimulationError } from '../../src/core/simulation.js';
import { pointSourcePeak } from '../../src/core/analytic.js';

describe('Simulation', () => {
  it('runs the default config ({}: a K⁺ bolus in normal cortex) with probe peaks within 3% of theory', async () => {
    const simulation = await Simulation.create({});
    expect(simulation.kernelPath).toBe('uniform');
    simulation.run();
    expect(simulation.time_ms).toBeGreaterThanOrEqual(2000);
    expect(simulation.time_ms).toBeLessThan(2000 + simulation.dt_ms);
    const { probes } = simulation.metrics();
    expect(probes.map((probe) => probe.name)).toEqual(['r30', 'r50', 'r80']);
    // 4 µm voxels, Dirichlet walls 162 µm away: r = 50 and 80 µm lie ≥ 12 voxels out.
    for (const probe of probes.slice(1)) {
      const r = probe.position_um[0] - 162;
      const theory = pointSourcePeak({ alpha: 0.2, lambda: 1.6, D_um2_per_ms: 2.62 }, 2e-13, r);
      expect(Math.abs((probe.peak_mM - 3) / theory.peak_mM - 1)).toBeLessThan(0.03);
      expect(Math.abs(probe.t_peak_ms / theory.t_peak_ms - 1)).toBeLessThan(0.03);
    }
    const ledger = simulation.ledger();
    expect(ledger.released_mol).toBe(2e-13);
    expect(ledger.boundary_outflow_mol).toBeGreaterThan(0);
    expect(ledger.balance_relative_error).toBeLessThan(1e-6);
  });

  it('steps, runs to a time, and reads the field and the probes consistently', async () => {
    const simulation = await Simulation.create({
      grid: { size: [21, 21, 21], spacing_um: 5 },
      probes: [{ name: 'centre', position_um: [52.5, 52.5, 52.5] }],
      duration_ms: 100,
    });
    expect(simulation.steps).toBe(0);
    simulation.step(3);
    expect(simulation.steps).toBe(3);
    // Steps are chosen by the error control: the clock is where the third recorded sample is.
    expect(simulation.time_ms).toBeGreaterThan(0);
    expect(simulation.time_ms).toBe(simulation.probeSeries().time_ms[3]);
    const progress: number[] = [];
    simulation.runTo(50, (time) => progress.push(time));
    // The last step is shortened to land on the requested time.
    expect(simulation.time_ms).toBe(50);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // The probe sits on the centre voxel: it reads that voxel's concentration.
    const concentration = simulation.concentration_mM();
    expect(simulation.probeValues_mM()[0]).toBeCloseTo(concentration[10 + 21 * (10 + 21 * 10)], 5);
    expect(simulation.excessView_mM()[10 + 21 * (10 + 21 * 10)] + 3).toBeCloseTo(concentration[10 + 21 * (10 + 21 * 10)], 5);
    expect(simulation.valueAt_mM([52.5, 52.5, 52.5])).toBe(simulation.probeValues_mM()[0]);
    expect(() => simulation.valueAt_mM([200, 0, 0])).toThrow(/position_um\[0\] = 200: outside the grid/);
    const series = simulation.probeSeries();
    expect(series.time_ms.length).toBe(simulation.steps + 1);
    expect(series.values_mM[0][0]).toBe(3);
  });

  it('stops with a SimulationError that says when, if the field becomes NaN', async () => {
    const simulation = await Simulation.create({ grid: { size: [10, 10, 10], spacing_um: 5 }, probes: [] });
    simulation.step(1);
    simulation.excessView_mM()[123] = Number.NaN;
    expect(() => simulation.runTo(1000)).toThrow(SimulationError);
    expect(() => simulation.runTo(1000)).toThrow(/became NaN at t = .* ms/);
  });

  it('refuses runTo(Infinity), runTo(NaN) and a span over the step budget at once, and still runs after', async () => {
    const simulation = await Simulation.create({ grid: { size: [10, 10, 10], spacing_um: 5 }, probes: [], dt_ms: 0.01 });
    const started = performance.now();
    expect(() => simulation.runTo(Infinity)).toThrow(/runTo\(Infinity\): the time must be a finite number of ms/);
    expect(() => simulation.runTo(Number.NaN)).toThrow(SimulationError);
    // 1e6 ms at a fixed 0.01 ms is 10⁸ steps: ten times the budget.
    expect(() => simulation.runTo(1e6)).toThrow(/1\.0e\+8 steps, more than the 10 million a run may take/);
    expect(performance.now() - started).toBeLessThan(100);
    expect(simulation.steps).toBe(0);
    simulation.runTo(1);
    expect(simulation.time_ms).toBe(1);
    expect(simulation.steps).toBe(100);
  });

  it('refuses, before any step, a runTo whose glial buffering needs more than 10 million steps (1e11 S/m³ at tolerance 1e-6)', async () => {
    const simulation = await Simulation.create({ grid: { size: [9, 9, 9], spacing_um: 5 }, probes: [],
      uptake: { glia: { conductance_S_per_m3: 1e11 } }, accuracy: { relative_tolerance: 1e-6 } });
    expect(() => simulation.runTo(2000)).toThrow(/more than the 10 million a run may take/);
    expect(simulation.steps).toBe(0);
  });

  it('refuses options of the wrong kind with a ConfigError naming the option, and keeps its config frozen', async () => {
    const config = { grid: { size: [5, 5, 5], spacing_um: 5 }, probes: [], sources: [] };
    await expect(Simulation.create(config, { kernel: 'bogus' as never })).rejects.toThrow(
      'options.kernel = "bogus": must be one of "auto", "uniform", "heterogeneous", "reference"');
    await expect(Simulation.create(config, null as never)).rejects.toThrow('options = null: must be an object');
    await expect(Simulation.create(config, { module: {} as never })).rejects.toThrow('options.module = {}: must be a WebAssembly.Module');
    await expect(Simulation.create(config, { recordSeries: 'no' as never })).rejects.toThrow('options.recordSeries');
    await expect(Simulation.create(config, { schedule: { end_ms: [1, Number.NaN] } })).rejects.toThrow('options.schedule.end_ms');
    const simulation = await Simulation.create(config);
    // The kernel was sized by the config: changing it afterwards would reach outside its memory.
    expect(() => { (simulation.config.grid.size as number[])[0] = 1000; }).toThrow(TypeError);
    simulation.step(2);
    expect(simulation.steps).toBe(2);
  });

  it('thins a long probe series to its bound and reads the same metrics from it, to the last bit', async () => {
    // Three releases, three probes at different distances, 2000 fixed steps: peaks, half crossings
    // and the total excess's half and tenth all fall inside the run.
    const config = {
      grid: { size: [21, 21, 21], spacing_um: 5 }, duration_ms: 400, dt_ms: 0.2,
      sources: [{ type: 'bolus', position_um: [52.5, 52.5, 52.5], amount_mol: 1e-15, period_ms: 150 }], uptake: { k_ecs_per_ms: 0.04 },
      probes: [{ name: 'near', position_um: [57.5, 52.5, 52.5] }, { name: 'mid', position_um: [62.5, 52.5, 52.5] },
        { name: 'far', position_um: [67.5, 52.5, 52.5] }],
    };
    const full = await Simulation.create(config);
    const thinned = await Simulation.create(config, { maxSeriesSamples: 200 });
    full.run();
    thinned.run();
    expect(full.probeSeries().thinnings).toBe(0);
    expect(full.probeSeries().time_ms.length).toBe(full.steps + 1);
    expect(full.steps).toBeGreaterThanOrEqual(2000);
    expect(thinned.probeSeries().thinnings).toBeGreaterThan(3);
    expect(thinned.probeSeries().time_ms.length).toBeLessThanOrEqual(200);
    const metrics = full.metrics();
    expect(metrics.probes.every((probe) => probe.t_half_ms !== null)).toBe(true);
    expect(metrics.clearance.excess_tenth_time_ms).not.toBeNull();
    expect(thinned.metrics()).toEqual(metrics);
  });
});


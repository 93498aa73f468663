// Release schedules: a repeating bolus releases once per period, on time.
import { describe, expect, it } from 'vitest';
import { releasesDuring, sameTime } from '../../src/core/sources.js';
import { Simulation } from '../../src/core/simulation.js';

describe('sameTime', () => {
  it('treats times within 1e-9 relative as equal, and Infinity as equal to nothing finite', () => {
    expect(sameTime(50_000, 50_000 + 1e-6)).toBe(true);
    expect(sameTime(50_000, 50_000 + 1e-3)).toBe(false);
    // "No further event" (Infinity) must not look like "an event now": that once made every step
    // after a source switched off restart the error control at its smallest step.
    expect(sameTime(Infinity, 50_000)).toBe(false);
    expect(sameTime(50_000, Infinity)).toBe(false);
    expect(sameTime(Infinity, Infinity)).toBe(true);
  });
});

describe('releasesDuring', () => {
  it('counts a single release once, in the step that contains it', () => {
    expect(releasesDuring(0, 1, 0, 0)).toBe(1);
    expect(releasesDuring(1, 2, 0, 0)).toBe(0);
    expect(releasesDuring(4, 6, 5, 0)).toBe(1);
  });

  it('counts periodic releases at time + k·period in [t0, t1)', () => {
    expect(releasesDuring(0, 1, 0, 100)).toBe(1);
    expect(releasesDuring(1, 100, 0, 100)).toBe(0);
    expect(releasesDuring(99.9, 100.1, 0, 100)).toBe(1);
    expect(releasesDuring(0, 1000, 0, 100)).toBe(10);
    expect(releasesDuring(0, 50, 30, 100)).toBe(1);
    expect(releasesDuring(0, 30, 30, 100)).toBe(0);
  });

  it('releases on time whatever the size of the period (1e12 and 1e300 ms: the t = 0 release in the first step)', () => {
    for (const period of [1e12, 1e300, Number.MAX_VALUE]) {
      expect(releasesDuring(0, 0.1, 0, period)).toBe(1);
      expect(releasesDuring(0.1, 1000, 0, period)).toBe(0);
      expect(releasesDuring(0, 1, 5, period)).toBe(0);
      expect(releasesDuring(4, 6, 5, period)).toBe(1);
    }
    // Releases within round-off (1e-9 relative) of a step end belong to the step that starts there.
    expect(releasesDuring(0, 100 * (1 - 1e-12), 0, 100)).toBe(1);
    expect(releasesDuring(100 * (1 - 1e-12), 200, 0, 100)).toBe(1);
  });

  it('summed over consecutive steps, releases exactly once per period', () => {
    let total = 0;
    const dt = 2.345;
    for (let step = 0; step < 1000; step++) total += releasesDuring(step * dt, (step + 1) * dt, 10, 250);
    expect(total).toBe(Math.ceil((1000 * dt - 10) / 250));
  });
});

describe('a repeating bolus in a simulation', () => {
  it('releases amount × number of periods', async () => {
    const simulation = await Simulation.create({ grid: { size: [9, 9, 9], spacing_um: 5 }, probes: [],
      sources: [{ type: 'bolus', position_um: [22.5, 22.5, 22.5], amount_mol: 1e-15, period_ms: 100 }], duration_ms: 1000 });
    simulation.runTo(950);
    expect(simulation.ledger().released_mol / 1e-15).toBeCloseTo(10, 9);
  });

  it('with a period of 1e12 ms releases at t = 0 in the first step, and with 1e300 ms too', async () => {
    for (const period_ms of [1e12, 1e300]) {
      const simulation = await Simulation.create({ grid: { size: [9, 9, 9], spacing_um: 5 }, probes: [],
        sources: [{ type: 'bolus', position_um: [22.5, 22.5, 22.5], amount_mol: 1e-15, period_ms }], duration_ms: 100 });
      simulation.step(1);
      expect(simulation.ledger().released_mol).toBe(1e-15);
      simulation.runTo(100);
      expect(simulation.ledger().released_mol).toBe(1e-15);
    }
  });
});


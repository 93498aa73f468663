// The step-size control's rules, each against its formula.
import { describe, expect, it } from 'vitest';
import { fewestSteps, quantizeStep, reactionStepLimit_ms, StepControl, LOCAL_TOLERANCE_SHARE, MAX_STEPS } from '../../src/core/step-control.js';
import { resolveConfig } from '../../src/core/config.js';

describe('quantizeStep', () => {
  it('rounds down to the nearest 2^(k/8) ms, never up, and keeps those values', () => {
    for (const step of [1e-3, 0.0371, 0.5, 1, 1.3, 7.77, 1234.5]) {
      const rounded = quantizeStep(step);
      const k = Math.log2(rounded) * 8;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
      expect(rounded).toBeLessThanOrEqual(step * (1 + 1e-12));
      expect(rounded).toBeGreaterThan(step / 2 ** (1 / 8) * (1 - 1e-12));
      expect(quantizeStep(rounded)).toBe(rounded);
    }
  });

  it('maps a step and the same step one ulp away to the same value (engine-independent steps)', () => {
    for (const step of [0.0371, 7.77, 1234.5]) expect(quantizeStep(step * (1 + 2 ** -52))).toBe(quantizeStep(step));
  });
});

describe('the split reactions bound the step', () => {
  it('pump: k τ = tolerance^(1/3) for k = Vmax Km/(α (Km + C_rest)²); glia: k τ = tolerance^(1/2) for k = G/(α C_rest)', () => {
    const config = resolveConfig({ uptake: { pump: { vmax_mM_per_ms: 0.05, km_mM: 2 } } });
    const k = (0.05 * 2) / (0.2 * (2 + 3) ** 2);
    expect(reactionStepLimit_ms(config, 0) * k).toBeCloseTo(1e-3 ** (1 / 3), 12);
    expect(reactionStepLimit_ms(resolveConfig({}), 0.04) * (0.04 / (0.2 * 3))).toBeCloseTo(Math.sqrt(1e-3), 12);
    expect(reactionStepLimit_ms(resolveConfig({}), 0)).toBe(Infinity);
  });
});

describe('StepControl', () => {
  const config = resolveConfig({});
  it('allows an error of share × tolerance × τ/(time since the event), at least share × tolerance / 100', () => {
    const control = new StepControl('adaptive', 1, config, 0, null, 1);
    // 10 ms into the run, a 1 ms step: τ/T = 1/11.
    expect(control.errorRatio(LOCAL_TOLERANCE_SHARE * 1e-3 / 11, 10, 1)).toBeCloseTo(1, 12);
    // 1000 ms in, a 1 ms step: τ/T < 1/100, so the horizon's 1/100 applies.
    expect(control.errorRatio(LOCAL_TOLERANCE_SHARE * 1e-3 / 100, 1000, 1)).toBeCloseTo(1, 12);
  });

  it('rejects only with error control and a ratio above 1, and then shortens the proposal by (0.9/ratio)^(1/3), at most 5×', () => {
    const control = new StepControl('adaptive', 1, config, 0, null, 1);
    expect(control.rejects(0.5, 0.99)).toBe(false);
    expect(control.rejects(0.5, 8)).toBe(true);
    expect(control.proposal_ms).toBe(quantizeStep(0.5 * 0.9 * 8 ** (-1 / 3)));
    expect(control.rejects(0.5, 1e6)).toBe(true);
    expect(control.proposal_ms).toBe(quantizeStep(0.5 * 0.2));
    expect(new StepControl('fixed', 1, config, 0, 0.3, 1).rejects(0.3, 8)).toBe(false);
  });

  it('grows an accepted step by at most 2× and to at most half the time since the last event', () => {
    const control = new StepControl('adaptive', 1, config, 0, null, 1);
    control.accepted(1, 0, 100);
    expect(control.proposal_ms).toBe(quantizeStep(2));
    control.accepted(1, 0, 1.5);
    expect(control.proposal_ms).toBe(quantizeStep(0.75));
    control.restart(50);
    expect(control.proposal_ms).toBe(0.05);
  });
});

describe('fewestSteps (the step budget)', () => {
  it('is span / dt_ms for a fixed step, Infinity for a step that rounds to 0, and within the budget for the default run', () => {
    expect(fewestSteps(resolveConfig({ dt_ms: 0.5 }), 2000)).toBe(4000);
    expect(fewestSteps(resolveConfig({ dt_ms: 0.3 }), 1)).toBe(4);
    const tiny = { ...resolveConfig({}), dt_ms: 5e-324 };
    expect(fewestSteps(tiny, 2000)).toBe(Infinity);
    const defaults = resolveConfig({});
    expect(fewestSteps(defaults, defaults.duration_ms)).toBeGreaterThan(0);
    expect(fewestSteps(defaults, defaults.duration_ms)).toBeLessThan(MAX_STEPS / 1000);
  });

  it('under dt "auto" scales as spacing⁻²: a 10× finer grid needs 100× the fewest steps (where stability, not a reaction, limits it)', () => {
    const coarse = resolveConfig({ grid: { size: [9, 9, 9], spacing_um: 0.1 }, probes: [], sources: [] });
    const fine = resolveConfig({ grid: { size: [9, 9, 9], spacing_um: 0.01 }, probes: [], sources: [] });
    const ratio = fewestSteps(fine, 1e5) / fewestSteps(coarse, 1e5);
    expect(ratio).toBeGreaterThan(99);
    expect(ratio).toBeLessThan(101);
  });
});

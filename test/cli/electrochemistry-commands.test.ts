// `ecs-sim nernst` and `ecs-sim ghk`, run as subprocesses of the built CLI.
import { describe, expect, it } from 'vitest';
import { ecsSim } from '../helpers/cli.js';

describe('ecs-sim nernst', () => {
  it('prints E_K = −102.71 mV for 3/140 mM at 37 °C, and the same in JSON', async () => {
    const text = await ecsSim('nernst', '--ion', 'K', '--out-mM', '3', '--in-mM', '140');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('E_K = -102.71 mV');
    const json = JSON.parse((await ecsSim('nernst', '--ion', 'K', '--out-mM', '3', '--in-mM', '140', '--json')).stdout);
    expect(json.potential_mV).toBeCloseTo(-102.7, 1);
    expect(json.RT_over_F_mV).toBeCloseTo(26.73, 2);
  });

  it('halves the potential for Ca²⁺, follows the temperature, and applies Davies activities with --activity', async () => {
    const calcium = JSON.parse((await ecsSim('nernst', '--ion', 'Ca', '--out-mM', '2', '--in-mM', '0.0001', '--json')).stdout);
    const monovalent = JSON.parse((await ecsSim('nernst', '--ion', 'Ca', '--valence', '1', '--out-mM', '2', '--in-mM', '0.0001', '--json')).stdout);
    expect(calcium.potential_mV).toBeCloseTo(monovalent.potential_mV / 2, 9);
    const cold = JSON.parse((await ecsSim('nernst', '--ion', 'K', '--out-mM', '3', '--in-mM', '140', '--temp-C', '25', '--json')).stdout);
    expect(cold.potential_mV / -102.71).toBeCloseTo(298.15 / 310.15, 3);
    const activity = JSON.parse((await ecsSim('nernst', '--ion', 'K', '--out-mM', '3', '--in-mM', '140', '--activity',
      '--ionic-strength-in-mM', '300', '--json')).stdout);
    expect(activity.gamma_out).toBeCloseTo(0.75, 1);
    expect(activity.gamma_in).toBeLessThan(activity.gamma_out);
  });

  it('refuses an unknown ion, a missing concentration and a negative one with exit code 2', async () => {
    for (const args of [['--ion', 'Xy', '--out-mM', '3', '--in-mM', '1'], ['--ion', 'K', '--out-mM', '3'],
      ['--ion', 'K', '--out-mM', '-3', '--in-mM', '140']]) {
      const { code, stderr } = await ecsSim('nernst', ...args);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('ecs-sim ghk', () => {
  it('gives −71.5 mV for 1 : 0.05 : 0.45 with K 140/3, Na 15/145, Cl 7/120, with each ion’s driving force', async () => {
    const { code, stdout } = await ecsSim('ghk', '--ions', 'K:1:140:3,Na:0.05:15:145,Cl:0.45:7:120', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.potential_mV).toBeCloseTo(-71.5, 1);
    const potassium = result.ions.find((ion: { name: string }) => ion.name === 'K');
    expect(potassium.driving_force_mV).toBeCloseTo(result.potential_mV - potassium.reversal_mV, 9);
  });

  it('equals E_K with only K⁺ permeant, and handles a divalent ion by root finding', async () => {
    const potassiumOnly = JSON.parse((await ecsSim('ghk', '--ions', 'K:1:140:3,Na:0:15:145', '--json')).stdout);
    expect(potassiumOnly.potential_mV).toBeCloseTo(-102.71, 2);
    const withCalcium = JSON.parse((await ecsSim('ghk', '--ions', 'K:1:140:3,Ca:0.1:0.0001:2', '--json')).stdout);
    expect(withCalcium.potential_mV).toBeGreaterThan(-102.71);
    expect(withCalcium.potential_mV).toBeLessThan(0);
  });

  it('refuses a malformed ion list with exit code 2', async () => {
    for (const ions of ['K:1:140', 'K:x:140:3', 'Q:1:1:1', 'K:0:140:3']) {
      const { code } = await ecsSim('ghk', '--ions', ions);
      expect(code).toBe(2);
    }
  });
});

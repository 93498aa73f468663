// DESIGN.md §5 item 8 (the part the read-outs use now): Nernst potentials against textbook values.
import { describe, expect, it } from 'vitest';
import { nernst_mV, thermalVoltage_mV } from '../../src/core/electrochemistry.js';

describe('Nernst potential', () => {
  it('RT/F is 26.73 mV at 37 °C (61.5 mV per tenfold change)', () => {
    expect(thermalVoltage_mV(37)).toBeCloseTo(26.73, 2);
    expect(thermalVoltage_mV(37) * Math.LN10).toBeCloseTo(61.5, 1);
  });

  it('E_K is −102.7 mV at 3/140 mM and −70.5 mV at 10/140 mM (37 °C)', () => {
    expect(nernst_mV(3, 140, 1, 37)).toBeCloseTo(-102.7, 1);
    expect(nernst_mV(10, 140, 1, 37)).toBeCloseTo(-70.5, 1);
  });

  it('a divalent ion has half the potential of a monovalent one for the same ratio; an anion the opposite sign', () => {
    expect(nernst_mV(2, 0.0001, 2, 37)).toBeCloseTo(nernst_mV(2, 0.0001, 1, 37) / 2, 12);
    expect(nernst_mV(120, 7, -1, 37)).toBeCloseTo(-nernst_mV(120, 7, 1, 37), 12);
  });

  it('is zero for equal concentrations', () => {
    expect(nernst_mV(3, 3, 1, 37)).toBe(0);
  });
});

// Electrochemistry read-outs against textbook values. Every expected
// value is computed here from the physical constants, never from the module under test.
import { describe, expect, it } from 'vitest';
import {
  daviesActivityCoefficient,
  debyeHuckelA,
  donnanEquilibrium,
  drivingForce_mV,
  ghkCurrent_A_per_m2,
  ghkVoltage_mV,
  hendersonJunction_mV,
  ionicStrength_mM,
  type IonGradient,
  kcc2,
  nernst_mV,
  pumpCycleEnergetics,
  referenceNeuronRest_mV,
  thermalVoltage_mV,
  transferFreeEnergy_kJ_per_mol,
  twoIonReversal_mV,
} from '../../src/core/electrochemistry.js';

// Independent constants (CODATA 2018 exact values).
const F = 96485.33212; // C/mol
const R = 8.314462618; // J/(mol K)
const kelvin = (celsius: number) => celsius + 273.15;
/** RT in J/mol. */
const RT = (celsius = 37) => R * kelvin(celsius);
/** RT/F in mV. */
const rtf_mV = (celsius = 37) => (RT(celsius) / F) * 1000;

/** |actual − expected| ≤ tol · |expected| */
function expectRelative(actual: number, expected: number, tol: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}
/** |actual − expected| ≤ tol */
function expectAbsolute(actual: number, expected: number, tol: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

/** Textbook GHK current (A/m², outward positive), P in m/s, c in mM = mol/m³, V in mV; V ≠ 0. */
function textbookGhkCurrent(P: number, z: number, cIn: number, cOut: number, V_mV: number, celsius = 37) {
  const V = V_mV * 1e-3;
  const u = (z * F * V) / RT(celsius);
  // (c_in − c_out e^{−u})/(1 − e^{−u}) written with expm1 for accuracy at small u.
  return ((P * z * z * F * F * V) / RT(celsius)) * (cIn - cOut * Math.exp(-u)) / -Math.expm1(-u);
}

const ion = (name: string, valence: number, permeability: number, in_mM: number, out_mM: number): IonGradient =>
  ({ name, valence, permeability, in_mM, out_mM });

// Mammalian neuron (in/out, mM): K 140/3, Na 15/145, Cl 7/120; P_K : P_Na : P_Cl = 1 : 0.05 : 0.45.
const K = ion('K', 1, 1, 140, 3);
const Na = ion('Na', 1, 0.05, 15, 145);
const Cl = ion('Cl', -1, 0.45, 7, 120);

// ---------------------------------------------------------------------------------------------
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

  it('RT/F equals R·T/F from the constants at 37 °C (1e-12 relative) and 26.73 mV (±0.005 mV)', () => {
    expectRelative(thermalVoltage_mV(37), rtf_mV(37), 1e-12);
    expectAbsolute(thermalVoltage_mV(37), 26.73, 0.005);
    expectRelative(thermalVoltage_mV(25), rtf_mV(25), 1e-12);
  });

  it('defaults to body temperature (37 °C)', () => {
    expectRelative(thermalVoltage_mV(), rtf_mV(37), 1e-12);
    expectRelative(nernst_mV(3, 140, 1), rtf_mV(37) * Math.log(3 / 140), 1e-12);
  });

  it('E_K(3/140) = −102.7 mV (±0.05) and equals (RT/F) ln(3/140) (1e-9 mV)', () => {
    const expected = rtf_mV(37) * Math.log(3 / 140);
    expectAbsolute(nernst_mV(3, 140, 1, 37), expected, 1e-9);
    expectAbsolute(nernst_mV(3, 140, 1, 37), -102.7, 0.05);
  });

  it('E_K(10/140) = −70.5 mV (±0.05) and equals (RT/F) ln(10/140) (1e-9 mV)', () => {
    const expected = rtf_mV(37) * Math.log(10 / 140);
    expectAbsolute(nernst_mV(10, 140, 1, 37), expected, 1e-9);
    expectAbsolute(nernst_mV(10, 140, 1, 37), -70.5, 0.05);
  });

  it('divalent E is exactly half of monovalent for the same ratio: E_Ca(2 mM/100 nM) = (RT/2F) ln(2e4) ≈ +132 mV', () => {
    const expected = (rtf_mV(37) / 2) * Math.log(2 / 0.0001);
    expectAbsolute(nernst_mV(2, 0.0001, 2, 37), expected, 1e-9);
    expectAbsolute(nernst_mV(2, 0.0001, 2, 37), 132.3, 0.1);
    expectRelative(nernst_mV(2, 0.0001, 2, 37), 0.5 * nernst_mV(2, 0.0001, 1, 37), 1e-12);
  });

  it('E_Cl(7 in / 120 out) is (RT/−F) ln(120/7) ≈ −75.9 mV', () => {
    const expected = -rtf_mV(37) * Math.log(120 / 7);
    expectAbsolute(nernst_mV(120, 7, -1, 37), expected, 1e-9);
    expectAbsolute(nernst_mV(120, 7, -1, 37), -75.9, 0.05);
  });

  it('activities shift E by (RT/zF) ln(γo/γi) (γo 0.75, γi 0.61; mono- and divalent; 1e-9 mV)', () => {
    const gammaOut = 0.75, gammaIn = 0.61;
    for (const z of [1, 2, -1]) {
      const plain = nernst_mV(3, 140, z, 37);
      const withActivity = nernst_mV(3, 140, z, 37, gammaOut, gammaIn);
      const expectedShift = (rtf_mV(37) / z) * Math.log(gammaOut / gammaIn);
      expectAbsolute(withActivity - plain, expectedShift, 1e-9);
    }
    // For K⁺ the shift is +5.5 mV (the outside is relatively more active).
    expectAbsolute(nernst_mV(3, 140, 1, 37, gammaOut, gammaIn) - nernst_mV(3, 140, 1, 37), 5.52, 0.01);
    // Equal γ on both sides changes nothing.
    expectAbsolute(nernst_mV(3, 140, 1, 37, 0.75, 0.75), nernst_mV(3, 140, 1, 37), 1e-12);
  });

  it('scales with absolute temperature: E(25 °C)/E(37 °C) = 298.15/310.15 (1e-12 relative)', () => {
    expectRelative(nernst_mV(3, 140, 1, 25) / nernst_mV(3, 140, 1, 37), 298.15 / 310.15, 1e-12);
  });
});

// ---------------------------------------------------------------------------------------------
describe('activity coefficients (Davies) and ionic strength', () => {
  it('ionic strength of 150 mM NaCl is 150 mM and of 10 mM CaCl₂ is 30 mM (1e-12)', () => {
    expectAbsolute(ionicStrength_mM([[150, 1], [150, -1]]), 150, 1e-12);
    expectAbsolute(ionicStrength_mM([[10, 2], [20, -1]]), 30, 1e-12);
    expect(ionicStrength_mM([])).toBe(0);
  });

  it('Debye–Hückel A of water is 0.509 (±0.002) at 25 °C', () => {
    expectAbsolute(debyeHuckelA(25), 0.509, 0.002);
  });

  it('Debye–Hückel A of water is 0.52 (±0.005) at 37 °C and rises with temperature', () => {
    expectAbsolute(debyeHuckelA(37), 0.52, 0.005);
    expect(debyeHuckelA(37)).toBeGreaterThan(debyeHuckelA(25));
    expect(debyeHuckelA()).toBe(debyeHuckelA(37));
  });

  it('γ(K⁺) in 150 mM saline at 37 °C is 0.75 (±0.01; Lee & Fozzard measured 0.745)', () => {
    const gamma = daviesActivityCoefficient(1, 150, 37);
    expectAbsolute(gamma, 0.75, 0.01);
    expectAbsolute(gamma, 0.745, 0.015);
  });

  it('γ follows the Davies formula with the module\'s A (1e-12 relative)', () => {
    const A = debyeHuckelA(37);
    const I = 0.15;
    const expected = 10 ** (-A * (Math.sqrt(I) / (1 + Math.sqrt(I)) - 0.3 * I));
    expectRelative(daviesActivityCoefficient(1, 150, 37), expected, 1e-12);
  });

  it('divalent γ is the monovalent γ to the fourth power (log γ ∝ z²; 1e-12 relative)', () => {
    for (const I of [10, 50, 150, 300]) {
      const mono = daviesActivityCoefficient(1, I, 37);
      expectRelative(daviesActivityCoefficient(2, I, 37), mono ** 4, 1e-12);
      expectRelative(daviesActivityCoefficient(-1, I, 37), mono, 1e-12);
      expectRelative(daviesActivityCoefficient(3, I, 37), mono ** 9, 1e-12);
    }
  });

  it('γ → 1 as I → 0 (exactly 1 at I = 0) and follows the limiting law log₁₀γ ≈ −A z²√I (1 %)', () => {
    expect(daviesActivityCoefficient(1, 0, 37)).toBe(1);
    expect(daviesActivityCoefficient(2, 0, 37)).toBe(1);
    const I_M = 1e-6; // 1 µM = 0.001 mM
    const log10Gamma = Math.log10(daviesActivityCoefficient(1, 1e-3, 37));
    expectRelative(log10Gamma, -debyeHuckelA(37) * Math.sqrt(I_M), 0.01);
    expect(1 - daviesActivityCoefficient(1, 1e-3, 37)).toBeLessThan(2e-3);
  });

  it('γ < 1 and falls as I rises over the physiological range', () => {
    const values = [1, 10, 50, 100, 150, 300].map((I) => daviesActivityCoefficient(1, I, 37));
    for (const g of values) expect(g).toBeLessThan(1);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GHK voltage', () => {
  it('1 : 0.05 : 0.45 with K 140/3, Na 15/145, Cl 7/120 gives −71.5 mV (±0.1) and the closed form (1e-9 mV)', () => {
    const expected = rtf_mV(37) * Math.log((3 + 0.05 * 145 + 0.45 * 7) / (140 + 0.05 * 15 + 0.45 * 120));
    const V = ghkVoltage_mV([K, Na, Cl], 37);
    expectAbsolute(V, expected, 1e-9);
    expectAbsolute(V, -71.5, 0.1);
  });

  it('is independent of the order of the ions and of a common scale of the permeabilities (1e-9 mV)', () => {
    const scaled = [K, Na, Cl].map((i) => ({ ...i, permeability: i.permeability * 3.7e-7 }));
    expectAbsolute(ghkVoltage_mV([Cl, K, Na], 37), ghkVoltage_mV([K, Na, Cl], 37), 1e-9);
    expectAbsolute(ghkVoltage_mV(scaled, 37), rtf_mV(37) * Math.log((3 + 0.05 * 145 + 0.45 * 7) / (140 + 0.05 * 15 + 0.45 * 120)), 1e-9);
  });

  it('with only K⁺ permeant equals E_K (1e-9 mV)', () => {
    const ENa0 = ion('Na', 1, 0, 15, 145);
    const Cl0 = ion('Cl', -1, 0, 7, 120);
    const EK = rtf_mV(37) * Math.log(3 / 140);
    expectAbsolute(ghkVoltage_mV([K], 37), EK, 1e-9);
    expectAbsolute(ghkVoltage_mV([K, ENa0, Cl0], 37), EK, 1e-9);
  });

  it('with only Cl⁻ permeant equals E_Cl (inside/outside swapped for the anion; 1e-9 mV)', () => {
    expectAbsolute(ghkVoltage_mV([Cl], 37), -rtf_mV(37) * Math.log(120 / 7), 1e-9);
  });

  it('the divalent (root-finding) path agrees with the closed form when an impermeant Ca²⁺ is added (1e-6 mV)', () => {
    const Ca0 = ion('Ca', 2, 0, 0.0001, 2);
    const closed = rtf_mV(37) * Math.log((3 + 0.05 * 145 + 0.45 * 7) / (140 + 0.05 * 15 + 0.45 * 120));
    expectAbsolute(ghkVoltage_mV([K, Na, Cl, Ca0], 37), closed, 1e-6);
    expectAbsolute(ghkVoltage_mV([K, Ca0], 37), rtf_mV(37) * Math.log(3 / 140), 1e-6);
    // at 25 °C too
    expectAbsolute(ghkVoltage_mV([K, Na, Cl, Ca0], 25),
      rtf_mV(25) * Math.log((3 + 0.05 * 145 + 0.45 * 7) / (140 + 0.05 * 15 + 0.45 * 120)), 1e-6);
  });

  it('with only Ca²⁺ permeant equals E_Ca (root-finding path; 1e-6 mV)', () => {
    const Ca = ion('Ca', 2, 1, 0.0001, 2);
    expectAbsolute(ghkVoltage_mV([Ca], 37), (rtf_mV(37) / 2) * Math.log(2 / 0.0001), 1e-6);
  });

  it('with a permeant Ca²⁺ lies between E_K and E_Ca, and the summed GHK currents vanish there (1e-9 relative)', () => {
    const PK = 1e-8; // m/s
    const Kp = ion('K', 1, PK, 140, 3);
    const Ca = ion('Ca', 2, 0.05 * PK, 0.0001, 2);
    const V = ghkVoltage_mV([Kp, Ca], 37);
    const EK = rtf_mV(37) * Math.log(3 / 140);
    const ECa = (rtf_mV(37) / 2) * Math.log(2 / 0.0001);
    expect(V).toBeGreaterThan(EK + 1); // Ca²⁺ pulls it measurably away from E_K
    expect(V).toBeLessThan(ECa);
    // Currents from the textbook formula, not the module.
    const iK = textbookGhkCurrent(PK, 1, 140, 3, V);
    const iCa = textbookGhkCurrent(0.05 * PK, 2, 0.0001, 2, V);
    expect(iK).toBeGreaterThan(0);
    expect(iCa).toBeLessThan(0);
    expect(Math.abs(iK + iCa)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(iK), Math.abs(iCa)));
    // And with the module's own current function.
    const mK = ghkCurrent_A_per_m2(Kp, V, 37), mCa = ghkCurrent_A_per_m2(Ca, V, 37);
    expect(Math.abs(mK + mCa)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(mK), Math.abs(mCa)));
  });

  it('with a permeant Ca²⁺ moves toward E_Ca as P_Ca rises', () => {
    const vs = [0.001, 0.01, 0.1, 1, 10].map((p) => ghkVoltage_mV([K, ion('Ca', 2, p, 0.0001, 2)], 37));
    for (let i = 1; i < vs.length; i++) expect(vs[i]).toBeGreaterThan(vs[i - 1]);
    expect(vs[vs.length - 1]).toBeLessThan((rtf_mV(37) / 2) * Math.log(2 / 0.0001));
  });

  it('throws with no ions or no permeant ion', () => {
    expect(() => ghkVoltage_mV([], 37)).toThrow(RangeError);
    expect(() => ghkVoltage_mV([ion('K', 1, 0, 140, 3), ion('Na', 1, 0, 15, 145)], 37)).toThrow(RangeError);
    expect(() => ghkVoltage_mV([ion('K', 1, 0, 140, 3), ion('Ca', 2, 0, 0.0001, 2)], 37)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GHK current', () => {
  const P = 1e-8; // m/s

  it('is continuous through V = 0: at 0 and ±1e-9 mV it equals P z F (c_in − c_out) (1e-9 relative)', () => {
    for (const [z, cIn, cOut] of [[1, 140, 3], [-1, 7, 120], [2, 0.0001, 2]] as const) {
      const i = ion('x', z, P, cIn, cOut);
      const atZero = P * z * F * (cIn - cOut);
      for (const V of [0, 1e-9, -1e-9]) expectRelative(ghkCurrent_A_per_m2(i, V, 37), atZero, 1e-9);
    }
  });

  it('near V = 0 (±1e-6, ±3e-9 mV) it follows the Taylor expansion P z F [c_in B(−u) − c_out B(u)], B(x) ≈ 1 − x/2 + x²/12 (1e-12 relative)', () => {
    // The true current has slope P z F (c_in + c_out) u/2, so at 1e-6 mV it differs from the V = 0
    // value by ~2e-8 relative for K⁺ 140/3: compare to the series, not to the V = 0 value.
    for (const [z, cIn, cOut] of [[1, 140, 3], [-1, 7, 120], [2, 0.0001, 2]] as const) {
      const i = ion('x', z, P, cIn, cOut);
      for (const V of [1e-6, -1e-6, 3e-9, -3e-9, 2.6e-9, -2.6e-9]) {
        const u = (z * V) / rtf_mV(37);
        const B = (x: number) => 1 - x / 2 + (x * x) / 12;
        const expected = P * z * F * (cIn * B(-u) - cOut * B(u));
        expectRelative(ghkCurrent_A_per_m2(i, V, 37), expected, 1e-12);
      }
      // and stays within 1e-7 relative of the V = 0 value (continuity)
      expectRelative(ghkCurrent_A_per_m2(i, 1e-6, 37), P * z * F * (cIn - cOut), 1e-7);
      expectRelative(ghkCurrent_A_per_m2(i, -1e-6, 37), P * z * F * (cIn - cOut), 1e-7);
    }
  });

  it('matches the textbook form P z² F² V/RT · (c_in − c_out e^{−u})/(1 − e^{−u}) away from 0 (1e-12 relative)', () => {
    for (const [z, cIn, cOut] of [[1, 140, 3], [1, 15, 145], [-1, 7, 120], [2, 0.0001, 2]] as const) {
      for (const V of [-150, -70, -10, -0.5, 0.5, 30, 120]) {
        expectRelative(ghkCurrent_A_per_m2(ion('x', z, P, cIn, cOut), V, 37), textbookGhkCurrent(P, z, cIn, cOut, V), 1e-12);
      }
    }
  });

  it('is zero at the ion\'s Nernst potential (1e-12 of P|z|F c_in)', () => {
    for (const [z, cIn, cOut] of [[1, 140, 3], [1, 15, 145], [-1, 7, 120], [2, 0.0001, 2]] as const) {
      const E = (rtf_mV(37) / z) * Math.log(cOut / cIn);
      const scale = P * Math.abs(z) * F * Math.max(cIn, cOut);
      expect(Math.abs(ghkCurrent_A_per_m2(ion('x', z, P, cIn, cOut), E, 37))).toBeLessThanOrEqual(1e-12 * scale);
    }
  });

  it('for equal concentrations it is ohmic: I = P z² F² c V/RT (1e-12 relative)', () => {
    for (const z of [1, -1, 2]) {
      for (const V of [-150, -70, -1, 1, 40]) {
        const c = 50;
        const expected = (P * z * z * F * F * c * (V * 1e-3)) / RT(37);
        expectRelative(ghkCurrent_A_per_m2(ion('x', z, P, c, c), V, 37), expected, 1e-12);
      }
    }
  });

  it('sign: outward positive — K⁺ with c_in > c_out at V = 0 is outward; Cl⁻ with c_out > c_in at V = 0 is also outward current', () => {
    expect(ghkCurrent_A_per_m2(K, 0, 37)).toBeGreaterThan(0);
    expect(ghkCurrent_A_per_m2(Cl, 0, 37)).toBeGreaterThan(0);
    expect(ghkCurrent_A_per_m2(Na, 0, 37)).toBeLessThan(0);
    // K⁺ at −70 mV (above E_K = −102.7) flows out; below E_K it flows in.
    expect(ghkCurrent_A_per_m2(K, -70, 37)).toBeGreaterThan(0);
    expect(ghkCurrent_A_per_m2(K, -120, 37)).toBeLessThan(0);
  });

  it('increases monotonically with V', () => {
    let previous = -Infinity;
    for (let V = -200; V <= 200; V += 5) {
      const i = ghkCurrent_A_per_m2(K, V, 37);
      expect(i).toBeGreaterThan(previous);
      previous = i;
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('GABA-A reversal (Cl⁻ and HCO₃⁻)', () => {
  const clGaba = ion('Cl', -1, 1, 7, 120);
  const hco3 = ion('HCO3', -1, 0.2, 15, 25);

  it('equals (RT/F) ln((7 + 0.2·15)/(120 + 0.2·25)) ≈ −67.5 mV (1e-9 mV; ±0.1 mV)', () => {
    const expected = rtf_mV(37) * Math.log((7 + 0.2 * 15) / (120 + 0.2 * 25));
    const E = twoIonReversal_mV(clGaba, hco3, 37);
    expectAbsolute(E, expected, 1e-9);
    expectAbsolute(E, -67.5, 0.1);
  });

  it('is less negative than E_Cl (HCO₃⁻ efflux depolarises) and symmetric in argument order', () => {
    const E = twoIonReversal_mV(clGaba, hco3, 37);
    const ECl = -rtf_mV(37) * Math.log(120 / 7);
    expect(E).toBeGreaterThan(ECl + 5);
    expectAbsolute(twoIonReversal_mV(hco3, clGaba, 37), E, 1e-12);
  });
});

// ---------------------------------------------------------------------------------------------
describe('driving force', () => {
  it('is V − E', () => {
    expectAbsolute(drivingForce_mV(-70, -102.7), 32.7, 1e-12);
    expectAbsolute(drivingForce_mV(-70, 55), -125, 1e-12);
    expect(drivingForce_mV(-60, -60)).toBe(0);
  });

  it('has the sign of the GHK current of a cation (positive driving force → outward current)', () => {
    const EK = rtf_mV(37) * Math.log(3 / 140);
    for (const V of [-150, -110, -90, -70, 0, 30]) {
      expect(Math.sign(drivingForce_mV(V, EK))).toBe(Math.sign(ghkCurrent_A_per_m2(K, V, 37)));
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('transfer free energy', () => {
  it('is zero at electrochemical equilibrium: K⁺ from inside to outside at V = E_K (1e-12 kJ/mol)', () => {
    const EK = rtf_mV(37) * Math.log(3 / 140);
    expectAbsolute(transferFreeEnergy_kJ_per_mol(1, 140, 3, EK, 0, 37), 0, 1e-12);
    // also the reverse move, and Cl⁻ at E_Cl
    expectAbsolute(transferFreeEnergy_kJ_per_mol(1, 3, 140, 0, EK, 37), 0, 1e-12);
    const ECl = -rtf_mV(37) * Math.log(120 / 7);
    expectAbsolute(transferFreeEnergy_kJ_per_mol(-1, 7, 120, ECl, 0, 37), 0, 1e-12);
  });

  it('K⁺ leaving the cell at −70 mV: RT ln(3/140) + F·0.070 ≈ −3.16 kJ/mol (downhill; 1e-12 kJ/mol)', () => {
    const expected = (RT(37) * Math.log(3 / 140) + F * (0 - -0.070)) / 1000;
    const dG = transferFreeEnergy_kJ_per_mol(1, 140, 3, -70, 0, 37);
    expectAbsolute(dG, expected, 1e-12);
    expectAbsolute(dG, -3.16, 0.01);
    expect(dG).toBeLessThan(0);
  });

  it('Na⁺ entering at −70 mV is strongly downhill: RT ln(15/145) + F(−0.070) ≈ −12.6 kJ/mol', () => {
    const expected = (RT(37) * Math.log(15 / 145) + F * -0.070) / 1000;
    expectAbsolute(transferFreeEnergy_kJ_per_mol(1, 145, 15, 0, -70, 37), expected, 1e-12);
    expect(expected).toBeLessThan(-12);
  });

  it('the electrical term scales with valence: zFΔψ (equal concentrations, Δψ = +10 mV; 1e-12 kJ/mol)', () => {
    for (const z of [1, 2, -1, -2, 3]) {
      const expected = (z * F * 0.010) / 1000;
      expectAbsolute(transferFreeEnergy_kJ_per_mol(z, 5, 5, 0, 10, 37), expected, 1e-12);
    }
    expectAbsolute(transferFreeEnergy_kJ_per_mol(2, 5, 5, 0, 10, 37), 2 * transferFreeEnergy_kJ_per_mol(1, 5, 5, 0, 10, 37), 1e-12);
  });

  it('the chemical term does not depend on valence and scales with T (1e-12 kJ/mol)', () => {
    for (const z of [1, 2, -1]) {
      expectAbsolute(transferFreeEnergy_kJ_per_mol(z, 1, 10, 0, 0, 37), (RT(37) * Math.LN10) / 1000, 1e-12);
      expectAbsolute(transferFreeEnergy_kJ_per_mol(z, 1, 10, 0, 0, 25), (RT(25) * Math.LN10) / 1000, 1e-12);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('Na⁺/K⁺ pump cycle energetics (3 Na⁺ out, 2 K⁺ in)', () => {
  const c = { Na_in_mM: 15, Na_out_mM: 145, K_in_mM: 140, K_out_mM: 3 };
  /** Free energy (kJ/mol) of 3 Na⁺ in→out plus 2 K⁺ out→in at V (mV), from ΔG = RT ln(c₂/c₁) + zF(ψ₂ − ψ₁). */
  const ionsExpected = (V_mV: number, celsius = 37) => {
    const V = V_mV * 1e-3;
    const naOut = RT(celsius) * Math.log(145 / 15) + F * (0 - V);
    const kIn = RT(celsius) * Math.log(140 / 3) + F * (V - 0);
    return (3 * naOut + 2 * kIn) / 1000;
  };

  it('at −70 mV the ion moves need ≈ +44 kJ/mol (1e-9 kJ/mol of the formula; between 40 and 48)', () => {
    const result = pumpCycleEnergetics(c, -70, 37);
    expectAbsolute(result.ions_kJ_per_mol, ionsExpected(-70), 1e-9);
    expect(result.ions_kJ_per_mol).toBeGreaterThan(40);
    expect(result.ions_kJ_per_mol).toBeLessThan(48);
  });

  it('ATP (−57 kJ/mol) covers it: margin = ions + ATP < 0, so the pump runs forward', () => {
    const result = pumpCycleEnergetics(c, -70, 37);
    expect(result.atp_kJ_per_mol).toBe(-57);
    expectAbsolute(result.margin_kJ_per_mol, ionsExpected(-70) - 57, 1e-9);
    expect(result.margin_kJ_per_mol).toBeLessThan(0);
  });

  it('the reversal potential is ≈ −200 mV (±5) for ATP = −57 kJ/mol, from (3RT ln(145/15) + 2RT ln(140/3) + ΔG_ATP)/F (1e-9 mV)', () => {
    const expected = ((3 * RT(37) * Math.log(145 / 15) + 2 * RT(37) * Math.log(140 / 3) - 57000) / F) * 1000;
    const { reversal_mV } = pumpCycleEnergetics(c, -70, 37);
    expectAbsolute(reversal_mV, expected, 1e-9);
    expectAbsolute(reversal_mV, -200, 5);
  });

  it('at V = reversal the margin is 0 (1e-9 kJ/mol); more negative it stalls (> 0), less negative it runs (< 0)', () => {
    const { reversal_mV } = pumpCycleEnergetics(c, -70, 37);
    expectAbsolute(pumpCycleEnergetics(c, reversal_mV, 37).margin_kJ_per_mol, 0, 1e-9);
    expect(pumpCycleEnergetics(c, reversal_mV - 10, 37).margin_kJ_per_mol).toBeGreaterThan(0);
    expect(pumpCycleEnergetics(c, reversal_mV + 10, 37).margin_kJ_per_mol).toBeLessThan(0);
  });

  it('the reversal potential does not depend on V and follows a custom ATP value and temperature (1e-9)', () => {
    const atp = -50;
    const expected = ((3 * RT(25) * Math.log(145 / 15) + 2 * RT(25) * Math.log(140 / 3) + atp * 1000) / F) * 1000;
    for (const V of [-90, -70, 0, 20]) {
      const result = pumpCycleEnergetics(c, V, 25, atp);
      expectAbsolute(result.reversal_mV, expected, 1e-9);
      expectAbsolute(result.ions_kJ_per_mol, ionsExpected(V, 25), 1e-9);
    }
    expectAbsolute(pumpCycleEnergetics(c, expected, 25, atp).margin_kJ_per_mol, 0, 1e-9);
  });

  it('each +10 mV of depolarisation lowers the ion cost by F·10 mV (one net charge out per cycle; 1e-9 kJ/mol)', () => {
    const a = pumpCycleEnergetics(c, -80, 37).ions_kJ_per_mol;
    const b = pumpCycleEnergetics(c, -70, 37).ions_kJ_per_mol;
    expectAbsolute(a - b, (F * 0.010) / 1000, 1e-9);
  });
});

// ---------------------------------------------------------------------------------------------
describe('Donnan equilibrium', () => {
  const cases: [number, number, number][] = [[50, -1, 150], [20, -2, 150], [100, -1, 10], [1, -3, 300]];

  it('product rule cation·anion = bath² (1e-12 relative)', () => {
    for (const [a, z, bath] of cases) {
      const d = donnanEquilibrium(a, z, bath, 37);
      expectRelative(d.cation_mM * d.anion_mM, bath * bath, 1e-12);
    }
  });

  it('electroneutrality cation = anion + |z|·a (1e-12 relative)', () => {
    for (const [a, z, bath] of cases) {
      const d = donnanEquilibrium(a, z, bath, 37);
      expectRelative(d.cation_mM, d.anion_mM + Math.abs(z) * a, 1e-12);
    }
  });

  it('50 mM monovalent anion against 150 mM salt: cation = (50 + √(50² + 4·150²))/2 ≈ 177.1 mM (1e-12 relative)', () => {
    const d = donnanEquilibrium(50, -1, 150, 37);
    expectRelative(d.cation_mM, (50 + Math.sqrt(50 * 50 + 4 * 150 * 150)) / 2, 1e-12);
    expectAbsolute(d.cation_mM, 177.1, 0.1);
  });

  it('potential = (RT/F) ln(bath/cation), negative for a fixed anion, and equal to the anion\'s Nernst potential (1e-9 mV)', () => {
    for (const [a, z, bath] of cases) {
      const d = donnanEquilibrium(a, z, bath, 37);
      expectAbsolute(d.potential_mV, rtf_mV(37) * Math.log(bath / d.cation_mM), 1e-9);
      expectAbsolute(d.potential_mV, -rtf_mV(37) * Math.log(bath / d.anion_mM), 1e-9);
      expect(d.potential_mV).toBeLessThan(0);
    }
    // 50 mM in 150 mM: −4.43 mV
    expectAbsolute(donnanEquilibrium(50, -1, 150, 37).potential_mV, -4.43, 0.01);
  });

  it('Donnan ratio r = cation/bath = bath/anion (1e-12 relative), > 1', () => {
    for (const [a, z, bath] of cases) {
      const d = donnanEquilibrium(a, z, bath, 37);
      const r = d.cation_mM / bath;
      expectRelative(r, bath / d.anion_mM, 1e-12);
      expect(r).toBeGreaterThan(1);
    }
  });

  it('zero fixed charge: cation = anion = bath and 0 mV', () => {
    const d = donnanEquilibrium(0, -1, 150, 37);
    expectAbsolute(d.cation_mM, 150, 1e-12);
    expectAbsolute(d.anion_mM, 150, 1e-12);
    expectAbsolute(d.potential_mV, 0, 1e-12);
  });

  it('a larger fixed charge gives a more negative potential; a divalent anion counts twice (1e-12 relative)', () => {
    expect(donnanEquilibrium(100, -1, 150, 37).potential_mV).toBeLessThan(donnanEquilibrium(50, -1, 150, 37).potential_mV);
    const twice = donnanEquilibrium(25, -2, 150, 37), once = donnanEquilibrium(50, -1, 150, 37);
    expectRelative(twice.cation_mM, once.cation_mM, 1e-12);
  });
});

// ---------------------------------------------------------------------------------------------
describe('KCC2', () => {
  const base = { K_in_mM: 140, K_out_mM: 3, Cl_out_mM: 120 };

  it('equilibrium [Cl]i = [K]o[Cl]o/[K]i = 3·120/140 ≈ 2.57 mM (1e-12 relative)', () => {
    const { equilibrium_Cl_in_mM } = kcc2({ ...base, Cl_in_mM: 7 }, 37);
    expectRelative(equilibrium_Cl_in_mM, (3 * 120) / 140, 1e-12);
    expectAbsolute(equilibrium_Cl_in_mM, 2.57, 0.005);
  });

  it('outward free energy is 0 at the equilibrium [Cl]i (1e-12 kJ/mol) and E_Cl there equals E_K (1e-9 mV)', () => {
    const clEq = (3 * 120) / 140;
    expectAbsolute(kcc2({ ...base, Cl_in_mM: clEq }, 37).outward_kJ_per_mol, 0, 1e-12);
    const ECl = -rtf_mV(37) * Math.log(120 / clEq);
    const EK = rtf_mV(37) * Math.log(3 / 140);
    expectAbsolute(ECl, EK, 1e-9);
    expectAbsolute(nernst_mV(120, kcc2({ ...base, Cl_in_mM: 7 }, 37).equilibrium_Cl_in_mM, -1, 37), nernst_mV(3, 140, 1, 37), 1e-9);
  });

  it('with [Cl]i = 7 mM extrusion is downhill: RT ln(3·120/(140·7)) ≈ −2.58 kJ/mol (1e-12 kJ/mol)', () => {
    const expected = (RT(37) * Math.log((3 * 120) / (140 * 7))) / 1000;
    const { outward_kJ_per_mol } = kcc2({ ...base, Cl_in_mM: 7 }, 37);
    expectAbsolute(outward_kJ_per_mol, expected, 1e-12);
    expect(outward_kJ_per_mol).toBeLessThan(0);
    expectAbsolute(outward_kJ_per_mol, -2.58, 0.01);
  });

  it('equals the sum of the transfer free energies of K⁺ and Cl⁻ moving out (potential cancels; 1e-12 kJ/mol)', () => {
    const { outward_kJ_per_mol } = kcc2({ ...base, Cl_in_mM: 7 }, 37);
    const kOut = (RT(37) * Math.log(3 / 140) + F * (0 - -0.070)) / 1000;
    const clOut = (RT(37) * Math.log(120 / 7) - F * (0 - -0.070)) / 1000;
    expectAbsolute(outward_kJ_per_mol, kOut + clOut, 1e-12);
  });

  it('below the equilibrium [Cl]i (or with high [K]o) extrusion becomes uphill (> 0)', () => {
    expect(kcc2({ ...base, Cl_in_mM: 2 }, 37).outward_kJ_per_mol).toBeGreaterThan(0);
    expect(kcc2({ K_in_mM: 140, K_out_mM: 10, Cl_out_mM: 120, Cl_in_mM: 7 }, 37).outward_kJ_per_mol).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('liquid junction potential (Henderson)', () => {
  const D_Na = 1.33, D_K = 1.96, D_Cl = 2.03; // 10⁻⁹ m²/s at 25 °C
  const salt = (dPlus: number, dMinus: number, c1: number, c2: number) => [
    { valence: 1, diffusion: dPlus, side1_mM: c1, side2_mM: c2 },
    { valence: -1, diffusion: dMinus, side1_mM: c1, side2_mM: c2 },
  ];

  it('single 1:1 salt: −(RT/F)(D₊ − D₋)/(D₊ + D₋) ln(c₂/c₁); NaCl 100 | 10 mM at 25 °C ≈ −12.3 mV (1e-9 mV)', () => {
    const expected = -rtf_mV(25) * ((D_Na - D_Cl) / (D_Na + D_Cl)) * Math.log(10 / 100);
    const E = hendersonJunction_mV(salt(D_Na, D_Cl, 100, 10), 25);
    expectAbsolute(E, expected, 1e-9);
    expectAbsolute(E, -12.3, 0.1);
    expect(E).toBeLessThan(0); // the dilute side goes negative (Cl⁻ is faster)
  });

  it('swapping the two sides flips the sign (1e-12 mV)', () => {
    expectAbsolute(hendersonJunction_mV(salt(D_Na, D_Cl, 10, 100), 25), -hendersonJunction_mV(salt(D_Na, D_Cl, 100, 10), 25), 1e-12);
  });

  it('equal mobilities give 0 (1e-12 mV); KCl (nearly equal) gives ~0 (|E| < 1.5 mV, ≤ 1/10 of NaCl)', () => {
    expectAbsolute(hendersonJunction_mV(salt(2, 2, 100, 10), 25), 0, 1e-12);
    const kcl = hendersonJunction_mV(salt(D_K, D_Cl, 100, 10), 25);
    expectAbsolute(kcl, -rtf_mV(25) * ((D_K - D_Cl) / (D_K + D_Cl)) * Math.log(10 / 100), 1e-9);
    expect(Math.abs(kcl)).toBeLessThan(1.5);
    expect(Math.abs(kcl)).toBeLessThan(Math.abs(hendersonJunction_mV(salt(D_Na, D_Cl, 100, 10), 25)) / 10);
  });

  it('identical solutions give 0', () => {
    expect(hendersonJunction_mV(salt(D_Na, D_Cl, 150, 150), 25)).toBe(0);
    expect(hendersonJunction_mV([], 25)).toBe(0);
  });

  it('bi-ionic 150 NaCl | 150 KCl follows Lewis–Sargent: −(RT/F) ln((D_K + D_Cl)/(D_Na + D_Cl)) ≈ −4.4 mV (1e-9 mV)', () => {
    const ions = [
      { valence: 1, diffusion: D_Na, side1_mM: 150, side2_mM: 0 },
      { valence: 1, diffusion: D_K, side1_mM: 0, side2_mM: 150 },
      { valence: -1, diffusion: D_Cl, side1_mM: 150, side2_mM: 150 },
    ];
    const expected = -rtf_mV(25) * Math.log((D_K + D_Cl) / (D_Na + D_Cl));
    expectAbsolute(hendersonJunction_mV(ions, 25), expected, 1e-9);
    expectAbsolute(hendersonJunction_mV(ions, 25), -4.4, 0.1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('reference neuron resting potential', () => {
  /** GHK closed form for P 1 : 0.05 : 0.45, Na 15/145, Cl 7/120 (in/out). */
  const restExpected = (Ko: number, Ki: number, celsius = 37) =>
    rtf_mV(celsius) * Math.log((Ko + 0.05 * 145 + 0.45 * 7) / (Ki + 0.05 * 15 + 0.45 * 120));

  it('is −71.5 mV (±0.1) at [K]o 3, [K]i 140 and equals the GHK closed form (1e-9 mV)', () => {
    expectAbsolute(referenceNeuronRest_mV(3, 140, 37), restExpected(3, 140), 1e-9);
    expectAbsolute(referenceNeuronRest_mV(3, 140, 37), -71.5, 0.1);
    expectAbsolute(referenceNeuronRest_mV(3, 140), -71.5, 0.1);
  });

  it('rises (less negative) as [K]o rises, matching the closed form at every point (1e-9 mV)', () => {
    let previous = -Infinity;
    for (const Ko of [1, 2, 3, 4, 5, 7, 10, 12, 15, 20, 30, 50]) {
      const V = referenceNeuronRest_mV(Ko, 140, 37);
      expectAbsolute(V, restExpected(Ko, 140), 1e-9);
      expect(V).toBeGreaterThan(previous);
      previous = V;
    }
  });

  it('at [K]o = 10 mM it is the closed-form −60.3 mV (±0.1): depolarised by ≈ 11 mV, less than E_K moves (≈ 32 mV)', () => {
    const V10 = referenceNeuronRest_mV(10, 140, 37);
    expectAbsolute(V10, restExpected(10, 140), 1e-9);
    expectAbsolute(V10, -60.3, 0.1);
    const depolarisation = V10 - referenceNeuronRest_mV(3, 140, 37);
    const EKshift = nernst_mV(10, 140, 1, 37) - nernst_mV(3, 140, 1, 37);
    expect(depolarisation).toBeGreaterThan(10);
    expect(depolarisation).toBeLessThan(EKshift);
  });

  it('stays above (less negative than) E_K because of the Na⁺ and Cl⁻ leaks', () => {
    for (const Ko of [3, 10, 20]) expect(referenceNeuronRest_mV(Ko, 140, 37)).toBeGreaterThan(nernst_mV(Ko, 140, 1, 37));
  });
});

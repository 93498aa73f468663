// Electrochemistry of ion gradients: equilibrium and GHK potentials, currents,
// free energies, Donnan equilibrium, KCC2, liquid junction potentials. Concentrations in mM,
// potentials in mV (inside relative to outside for membranes), temperatures in °C.
import { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, ZERO_CELSIUS_K } from './units.js';

/** Body temperature, the default of every function here (°C). */
export const BODY_TEMPERATURE_C = 37;

/** An ion species on both sides of a membrane. permeability: relative or absolute (m/s for currents). */
export interface IonGradient {
  name: string;
  valence: number;
  permeability: number;
  in_mM: number;
  out_mM: number;
}

/** Charge numbers of common ions, for calculators that take an ion's name. */
export const VALENCE: Readonly<Record<string, number>> = {
  K: 1, Na: 1, Cl: -1, Ca: 2, Mg: 2, HCO3: -1, H: 1, Li: 1, Rb: 1, Cs: 1, TMA: 1, TEA: 1,
};

/** RT/F in mV (26.73 mV at 37 °C). */
export function thermalVoltage_mV(temperature_C = BODY_TEMPERATURE_C): number {
  return ((GAS_CONSTANT_J_PER_MOL_K * (temperature_C + ZERO_CELSIUS_K)) / FARADAY_C_PER_MOL) * 1000;
}

/** RT in J/mol. */
function rt_J_per_mol(temperature_C: number): number {
  return GAS_CONSTANT_J_PER_MOL_K * (temperature_C + ZERO_CELSIUS_K);
}

/**
 * Nernst potential E = (RT/zF) ln(a_out/a_in) in mV, with activities a = γ c (γ = 1 by default).
 * E_K(3/140 mM, 37 °C) = −102.7 mV.
 */
export function nernst_mV(
  out_mM: number, in_mM: number, valence: number, temperature_C = BODY_TEMPERATURE_C,
  gammaOut = 1, gammaIn = 1,
): number {
  return (thermalVoltage_mV(temperature_C) / valence) * Math.log((gammaOut * out_mM) / (gammaIn * in_mM));
}

/** Ionic strength I = ½ Σ c z² (mM) of a solution given as [concentration mM, valence] pairs. */
export function ionicStrength_mM(ions: readonly (readonly [number, number])[]): number {
  return 0.5 * ions.reduce((sum, [c, z]) => sum + c * z * z, 0);
}

/**
 * Debye–Hückel constant A (for log₁₀, (mol/L)^-½) of water at a temperature:
 * A = 1.8248e6 √ρ (εT)^-3/2, with the dielectric constant ε(t) of Malmberg & Maryott (1956) and the
 * density ρ(t) (g/cm³) of Thiesen's formula. 0.511 at 25 °C (textbooks: 0.509), 0.522 at 37 °C.
 */
export function debyeHuckelA(temperature_C = BODY_TEMPERATURE_C): number {
  const t = temperature_C;
  const epsilon = 87.74 - 0.40008 * t + 9.398e-4 * t * t - 1.41e-6 * t * t * t;
  const density = 1 - ((t + 288.9414) / (508929.2 * (t + 68.12963))) * (t - 3.9863) ** 2;
  return 1.8248e6 * Math.sqrt(density) * (epsilon * (t + ZERO_CELSIUS_K)) ** -1.5;
}

/**
 * Activity coefficient by the Davies equation, log₁₀γ = −A z² (√I/(1 + √I) − 0.3 I), I in mol/L.
 * Useful up to I ≈ 0.5 M; ≈ 0.75 for K⁺ in saline (I ≈ 0.15 M).
 */
export function daviesActivityCoefficient(valence: number, ionicStrength_mM: number, temperature_C = BODY_TEMPERATURE_C): number {
  const I = ionicStrength_mM / 1000;
  const root = Math.sqrt(I);
  return 10 ** (-debyeHuckelA(temperature_C) * valence * valence * (root / (1 + root) - 0.3 * I));
}

/** Driving force V − E (mV): positive means a cation current flows outward. */
export function drivingForce_mV(membrane_mV: number, reversal_mV: number): number {
  return membrane_mV - reversal_mV;
}

/** x / (eˣ − 1), with its limit 1 at x = 0 (the Bernoulli function). */
function bernoulli(x: number): number {
  return Math.abs(x) < 1e-10 ? 1 - x / 2 : x / Math.expm1(x);
}

/**
 * GHK current density (A/m², outward positive) of one ion at membrane potential V (mV):
 * I = P z F [c_in B(−u) − c_out B(u)], u = zFV/RT, B(x) = x/(eˣ − 1). This equals the textbook
 * P z² F² V/RT · (c_in − c_out e^{−u})/(1 − e^{−u}) and is continuous through V = 0, where it is
 * P z F (c_in − c_out). P in m/s, concentrations in mM (= mol/m³).
 */
export function ghkCurrent_A_per_m2(ion: IonGradient, membrane_mV: number, temperature_C = BODY_TEMPERATURE_C): number {
  const u = (ion.valence * membrane_mV) / thermalVoltage_mV(temperature_C);
  return ion.permeability * ion.valence * FARADAY_C_PER_MOL * (ion.in_mM * bernoulli(-u) - ion.out_mM * bernoulli(u));
}

/**
 * GHK voltage (mV): the membrane potential at which the GHK currents of all ions sum to zero.
 * Monovalent ions only: the closed form (RT/F) ln((Σ P_cation c_out + Σ P_anion c_in)/(Σ P_cation c_in + Σ P_anion c_out));
 * with any other valence: the root of the summed currents, found by bisection to 1e-9 mV.
 * 1 : 0.05 : 0.45 for K 140/3, Na 15/145, Cl 7/120 mM gives −71.5 mV at 37 °C.
 */
export function ghkVoltage_mV(ions: readonly IonGradient[], temperature_C = BODY_TEMPERATURE_C): number {
  if (ions.length === 0 || ions.every((ion) => ion.permeability === 0)) throw new RangeError('GHK voltage needs at least one permeant ion');
  if (ions.every((ion) => Math.abs(ion.valence) === 1)) {
    let numerator = 0, denominator = 0;
    for (const ion of ions) {
      numerator += ion.permeability * (ion.valence > 0 ? ion.out_mM : ion.in_mM);
      denominator += ion.permeability * (ion.valence > 0 ? ion.in_mM : ion.out_mM);
    }
    return thermalVoltage_mV(temperature_C) * Math.log(numerator / denominator);
  }
  const total = (v: number) => ions.reduce((sum, ion) => sum + ghkCurrent_A_per_m2(ion, v, temperature_C), 0);
  // The summed current increases with V; bracket its zero and bisect.
  let low = -100, high = 100;
  while (total(low) > 0) low *= 2;
  while (total(high) < 0) high *= 2;
  for (let iteration = 0; iteration < 200 && high - low > 1e-9; iteration++) {
    const middle = (low + high) / 2;
    if (total(middle) > 0) high = middle; else low = middle;
  }
  return (low + high) / 2;
}

/**
 * Reversal potential (mV) of a channel permeable to two ions, e.g. GABA-A with Cl⁻ and HCO₃⁻
 * (P_HCO3/P_Cl ≈ 0.2): the GHK voltage of just those two.
 */
export function twoIonReversal_mV(first: IonGradient, second: IonGradient, temperature_C = BODY_TEMPERATURE_C): number {
  return ghkVoltage_mV([first, second], temperature_C);
}

/**
 * Free energy (kJ/mol) of moving one mole of an ion from side 1 to side 2:
 * ΔG = RT ln(c₂/c₁) + zF(ψ₂ − ψ₁). Negative: the move is downhill.
 */
export function transferFreeEnergy_kJ_per_mol(
  valence: number, from_mM: number, to_mM: number, from_mV: number, to_mV: number, temperature_C = BODY_TEMPERATURE_C,
): number {
  return (rt_J_per_mol(temperature_C) * Math.log(to_mM / from_mM)
    + valence * FARADAY_C_PER_MOL * (to_mV - from_mV) * 1e-3) / 1000;
}

/** Free energy of ATP hydrolysis in cells, a typical value (kJ/mol); −50 to −60 depending on conditions. */
export const ATP_HYDROLYSIS_KJ_PER_MOL = -57;

/**
 * Energetics of one Na⁺/K⁺-pump cycle (3 Na⁺ out, 2 K⁺ in) at membrane potential V (mV):
 * the free energy the ion moves need (kJ/mol), what ATP supplies, the margin (negative: the pump can
 * run forward), and the pump's reversal potential, where the cycle is at equilibrium.
 */
export function pumpCycleEnergetics(
  concentrations: { Na_in_mM: number; Na_out_mM: number; K_in_mM: number; K_out_mM: number },
  membrane_mV: number, temperature_C = BODY_TEMPERATURE_C, atp_kJ_per_mol = ATP_HYDROLYSIS_KJ_PER_MOL,
) {
  const { Na_in_mM, Na_out_mM, K_in_mM, K_out_mM } = concentrations;
  const sodiumOut = transferFreeEnergy_kJ_per_mol(1, Na_in_mM, Na_out_mM, membrane_mV, 0, temperature_C);
  const potassiumIn = transferFreeEnergy_kJ_per_mol(1, K_out_mM, K_in_mM, 0, membrane_mV, temperature_C);
  const ions_kJ_per_mol = 3 * sodiumOut + 2 * potassiumIn;
  // The cycle moves one net charge outward, so its ion term changes by −F·V: solve for zero margin.
  const chemical_kJ_per_mol = ions_kJ_per_mol + (FARADAY_C_PER_MOL * membrane_mV * 1e-3) / 1000;
  return {
    ions_kJ_per_mol,
    atp_kJ_per_mol,
    margin_kJ_per_mol: ions_kJ_per_mol + atp_kJ_per_mol,
    reversal_mV: ((chemical_kJ_per_mol + atp_kJ_per_mol) * 1000) / FARADAY_C_PER_MOL * 1e3,
  };
}

/**
 * Donnan equilibrium of a compartment holding an impermeant anion (charge z_A < 0, a mM) against a
 * bath of a 1:1 salt (K⁺ and Cl⁻ both permeant, c mM): [K]₁[Cl]₁ = [K]₂[Cl]₂ = c² and
 * [K]₁ = [Cl]₁ + |z_A| a. Returns both concentrations in the compartment and its potential
 * against the bath (mV).
 */
export function donnanEquilibrium(
  impermeant_mM: number, impermeantValence: number, bathSalt_mM: number, temperature_C = BODY_TEMPERATURE_C,
) {
  const fixedCharge = Math.abs(impermeantValence) * impermeant_mM;
  const cation_mM = (fixedCharge + Math.sqrt(fixedCharge * fixedCharge + 4 * bathSalt_mM * bathSalt_mM)) / 2;
  const anion_mM = (bathSalt_mM * bathSalt_mM) / cation_mM;
  return { cation_mM, anion_mM, potential_mV: thermalVoltage_mV(temperature_C) * Math.log(bathSalt_mM / cation_mM) };
}

/**
 * KCC2 (K⁺–Cl⁻ cotransport, electroneutral): free energy of moving one K⁺ and one Cl⁻ out
 * (kJ/mol; negative: the transporter extrudes Cl⁻), and the intracellular Cl⁻ at which it is at
 * equilibrium, [K]o[Cl]o = [K]i[Cl]i, i.e. E_Cl = E_K.
 */
export function kcc2(
  concentrations: { K_in_mM: number; K_out_mM: number; Cl_in_mM: number; Cl_out_mM: number }, temperature_C = BODY_TEMPERATURE_C,
) {
  const { K_in_mM, K_out_mM, Cl_in_mM, Cl_out_mM } = concentrations;
  return {
    outward_kJ_per_mol: (rt_J_per_mol(temperature_C) * Math.log((K_out_mM * Cl_out_mM) / (K_in_mM * Cl_in_mM))) / 1000,
    equilibrium_Cl_in_mM: (K_out_mM * Cl_out_mM) / K_in_mM,
  };
}

/** An ion of a liquid junction: valence, diffusion coefficient (any common unit), concentrations on both sides (mM). */
export interface JunctionIon {
  valence: number;
  diffusion: number;
  side1_mM: number;
  side2_mM: number;
}

/**
 * Liquid junction potential ψ₂ − ψ₁ (mV) by the Henderson equation (linear mixing in the junction):
 * −(RT/F) · Σ z D Δc / Σ z² D Δc · ln(Σ z² D c₂ / Σ z² D c₁). For a single 1:1 salt it reduces to
 * −(RT/F) (D₊ − D₋)/(D₊ + D₋) ln(c₂/c₁).
 */
export function hendersonJunction_mV(ions: readonly JunctionIon[], temperature_C = BODY_TEMPERATURE_C): number {
  let chargeFlux = 0, conductanceChange = 0, conductance1 = 0, conductance2 = 0;
  for (const ion of ions) {
    const change = ion.side2_mM - ion.side1_mM;
    chargeFlux += ion.valence * ion.diffusion * change;
    conductanceChange += ion.valence ** 2 * ion.diffusion * change;
    conductance1 += ion.valence ** 2 * ion.diffusion * ion.side1_mM;
    conductance2 += ion.valence ** 2 * ion.diffusion * ion.side2_mM;
  }
  if (conductanceChange === 0) return 0;
  return -thermalVoltage_mV(temperature_C) * (chargeFlux / conductanceChange) * Math.log(conductance2 / conductance1);
}

/**
 * The reference neuron of the read-outs: P_K : P_Na : P_Cl = 1 : 0.05 : 0.45 with Na 15/145 and
 * Cl 7/120 mM (in/out); [K]i from the config. Its resting GHK potential follows [K]o.
 */
export function referenceNeuronRest_mV(K_out_mM: number, K_in_mM: number, temperature_C = BODY_TEMPERATURE_C): number {
  return ghkVoltage_mV([
    { name: 'K', valence: 1, permeability: 1, in_mM: K_in_mM, out_mM: K_out_mM },
    { name: 'Na', valence: 1, permeability: 0.05, in_mM: 15, out_mM: 145 },
    { name: 'Cl', valence: -1, permeability: 0.45, in_mM: 7, out_mM: 120 },
  ], temperature_C);
}

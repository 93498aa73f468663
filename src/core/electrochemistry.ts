// Electrochemistry of the read-outs (DESIGN.md §1.3).
import { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, ZERO_CELSIUS_K } from './units.js';

/** RT/F in mV at a temperature in °C (26.73 mV at 37 °C). */
export function thermalVoltage_mV(temperature_C: number): number {
  return ((GAS_CONSTANT_J_PER_MOL_K * (temperature_C + ZERO_CELSIUS_K)) / FARADAY_C_PER_MOL) * 1000;
}

/**
 * Nernst potential E = (RT/zF) ln(c_out/c_in) in mV, for concentrations (or activities) in mM,
 * valence z ≠ 0 and temperature in °C. E_K(3/140 mM, 37 °C) = −102.7 mV.
 */
export function nernst_mV(out_mM: number, in_mM: number, valence: number, temperature_C: number): number {
  return (thermalVoltage_mV(temperature_C) / valence) * Math.log(out_mM / in_mM);
}

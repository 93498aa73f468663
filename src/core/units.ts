// Physical constants and unit conversions used across the host. The kernel never sees units.

/** Faraday constant, C/mol (CODATA 2018, exact). */
export const FARADAY_C_PER_MOL = 96485.33212;
/** Molar gas constant, J/(mol·K) (CODATA 2018, exact). */
export const GAS_CONSTANT_J_PER_MOL_K = 8.314462618;
/** 0 °C in kelvin. */
export const ZERO_CELSIUS_K = 273.15;
/** Avogadro constant, 1/mol (CODATA 2018, exact). */
export const AVOGADRO_PER_MOL = 6.02214076e23;
/** Amount in one µm³ of a 1 mM solution: 1 mmol/L = 1e-3 mol / 1e15 µm³ = 1e-18 mol/µm³. */
export const MOL_PER_UM3_PER_MM = 1e-18;

/** Converts an amount (mol) spread over a volume (µm³) to a concentration (mM). */
export function molToMillimolar(amount_mol: number, volume_um3: number): number {
  return amount_mol / (volume_um3 * MOL_PER_UM3_PER_MM);
}

/**
 * Release rate of an iontophoretic source, Q = n·I/(|z|·F), in mol/ms.
 * current_nA: ejection current (nA); transportNumber: n, dimensionless in (0, 1]; valence: z.
 */
export function iontophoresisRate_mol_per_ms(current_nA: number, transportNumber: number, valence: number): number {
  return (transportNumber * current_nA * 1e-9) / (Math.abs(valence) * FARADAY_C_PER_MOL) * 1e-3;
}

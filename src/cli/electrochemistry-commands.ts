// `ecs-sim nernst` and `ecs-sim ghk`: the electrochemistry calculators.
import {
  VALENCE, daviesActivityCoefficient, ghkVoltage_mV, nernst_mV, thermalVoltage_mV, type IonGradient,
} from '../core/electrochemistry.js';
import { parseCommand, parseNumber, UsageError } from './options.js';

export const NERNST_USAGE = `usage: ecs-sim nernst --ion K --out-mM 3 --in-mM 140 [--temp-C 37] [--valence Z]
         [--activity [--ionic-strength-out-mM 150] [--ionic-strength-in-mM 150]] [--json]
  Equilibrium potential (mV, inside relative to outside). --activity uses Davies activity coefficients.`;

export const GHK_USAGE = `usage: ecs-sim ghk --ions "K:1:140:3,Na:0.05:15:145,Cl:0.45:7:120" [--temp-C 37] [--json]
  Resting potential (mV) of a membrane permeable to the listed ions, name:permeability:in_mM:out_mM.`;

function temperature(text: string | undefined): number {
  const value = text === undefined ? 37 : parseNumber(text, '--temp-C', '°C');
  if (value < -20 || value > 100) throw new UsageError(`--temp-C = ${value}: must be ≥ -20 and ≤ 100 (°C)`);
  return value;
}

function concentration(text: string, flag: string): number {
  const value = parseNumber(text, flag, 'mM');
  if (!(value > 0)) throw new UsageError(`${flag} = ${value}: must be > 0 (mM)`);
  return value;
}

function valenceOf(name: string, override: string | undefined): number {
  if (override !== undefined) {
    const z = parseNumber(override, '--valence', 'charge number');
    if (!Number.isInteger(z) || z === 0) throw new UsageError(`--valence = ${override}: must be a non-zero whole number (charge number)`);
    return z;
  }
  const z = VALENCE[name];
  if (z === undefined) {
    throw new UsageError(`--ion = "${name}": unknown ion; known: ${Object.keys(VALENCE).join(', ')} (or give --valence)`);
  }
  return z;
}

export function nernstCommand(args: string[]): number {
  const line = parseCommand(args, {
    ion: { type: 'string' }, 'out-mM': { type: 'string' }, 'in-mM': { type: 'string' }, 'temp-C': { type: 'string' },
    valence: { type: 'string' }, activity: { type: 'boolean' }, 'ionic-strength-out-mM': { type: 'string' },
    'ionic-strength-in-mM': { type: 'string' }, json: { type: 'boolean' },
  });
  if (line.flag('help')) {
    console.log(NERNST_USAGE);
    return 0;
  }
  const ion = line.required('ion');
  const valence = valenceOf(ion, line.text('valence'));
  const out_mM = concentration(line.required('out-mM'), '--out-mM');
  const in_mM = concentration(line.required('in-mM'), '--in-mM');
  const temperature_C = temperature(line.text('temp-C'));
  const strength = (flag: string) => {
    const text = line.text(flag);
    const value = text === undefined ? 150 : parseNumber(text, `--${flag}`, 'mM');
    if (!(value >= 0 && value <= 1000)) throw new UsageError(`--${flag} = ${value}: must be ≥ 0 and ≤ 1000 (mM)`);
    return value;
  };
  const gammaOut = line.flag('activity') ? daviesActivityCoefficient(valence, strength('ionic-strength-out-mM'), temperature_C) : 1;
  const gammaIn = line.flag('activity') ? daviesActivityCoefficient(valence, strength('ionic-strength-in-mM'), temperature_C) : 1;
  const potential_mV = nernst_mV(out_mM, in_mM, valence, temperature_C, gammaOut, gammaIn);
  const result = { ion, valence, out_mM, in_mM, temperature_C, gamma_out: gammaOut, gamma_in: gammaIn, potential_mV,
    RT_over_F_mV: thermalVoltage_mV(temperature_C) };
  if (line.flag('json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`E_${ion} = ${potential_mV.toFixed(2)} mV  (${out_mM} mM out / ${in_mM} mM in, z = ${valence}, ${temperature_C} °C` +
      `${line.flag('activity') ? `, activity coefficients ${gammaOut.toFixed(3)} out / ${gammaIn.toFixed(3)} in (Davies)` : ''})`);
  }
  return 0;
}

/** Parses "name:permeability:in:out,…". */
export function parseIons(text: string): IonGradient[] {
  return text.split(',').map((entry) => {
    const parts = entry.trim().split(':');
    if (parts.length !== 4) throw new UsageError(`--ions: "${entry}" must be name:permeability:in_mM:out_mM`);
    const [name, permeability, inside, outside] = parts;
    const ion: IonGradient = {
      name, valence: valenceOf(name, undefined),
      permeability: parseNumber(permeability, `--ions ${name} permeability`, 'relative'),
      in_mM: concentration(inside, `--ions ${name} in`), out_mM: concentration(outside, `--ions ${name} out`),
    };
    if (ion.permeability < 0) throw new UsageError(`--ions ${name} permeability = ${ion.permeability}: must be ≥ 0 (relative)`);
    return ion;
  });
}

export function ghkCommand(args: string[]): number {
  const line = parseCommand(args, { ions: { type: 'string' }, 'temp-C': { type: 'string' }, json: { type: 'boolean' } });
  if (line.flag('help')) {
    console.log(GHK_USAGE);
    return 0;
  }
  const ions = parseIons(line.required('ions'));
  if (ions.every((ion) => ion.permeability === 0)) throw new UsageError('--ions: at least one ion needs a permeability > 0');
  const temperature_C = temperature(line.text('temp-C'));
  const potential_mV = ghkVoltage_mV(ions, temperature_C);
  const perIon = ions.map((ion) => {
    const reversal_mV = nernst_mV(ion.out_mM, ion.in_mM, ion.valence, temperature_C);
    return { ...ion, reversal_mV, driving_force_mV: potential_mV - reversal_mV };
  });
  if (line.flag('json')) console.log(JSON.stringify({ potential_mV, temperature_C, ions: perIon }, null, 2));
  else {
    console.log(`V_GHK = ${potential_mV.toFixed(2)} mV at ${temperature_C} °C`);
    for (const ion of perIon) {
      console.log(`  ${ion.name.padEnd(5)} P ${String(ion.permeability).padEnd(6)} E = ${ion.reversal_mV.toFixed(1).padStart(7)} mV,` +
        ` V − E = ${ion.driving_force_mV.toFixed(1).padStart(7)} mV`);
    }
  }
  return 0;
}

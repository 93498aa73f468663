// `ecs-sim fit`: α, λ and k′ from a measured RTI curve (or n and D in agarose mode).
import { readFileSync } from 'node:fs';
import { CurveError, fitAgarose, fitRti, parseCurveCsv, type RtiExperiment } from '../core/fit.js';
import { parseCommand, parseNumber, UsageError } from './options.js';

export const FIT_USAGE = `usage: ecs-sim fit curve.csv --r-um R --current-nA I --transport-number n --D-um2-per-ms D
         [--pulse-start-ms T0] [--pulse-ms T] [--baseline-mM B] [--agarose] [--json]
  curve.csv: columns t_ms,c_mM. Fits α, λ and k′ (with standard errors and 95% intervals); the baseline
  is the mean before the pulse unless given. --agarose: α = λ = 1, fits the transport number and D.`;

function positive(line: ReturnType<typeof parseCommand>, flag: string, unit: string, required: boolean): number | undefined {
  const text = required ? line.required(flag) : line.text(flag);
  if (text === undefined) return undefined;
  const value = parseNumber(text, `--${flag}`, unit);
  if (!(value > 0)) throw new UsageError(`--${flag} = ${value}: must be > 0 (${unit})`);
  return value;
}

export function fitCommand(args: string[]): number {
  const line = parseCommand(args, {
    'r-um': { type: 'string' }, 'current-nA': { type: 'string' }, 'transport-number': { type: 'string' },
    'D-um2-per-ms': { type: 'string' }, 'pulse-start-ms': { type: 'string' }, 'pulse-ms': { type: 'string' },
    'baseline-mM': { type: 'string' }, agarose: { type: 'boolean' }, json: { type: 'boolean' },
  });
  if (line.flag('help')) {
    console.log(FIT_USAGE);
    return 0;
  }
  if (line.positionals.length !== 1) throw new UsageError('expected one curve file (CSV with columns t_ms,c_mM)');
  const path = line.positionals[0];
  const transportNumber = positive(line, 'transport-number', 'dimensionless', true)!;
  if (transportNumber > 1) throw new UsageError(`--transport-number = ${transportNumber}: must be > 0 and ≤ 1 (dimensionless)`);
  const startText = line.text('pulse-start-ms'), baselineText = line.text('baseline-mM');
  const experiment: RtiExperiment = {
    r_um: positive(line, 'r-um', 'µm', true)!,
    current_nA: positive(line, 'current-nA', 'nA', true)!,
    transport_number: transportNumber,
    D_um2_per_ms: positive(line, 'D-um2-per-ms', 'µm²/ms', true)!,
    pulse_start_ms: startText === undefined ? 0 : parseNumber(startText, '--pulse-start-ms', 'ms'),
    pulse_ms: positive(line, 'pulse-ms', 'ms', false),
    baseline_mM: baselineText === undefined ? undefined : parseNumber(baselineText, '--baseline-mM', 'mM'),
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const { time_ms: time, c_mM: value } = parseCurveCsv(text);
    if (line.flag('agarose')) {
      const fit = fitAgarose(time, value, experiment);
      if (line.flag('json')) console.log(JSON.stringify(fit, null, 2));
      else {
        console.log(`agarose calibration (α = λ = 1): n = ${fit.transport_number.value.toFixed(4)} ± ${fit.transport_number.standard_error.toFixed(4)}, ` +
          `D = ${fit.D_um2_per_ms.value.toFixed(4)} ± ${fit.D_um2_per_ms.standard_error.toFixed(4)} µm²/ms`);
        console.log(`  ${fit.points} points, RMS residual ${fit.residual.toPrecision(3)} mM (${(100 * fit.residual_relative).toFixed(2)}% of the peak)`);
        fit.warnings.forEach((warning) => console.log(`  warning: ${warning}`));
      }
      return 0;
    }
    const fit = fitRti(time, value, experiment);
    if (line.flag('json')) console.log(JSON.stringify(fit, null, 2));
    else {
      const show = (name: string, unit: string, digits: (v: number) => string) => {
        const p = fit.parameters[name];
        return `${digits(p.value)} ± ${digits(p.standard_error)}${unit} (95%: ${digits(p.ci95[0])} to ${digits(p.ci95[1])})`;
      };
      console.log(`α  = ${show('alpha', '', (v) => v.toFixed(4))}`);
      console.log(`λ  = ${show('lambda', '', (v) => v.toFixed(4))}`);
      console.log(`k′ = ${show('k_ecs_per_ms', ' /ms', (v) => v.toExponential(2))}`);
      console.log(`  baseline ${fit.baseline_mM.toPrecision(4)} mM, ${fit.points} points, RMS residual ${fit.residual.toPrecision(3)} mM ` +
        `(${(100 * fit.residual_relative).toFixed(2)}% of the peak)`);
      fit.warnings.forEach((warning) => console.log(`  warning: ${warning}`));
    }
    return 0;
  } catch (error) {
    if (error instanceof CurveError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}

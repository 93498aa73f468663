// `ecs-sim fit`: α, λ and k′ from a measured RTI curve (or n and D in agarose mode).
import { readFileSync } from 'node:fs';
import { CurveError, EXPERIMENT_RANGES, FitError, fitAgarose, fitRti, parseCurveCsv, rangeProblem, type RtiExperiment } from '../core/fit.js';
import { parseCommand, parseNumber, UsageError } from './options.js';

export const FIT_USAGE = `usage: ecs-sim fit curve.csv --r-um R --current-nA I --transport-number n --D-um2-per-ms D
         [--pulse-start-ms T0] [--pulse-ms T] [--baseline-mM B] [--agarose] [--json]
  curve.csv: columns t_ms,c_mM. Fits α, λ and k′ (with standard errors and 95% intervals); the baseline
  is the mean before the pulse unless given. --agarose: α = λ = 1, fits the transport number and D.
  A fit that does not determine its parameters ends with "fit failed: …" and exit code 1.`;

/** A flag for a number of the experiment, checked against the range the fit accepts for it. */
function inRange(line: ReturnType<typeof parseCommand>, flag: string, key: keyof typeof EXPERIMENT_RANGES, required: boolean): number | undefined {
  const range = EXPERIMENT_RANGES[key];
  const text = required ? line.required(flag) : line.text(flag);
  if (text === undefined) return undefined;
  const value = parseNumber(text, `--${flag}`, range.unit);
  const problem = rangeProblem(range, value);
  if (problem) throw new UsageError(`--${flag} = ${value}: ${problem}`);
  return value;
}

/** JSON of a fit; a number JSON cannot hold (it would print as null) is a failed fit, not a silent null. */
function fitJson(fit: object): string {
  return JSON.stringify(fit, (key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new FitError(`${key} = ${value} is not a finite number`);
    return value;
  }, 2);
}

/** The fit names the experiment's fields (pulse_start_ms = …); here they were given as flags. */
function asFlags(message: string): string {
  const field = /^(\w+) = /.exec(message)?.[1];
  const flag = field === undefined ? undefined : FLAGS[field];
  return flag === undefined ? message : `--${flag}${message.slice(field!.length)}`;
}

const FLAGS: Record<string, string> = {
  r_um: 'r-um', current_nA: 'current-nA', transport_number: 'transport-number', D_um2_per_ms: 'D-um2-per-ms',
  pulse_start_ms: 'pulse-start-ms', pulse_ms: 'pulse-ms', baseline_mM: 'baseline-mM',
};

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
  const startText = line.text('pulse-start-ms'), baselineText = line.text('baseline-mM');
  const experiment: RtiExperiment = {
    r_um: inRange(line, 'r-um', 'r_um', true)!,
    current_nA: inRange(line, 'current-nA', 'current_nA', true)!,
    transport_number: inRange(line, 'transport-number', 'transport_number', true)!,
    D_um2_per_ms: inRange(line, 'D-um2-per-ms', 'D_um2_per_ms', true)!,
    pulse_start_ms: startText === undefined ? 0 : parseNumber(startText, '--pulse-start-ms', 'ms'),
    pulse_ms: inRange(line, 'pulse-ms', 'pulse_ms', false),
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
      if (line.flag('json')) console.log(fitJson(fit));
      else {
        console.log(`agarose calibration (α = λ = 1): n = ${fit.transport_number.value.toFixed(4)} ± ${fit.transport_number.standard_error.toFixed(4)}, ` +
          `D = ${fit.D_um2_per_ms.value.toFixed(4)} ± ${fit.D_um2_per_ms.standard_error.toFixed(4)} µm²/ms`);
        console.log(`  ${fit.points} points, RMS residual ${fit.residual.toPrecision(3)} mM (${(100 * fit.residual_relative).toFixed(2)}% of the peak)`);
        fit.warnings.forEach((warning) => console.log(`  warning: ${warning}`));
      }
      return 0;
    }
    const fit = fitRti(time, value, experiment);
    if (line.flag('json')) console.log(fitJson(fit));
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
    // Valid input the fit cannot use is a failed run (exit 1); a curve or setting it refuses is bad input (exit 2).
    if (error instanceof FitError) {
      console.error(`ecs-sim: ${path}: ${error.message}`);
      return 1;
    }
    if (error instanceof CurveError) throw new UsageError(`${path}: ${asFlags(error.message)}`);
    throw error;
  }
}

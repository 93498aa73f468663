// The page's RTI fitting: load a measured curve (CSV, t_ms,c_mM), give the experiment, fit α, λ and
// k′, and see the data with the fit and the residuals.
import uPlot from 'uplot';
import { CurveError, EXPERIMENT_RANGES, fitRti, parseCurveCsv, rangeProblem, rtiModel_mM, type RtiExperiment, type RtiFit } from '../core/fit.js';
import { parseDecimal } from '../core/decimal.js';

type Field = keyof typeof EXPERIMENT_RANGES | 'pulse_start_ms';

const FIELDS: { key: Field; label: string; value: number }[] = [
  { key: 'r_um', label: 'electrode distance r (µm)', value: 120 },
  { key: 'current_nA', label: 'current (nA)', value: 80 },
  { key: 'transport_number', label: 'transport number n', value: 0.4 },
  { key: 'D_um2_per_ms', label: 'free D (µm²/ms; TMA⁺ 1.3)', value: 1.3 },
  { key: 'pulse_start_ms', label: 'pulse start (ms)', value: 10000 },
  { key: 'pulse_ms', label: 'pulse length (ms)', value: 50000 },
];

/**
 * The experiment from the form's texts, each held to the range the command line holds its flag to;
 * throws CurveError naming the field, the value, the allowed range and the unit.
 */
export function experimentFromFields(text: (key: Field) => string): RtiExperiment {
  const values = new Map<Field, number>();
  for (const field of FIELDS) {
    const range = field.key === 'pulse_start_ms' ? null : EXPERIMENT_RANGES[field.key];
    const unit = range?.unit ?? 'ms';
    const value = parseDecimal(text(field.key));
    if (value === null) throw new CurveError(`${field.label} = "${text(field.key)}": must be a number (${unit})`);
    const problem = range && rangeProblem(range, value);
    if (problem) throw new CurveError(`${field.label} = ${value}: ${problem}`);
    values.set(field.key, value);
  }
  const value = (key: Field) => values.get(key)!;
  return {
    r_um: value('r_um'), current_nA: value('current_nA'), transport_number: value('transport_number'),
    D_um2_per_ms: value('D_um2_per_ms'), pulse_start_ms: value('pulse_start_ms'), pulse_ms: value('pulse_ms'),
  };
}

/**
 * One line for anything loading or fitting can throw: the message of a curve, setting or fit the
 * fit refuses (a failed fit's starts "fit failed: "), and for anything else, which is a bug, its
 * first line only: the stack goes to the console, not into the page.
 */
export function failureLine(error: unknown): string {
  return error instanceof CurveError ? error.message : `fit failed: ${internalError(error)}`;
}

function internalError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `an internal error (${text.split('\n')[0]}); the browser console has the details`;
}

/** The panel's fit of a loaded curve to the form's experiment, or the one line that says why there is none. */
export function fitFromFields(curve: { time_ms: number[]; c_mM: number[] }, text: (key: Field) => string):
  { experiment: RtiExperiment; fit: RtiFit } | { failure: string } {
  try {
    const experiment = experimentFromFields(text);
    return { experiment, fit: fitRti(curve.time_ms, curve.c_mM, experiment) };
  } catch (error) {
    if (!(error instanceof CurveError)) console.error(error);
    return { failure: failureLine(error) };
  }
}

export class RtiFitPanel {
  private readonly file = document.createElement('input');
  private readonly inputs = new Map<Field, HTMLInputElement>();
  private readonly result = document.createElement('div');
  private readonly curvePlot = document.createElement('div');
  private readonly residualPlot = document.createElement('div');
  private plots: uPlot[] = [];
  private curve: { time_ms: number[]; c_mM: number[] } | null = null;

  /** The last fit, for tests and the console. */
  lastFit: RtiFit | null = null;

  constructor(container: HTMLElement) {
    container.classList.add('rti-fit');
    const title = document.createElement('h2');
    title.textContent = 'Fit α, λ and k′ to a measured RTI curve';
    this.file.type = 'file';
    this.file.accept = '.csv,text/csv';
    this.file.setAttribute('aria-label', 'curve CSV (t_ms,c_mM)');
    this.file.addEventListener('change', () => void this.load());
    const form = document.createElement('div');
    form.className = 'rti-fields';
    for (const field of FIELDS) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'number';
      input.value = String(field.value);
      input.dataset.field = field.key;
      label.append(field.label, input);
      form.append(label);
      this.inputs.set(field.key, input);
    }
    const button = document.createElement('button');
    button.textContent = 'fit';
    button.addEventListener('click', () => this.fit());
    this.result.className = 'rti-result';
    this.result.setAttribute('role', 'status');
    container.append(title, this.file, form, button, this.result, this.curvePlot, this.residualPlot);
  }

  private async load(): Promise<void> {
    const file = this.file.files?.[0];
    if (!file) return;
    try {
      this.curve = parseCurveCsv(await file.text());
    } catch (error) {
      this.curve = null;
      if (!(error instanceof CurveError)) console.error(error);
      this.fail(`${file.name}: ${failureLine(error)}`);
      return;
    }
    this.fit();
  }

  private fit(): void {
    if (!this.curve) {
      this.fail('Load a CSV with columns t_ms,c_mM first.');
      return;
    }
    const outcome = fitFromFields(this.curve, (key) => this.inputs.get(key)!.value);
    if ('failure' in outcome) {
      this.fail(outcome.failure);
      return;
    }
    const { experiment, fit } = outcome;
    this.lastFit = fit;
    const p = fit.parameters;
    const summary = `α = ${p.alpha.value.toFixed(4)} ± ${p.alpha.standard_error.toFixed(4)}, ` +
      `λ = ${p.lambda.value.toFixed(4)} ± ${p.lambda.standard_error.toFixed(4)}, ` +
      `k′ = ${p.k_ecs_per_ms.value.toExponential(2)} ± ${p.k_ecs_per_ms.standard_error.toExponential(2)} /ms; ` +
      `RMS residual ${fit.residual.toPrecision(3)} mM (${(100 * fit.residual_relative).toFixed(2)}% of the peak)` +
      fit.warnings.map((warning) => ` · warning: ${warning}`).join('');
    this.show(summary, false);
    try {
      this.draw(experiment, fit);
    } catch (error) {
      // The fit stands; only its plots are missing, and the line says so.
      console.error(error);
      for (const plot of this.plots) plot.destroy();
      this.plots = [];
      this.show(`${summary} · drawing the plots failed: ${internalError(error)}`, true);
    }
  }

  /** Shows why there is no fit, and takes away the last one's numbers and plots so they are not read as this one's. */
  private fail(message: string): void {
    this.lastFit = null;
    for (const plot of this.plots) plot.destroy();
    this.plots = [];
    this.show(message, true);
  }

  private draw(experiment: RtiExperiment, fit: RtiFit): void {
    const { time_ms, c_mM } = this.curve!;
    const medium = { alpha: fit.alpha, lambda: fit.lambda, D_um2_per_ms: experiment.D_um2_per_ms, k_ecs_per_ms: fit.k_ecs_per_ms };
    const model = time_ms.map((t) => fit.baseline_mM + rtiModel_mM(medium, experiment, t));
    const residual = c_mM.map((c, i) => c - model[i]);
    for (const plot of this.plots) plot.destroy();
    this.plots = [];
    const width = Math.max(300, this.curvePlot.parentElement!.clientWidth - 16);
    const axes = (label: string): uPlot.Axis[] => [
      { label: 'time (ms)', stroke: '#ccc', grid: { stroke: '#333' } }, { label, stroke: '#ccc', grid: { stroke: '#333' } }];
    this.plots = [
      new uPlot({ width, height: 200, scales: { x: { time: false } }, axes: axes('c (mM)'), series: [
        {}, { label: 'data (mM)', stroke: '#9aa0a6', points: { show: false } }, { label: 'fit (mM)', stroke: '#f72585', width: 2 }] },
      [time_ms, c_mM, model], this.curvePlot),
      new uPlot({ width, height: 120, scales: { x: { time: false } }, axes: axes('residual (mM)'), series: [
        {}, { label: 'residual (mM)', stroke: '#4cc9f0' }] }, [time_ms, residual], this.residualPlot),
    ];
  }

  private show(message: string, isError: boolean): void {
    this.result.textContent = message;
    this.result.classList.toggle('error', isError);
  }
}

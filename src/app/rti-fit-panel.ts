// The page's RTI fitting: load a measured curve (CSV, t_ms,c_mM), give the experiment, fit α, λ and
// k′, and see the data with the fit and the residuals.
import uPlot from 'uplot';
import { CurveError, fitRti, parseCurveCsv, rtiModel_mM, type RtiExperiment, type RtiFit } from '../core/fit.js';
import { parseDecimal } from '../core/decimal.js';

const FIELDS: { key: keyof RtiExperiment; label: string; value: number }[] = [
  { key: 'r_um', label: 'electrode distance r (µm)', value: 120 },
  { key: 'current_nA', label: 'current (nA)', value: 80 },
  { key: 'transport_number', label: 'transport number n', value: 0.4 },
  { key: 'D_um2_per_ms', label: 'free D (µm²/ms; TMA⁺ 1.3)', value: 1.3 },
  { key: 'pulse_start_ms', label: 'pulse start (ms)', value: 10000 },
  { key: 'pulse_ms', label: 'pulse length (ms)', value: 50000 },
];

export class RtiFitPanel {
  private readonly file = document.createElement('input');
  private readonly inputs = new Map<keyof RtiExperiment, HTMLInputElement>();
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
      this.fit();
    } catch (error) {
      this.curve = null;
      this.show(error instanceof CurveError ? `${file.name}: ${error.message}` : String(error), true);
    }
  }

  private experiment(): RtiExperiment {
    const value = (key: keyof RtiExperiment) => parseDecimal(this.inputs.get(key)!.value) ?? NaN;
    for (const field of FIELDS) {
      const v = value(field.key);
      if (!Number.isFinite(v) || (field.key !== 'pulse_start_ms' && !(v > 0))) {
        throw new CurveError(`${field.label} = "${this.inputs.get(field.key)!.value}": must be a number > 0`);
      }
    }
    return {
      r_um: value('r_um'), current_nA: value('current_nA'), transport_number: value('transport_number'),
      D_um2_per_ms: value('D_um2_per_ms'), pulse_start_ms: value('pulse_start_ms'), pulse_ms: value('pulse_ms'),
    };
  }

  private fit(): void {
    if (!this.curve) {
      this.show('Load a CSV with columns t_ms,c_mM first.', true);
      return;
    }
    try {
      const experiment = this.experiment();
      const fit = fitRti(this.curve.time_ms, this.curve.c_mM, experiment);
      this.lastFit = fit;
      const p = fit.parameters;
      this.show(`α = ${p.alpha.value.toFixed(4)} ± ${p.alpha.standard_error.toFixed(4)}, ` +
        `λ = ${p.lambda.value.toFixed(4)} ± ${p.lambda.standard_error.toFixed(4)}, ` +
        `k′ = ${p.k_ecs_per_ms.value.toExponential(2)} ± ${p.k_ecs_per_ms.standard_error.toExponential(2)} /ms; ` +
        `RMS residual ${fit.residual.toPrecision(3)} mM (${(100 * fit.residual_relative).toFixed(2)}% of the peak)` +
        fit.warnings.map((warning) => ` · warning: ${warning}`).join(''), false);
      this.draw(experiment, fit);
    } catch (error) {
      this.show(error instanceof CurveError ? error.message : String(error), true);
    }
  }

  private draw(experiment: RtiExperiment, fit: RtiFit): void {
    const { time_ms, c_mM } = this.curve!;
    const medium = { alpha: fit.alpha, lambda: fit.lambda, D_um2_per_ms: experiment.D_um2_per_ms, k_ecs_per_ms: fit.k_ecs_per_ms };
    const model = time_ms.map((t) => fit.baseline_mM + rtiModel_mM(medium, experiment, t));
    const residual = c_mM.map((c, i) => c - model[i]);
    for (const plot of this.plots) plot.destroy();
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

// The live plot: [K⁺]o (mM, left axis) and E_K (mV, right axis) of every probe against time, with
// t_peak and t_peak + t_half of the current release marked once reached (labelled with their values
// and, with the time error on, its estimate).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatError } from '../core/format.js';
import { placeLabels } from './label-layout.js';

/** Colours of successive probes (also used for their markers' labels). */
export const PROBE_COLOURS = ['#4cc9f0', '#f72585', '#b5e48c', '#ffd166', '#c77dff', '#ff9f1c'];

/**
 * A y range at least `span` wide around the data: right after a release the probes differ from
 * baseline by far less than their value's float resolution allows an axis to divide (uPlot's tick
 * search then never ends), so a nearly flat curve is drawn on a span that can be divided.
 */
function atLeast(span: number): uPlot.Range.Function {
  return (_u, min, max) => {
    if (!(Number.isFinite(min) && Number.isFinite(max))) return [0, 1];
    const middle = (min + max) / 2, half = Math.max((max - min) / 2, span / 2) * 1.05;
    return [middle - half, middle + half];
  };
}

export interface ProbeMarks {
  t_peak_ms: number | null;
  t_half_ms: number | null;
  t_peak_error_ms: number | null;
  t_half_error_ms: number | null;
}

export class ProbePlot {
  private plot: uPlot | null = null;
  private marks: ProbeMarks[] = [];

  constructor(private readonly container: HTMLElement) {}

  /** Rebuilds the plot for these probe names. */
  setProbes(names: string[]): void {
    this.plot?.destroy();
    const series: uPlot.Series[] = [{ label: 't (ms)' }];
    names.forEach((name, index) => {
      const stroke = PROBE_COLOURS[index % PROBE_COLOURS.length];
      series.push({ label: `${name} [K⁺]o (mM)`, stroke, scale: 'mM', width: 2, value: (_, v) => (v == null ? '—' : v.toFixed(3)) });
      series.push({ label: `${name} E_K (mV)`, stroke, dash: [6, 4], scale: 'mV', width: 1, value: (_, v) => (v == null ? '—' : v.toFixed(1)) });
    });
    this.plot = new uPlot({
      width: Math.max(300, this.container.clientWidth), height: 220, series,
      scales: { x: { time: false }, mM: { range: atLeast(0.01) }, mV: { range: atLeast(0.1) } },
      axes: [
        { label: 'time (ms)', stroke: '#ccc', grid: { stroke: '#333' } },
        { scale: 'mM', label: '[K⁺]o (mM)', stroke: '#ccc', grid: { stroke: '#333' } },
        { scale: 'mV', label: 'E_K (mV)', side: 1, stroke: '#ccc', grid: { show: false } },
      ],
      hooks: { draw: [(u) => this.drawMarks(u)] },
    }, [[], ...names.flatMap(() => [[], []])] as uPlot.AlignedData, this.container);
  }

  /** New data: times (ms) and per probe the concentration (mM) and E_K (mV) arrays. */
  setData(time_ms: number[], concentration_mM: number[][], EK_mV: number[][], marks: ProbeMarks[]): void {
    if (!this.plot) return;
    this.marks = marks;
    this.plot.setData([time_ms, ...concentration_mM.flatMap((c, index) => [c, EK_mV[index]])] as uPlot.AlignedData);
  }

  resize(): void {
    this.plot?.setSize({ width: Math.max(300, this.container.clientWidth), height: 220 });
  }

  private drawMarks(u: uPlot): void {
    const context = u.ctx;
    context.save();
    context.font = `${11 * devicePixelRatio}px sans-serif`;
    const labels: { x: number; text: string; colour: string }[] = [];
    this.marks.forEach((mark, index) => {
      const colour = PROBE_COLOURS[index % PROBE_COLOURS.length];
      if (mark.t_peak_ms === null) return;
      for (const [time, value, error, name] of [[mark.t_peak_ms, mark.t_peak_ms, mark.t_peak_error_ms, 't_peak'],
        [mark.t_peak_ms + (mark.t_half_ms ?? NaN), mark.t_half_ms, mark.t_half_error_ms, 't_half']] as const) {
        if (value === null || !(time >= u.scales.x.min! && time <= u.scales.x.max!)) continue;
        const x = u.valToPos(time, 'x', true);
        context.strokeStyle = colour;
        context.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
        context.beginPath();
        context.moveTo(x, u.bbox.top);
        context.lineTo(x, u.bbox.top + u.bbox.height);
        context.stroke();
        labels.push({ x, colour, text: `${name} ${value.toFixed(1)}${error === null ? '' : ` ±${formatError(error)}`} ms` });
      }
    });
    const gap = 3 * devicePixelRatio;
    const placed = placeLabels(labels.map((label) => ({ x: label.x, width: context.measureText(label.text).width })),
      u.bbox.left + u.bbox.width, gap);
    placed.forEach((place, index) => {
      context.fillStyle = labels[index].colour;
      context.fillText(labels[index].text, place.left, u.bbox.top + (12 + 12 * place.row) * devicePixelRatio);
    });
    context.restore();
  }
}

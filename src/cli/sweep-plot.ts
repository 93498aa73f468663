// The sweep figure as a standalone SVG: a heat map of one metric over α × λ, and the metric
// against λ for each α on log–log axes, where a power law is a straight line.
import { COLORMAP_ANCHORS, interpolateAnchors } from '../core/colormaps.js';
import { fitPowerLaw } from '../core/scaling.js';

export interface SweepPlotData {
  alphas: number[];
  lambdas: number[];
  /** values[a][l]: the metric at alphas[a], lambdas[l]; null where it was not reached. */
  values: (number | null)[][];
  /** Column name, e.g. "r50_t_half_ms"; its unit is read off the suffix. */
  metric: string;
}

// Viridis anchors for the figure: the 0, ¼, ½, ¾, 1 rows of the shared colormap table.
const VIRIDIS = [0, 4, 8, 12, 16].map((row) => COLORMAP_ANCHORS.viridis[row]);

/** The viridis colour of t in [0, 1], interpolated between the five figure anchors. */
export function viridis(t: number): string {
  return `rgb(${interpolateAnchors(VIRIDIS, t).join(',')})`;
}

/** "r50_t_half_ms" → "r50 t_half (ms)". */
export function metricLabel(metric: string): string {
  const match = /^(.*)_(ms|mM)$/.exec(metric);
  return match ? `${match[1].replace(/_(peak|t_peak|t_half)$/, ' $1')} (${match[2]})` : metric;
}

const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Log-spaced "nice" ticks covering [low, high]: 1, 2, 5 × 10ⁿ, or every digit when that gives too few. */
function logTicks(low: number, high: number): number[] {
  for (const mantissas of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const ticks: number[] = [];
    for (let decade = Math.floor(Math.log10(low)); decade <= Math.ceil(Math.log10(high)); decade++) {
      for (const mantissa of mantissas) {
        const tick = mantissa * 10 ** decade;
        if (tick >= low * 0.999 && tick <= high * 1.001) ticks.push(tick);
      }
    }
    if (ticks.length >= 3) return ticks;
  }
  return [low, Math.sqrt(low * high), high];
}

export function sweepPlotSvg(data: SweepPlotData): string {
  const { alphas, lambdas, values, metric } = data;
  const finite = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const low = finite.length ? Math.min(...finite) : 0, high = finite.length ? Math.max(...finite) : 1;
  const scale = (v: number) => (high > low ? (v - low) / (high - low) : 0.5);
  const label = escape(metricLabel(metric));
  const parts: string[] = [];

  // Heat map: α across, λ up.
  const map = { x: 70, y: 50, width: 330, height: 300 };
  const cellW = map.width / alphas.length, cellH = map.height / lambdas.length;
  alphas.forEach((alpha, a) => {
    lambdas.forEach((lambda, l) => {
      const v = values[a][l];
      const x = map.x + a * cellW, y = map.y + map.height - (l + 1) * cellH;
      const fill = v === null ? '#ccc' : viridis(scale(v));
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${cellW.toFixed(1)}" height="${cellH.toFixed(1)}" fill="${fill}"><title>α ${alpha}, λ ${lambda}: ${v === null ? 'not reached' : format(v)}</title></rect>`);
      if (alphas.length <= 12 && lambdas.length <= 16) {
        const dark = v !== null && scale(v) > 0.6;
        parts.push(`<text x="${(x + cellW / 2).toFixed(1)}" y="${(y + cellH / 2 + 4).toFixed(1)}" text-anchor="middle" font-size="11" fill="${dark ? '#000' : '#fff'}">${v === null ? '—' : format(v)}</text>`);
      }
    });
  });
  alphas.forEach((alpha, a) => parts.push(`<text x="${(map.x + (a + 0.5) * cellW).toFixed(1)}" y="${map.y + map.height + 16}" text-anchor="middle" font-size="11">${alpha}</text>`));
  lambdas.forEach((lambda, l) => parts.push(`<text x="${map.x - 6}" y="${(map.y + map.height - (l + 0.5) * cellH + 4).toFixed(1)}" text-anchor="end" font-size="11">${lambda}</text>`));
  parts.push(`<text x="${map.x + map.width / 2}" y="${map.y + map.height + 34}" text-anchor="middle" font-size="13">volume fraction α</text>`);
  parts.push(`<text transform="translate(${map.x - 42},${map.y + map.height / 2}) rotate(-90)" text-anchor="middle" font-size="13">tortuosity λ</text>`);
  parts.push(`<text x="${map.x}" y="30" font-size="14" font-weight="bold">${label} over α × λ</text>`);

  // Colour bar with its unit.
  const bar = { x: map.x + map.width + 14, y: map.y, width: 14, height: map.height };
  parts.push('<defs><linearGradient id="viridis" x1="0" y1="1" x2="0" y2="0">' +
    VIRIDIS.map((_, i) => `<stop offset="${i / (VIRIDIS.length - 1)}" stop-color="${viridis(i / (VIRIDIS.length - 1))}"/>`).join('') +
    '</linearGradient></defs>');
  parts.push(`<rect x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}" fill="url(#viridis)"/>`);
  for (const [value, at] of [[high, bar.y + 4], [(low + high) / 2, bar.y + bar.height / 2 + 4], [low, bar.y + bar.height]] as const) {
    parts.push(`<text x="${bar.x + bar.width + 4}" y="${at}" font-size="10">${format(value)}</text>`);
  }

  // Metric against λ, one line per α, log–log.
  const plot = { x: 560, y: 50, width: 340, height: 300 };
  const lambdaLow = Math.min(...lambdas), lambdaHigh = Math.max(...lambdas);
  const px = (lambda: number) => plot.x + (lambdaHigh > lambdaLow ? (Math.log(lambda / lambdaLow) / Math.log(lambdaHigh / lambdaLow)) * plot.width : plot.width / 2);
  const positive = finite.filter((v) => v > 0);
  const yLow = positive.length ? Math.min(...positive) * 0.9 : 1, yHigh = positive.length ? Math.max(...positive) * 1.1 : 10;
  const py = (v: number) => plot.y + plot.height - (Math.log(v / yLow) / Math.log(yHigh / yLow)) * plot.height;
  parts.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#444"/>`);
  for (const tick of logTicks(yLow, yHigh)) {
    parts.push(`<line x1="${plot.x}" x2="${plot.x + plot.width}" y1="${py(tick).toFixed(1)}" y2="${py(tick).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${plot.x - 6}" y="${(py(tick) + 4).toFixed(1)}" text-anchor="end" font-size="10">${format(tick)}</text>`);
  }
  lambdas.forEach((lambda) => parts.push(`<text x="${px(lambda).toFixed(1)}" y="${plot.y + plot.height + 16}" text-anchor="middle" font-size="10">${lambda}</text>`));
  parts.push(`<text x="${plot.x + plot.width / 2}" y="${plot.y + plot.height + 34}" text-anchor="middle" font-size="13">tortuosity λ (log scale)</text>`);
  parts.push(`<text x="${plot.x}" y="30" font-size="14" font-weight="bold">${label} against λ, one line per α</text>`);
  parts.push(`<text transform="translate(${plot.x - 46},${plot.y + plot.height / 2}) rotate(-90)" text-anchor="middle" font-size="13">${label} (log scale)</text>`);
  alphas.forEach((alpha, a) => {
    const colour = viridis(alphas.length > 1 ? a / (alphas.length - 1) : 0.5).replace('rgb(253,231,37)', 'rgb(200,180,0)');
    const points = lambdas.map((lambda, l) => [lambda, values[a][l]] as const).filter(([, v]) => v !== null && v > 0) as [number, number][];
    if (points.length > 1) {
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([l, v]) => `${px(l).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}"/>`);
    }
    for (const [l, v] of points) parts.push(`<circle cx="${px(l).toFixed(1)}" cy="${py(v).toFixed(1)}" r="3" fill="${colour}"/>`);
    const fit = fitPowerLaw(lambdas, values[a]);
    const legendY = plot.y + 14 + a * 15;
    if (legendY < plot.y + plot.height - 6) {
      parts.push(`<text x="${plot.x + 8}" y="${legendY}" font-size="11" fill="${colour}">α = ${alpha}${fit ? `: ∝ λ^${fit.exponent.toFixed(2)}` : ''}</text>`);
    }
  });

  return `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="400" viewBox="0 0 960 400" font-family="sans-serif">\n` +
    `<rect width="960" height="400" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}

// The sweep figure (src/cli/sweep-plot.ts): the viridis colour map, metric labels with units, and
// the SVG — a heat map over α × λ (one titled cell per combination, gray where not reached) and
// one log–log line per α with its fitted λ exponent in the legend.
import { describe, expect, it } from 'vitest';
import { metricLabel, sweepPlotSvg, viridis, type SweepPlotData } from '../../src/cli/sweep-plot.js';

/** Parses "rgb(r,g,b)" into [r, g, b]. */
function rgb(colour: string): number[] {
  const match = /^rgb\((\d+),(\d+),(\d+)\)$/.exec(colour);
  if (!match) throw new Error(`not an rgb() colour: ${colour}`);
  return match.slice(1).map(Number);
}

/**
 * Minimal well-formedness check: every start tag is closed in order (self-closing tags count as
 * closed), attribute values are quoted, and no raw '<' or bare '&' appears in text. Returns the
 * first problem, or null.
 */
function xmlProblem(svg: string): string | null {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let position = 0;
  for (let match = tag.exec(svg); match; match = tag.exec(svg)) {
    const text = svg.slice(position, match.index);
    if (text.includes('<')) return `unparsed markup before offset ${match.index}: ${JSON.stringify(text.slice(0, 60))}`;
    if (/&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)/.test(text)) return `bare & in text at offset ${position}`;
    position = match.index + match[0].length;
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}>`;
    } else if (!selfClosing) {
      stack.push(name);
    }
  }
  if (svg.slice(position).includes('<')) return 'unparsed markup at the end';
  return stack.length ? `unclosed <${stack.join('>, <')}>` : null;
}

/** Counts non-overlapping occurrences of a regular expression. */
const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, 'g')) ?? []).length;

const ALPHAS = [0.1, 0.2, 0.4];
const LAMBDAS = [1.4, 1.8, 2.2];
/** values = 100·λ² for every α: a pure power law with exponent 2. */
const SQUARE: SweepPlotData = {
  alphas: ALPHAS,
  lambdas: LAMBDAS,
  values: ALPHAS.map(() => LAMBDAS.map((lambda) => 100 * lambda * lambda)),
  metric: 'r50_t_half_ms',
};

describe('viridis', () => {
  it('viridis(0) is the first anchor, rgb(68,1,84)', () => {
    expect(viridis(0)).toBe('rgb(68,1,84)');
  });

  it('viridis(1) is the last anchor, rgb(253,231,37)', () => {
    expect(viridis(1)).toBe('rgb(253,231,37)');
  });

  it('viridis(0.5) is the middle anchor, rgb(33,145,140)', () => {
    expect(viridis(0.5)).toBe('rgb(33,145,140)');
  });

  it('clamps below 0 and above 1 to the end colours', () => {
    expect(viridis(-0.5)).toBe('rgb(68,1,84)');
    expect(viridis(-Infinity)).toBe('rgb(68,1,84)');
    expect(viridis(1.5)).toBe('rgb(253,231,37)');
    expect(viridis(Infinity)).toBe('rgb(253,231,37)');
  });

  it('interpolates linearly between anchors: 0.125 is halfway between rgb(68,1,84) and rgb(59,82,139), rounded', () => {
    // (68+59)/2 = 63.5 → 64, (1+82)/2 = 41.5 → 42, (84+139)/2 = 111.5 → 112.
    expect(viridis(0.125)).toBe('rgb(64,42,112)');
  });

  it('interpolates between the last two anchors: 0.875 is halfway between rgb(94,201,98) and rgb(253,231,37)', () => {
    // (94+253)/2 = 173.5 → 174, (201+231)/2 = 216, (98+37)/2 = 67.5 → 68.
    expect(viridis(0.875)).toBe('rgb(174,216,68)');
  });

  it('every channel is an integer in 0–255, and green never decreases from 0 to 1 (21 samples)', () => {
    const greens = Array.from({ length: 21 }, (_, i) => {
      const channels = rgb(viridis(i / 20));
      channels.forEach((c) => {
        expect(Number.isInteger(c)).toBe(true);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(255);
      });
      return channels[1]; // green rises monotonically along viridis
    });
    for (let i = 1; i < greens.length; i++) expect(greens[i]).toBeGreaterThanOrEqual(greens[i - 1]);
  });
});

describe('metricLabel', () => {
  it("'r50_t_half_ms' → 'r50 t_half (ms)'", () => {
    expect(metricLabel('r50_t_half_ms')).toBe('r50 t_half (ms)');
  });

  it("'r50_peak_mM' → 'r50 peak (mM)'", () => {
    expect(metricLabel('r50_peak_mM')).toBe('r50 peak (mM)');
  });

  it("'r30_t_peak_ms' → 'r30 t_peak (ms)'", () => {
    expect(metricLabel('r30_t_peak_ms')).toBe('r30 t_peak (ms)');
  });

  it("'excess_half_time_ms' ends with its unit '(ms)' and no longer shows the '_ms' suffix", () => {
    const label = metricLabel('excess_half_time_ms');
    expect(label.endsWith('(ms)')).toBe(true);
    expect(label).not.toContain('_ms');
  });

  it('a name without a known unit suffix is returned unchanged', () => {
    expect(metricLabel('alpha')).toBe('alpha');
    expect(metricLabel('r50_peak_s')).toBe('r50_peak_s');
  });
});

describe('sweepPlotSvg', () => {
  const svg = sweepPlotSvg(SQUARE);

  it('is a single <svg> element: starts with <svg, ends with </svg>', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(count(svg, /<svg[\s>]/)).toBe(1);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  it('is well-formed: every tag closed in order, no raw < or bare & in text', () => {
    expect(xmlProblem(svg)).toBeNull();
  });

  it('the well-formedness check itself catches an unclosed tag and a raw <', () => {
    expect(xmlProblem('<svg><g></svg>')).not.toBeNull();
    expect(xmlProblem('<svg><text>a < b</text></svg>')).not.toBeNull();
    expect(xmlProblem('<svg><text>a &lt; b</text></svg>')).toBeNull();
  });

  it('draws one heat-map <rect> with a <title> per (α, λ) cell, titled with its α, λ and value', () => {
    expect(count(svg, /<rect[^>]*><title>/)).toBe(ALPHAS.length * LAMBDAS.length);
    for (const alpha of ALPHAS) {
      for (const lambda of LAMBDAS) {
        const value = 100 * lambda * lambda; // 196, 324, 484: ≥ 100, so written with toFixed(0)
        expect(svg).toContain(`<title>α ${alpha}, λ ${lambda}: ${value.toFixed(0)}</title>`);
      }
    }
  });

  it('colours the smallest cell viridis(0) and the largest viridis(1)', () => {
    expect(svg).toMatch(/fill="rgb\(68,1,84\)"><title>α 0\.1, λ 1\.4:/);
    expect(svg).toMatch(/fill="rgb\(253,231,37\)"><title>α 0\.1, λ 2\.2:/);
  });

  it('draws one polyline per α when each α has ≥ 2 positive values', () => {
    expect(count(svg, /<polyline /)).toBe(ALPHAS.length);
  });

  it('the legend gives the fitted exponent for values = 100·λ²: "∝ λ^2.00" for every α', () => {
    for (const alpha of ALPHAS) expect(svg).toContain(`α = ${alpha}: ∝ λ^2.00`);
  });

  it('the legend gives a different exponent for values = c·λ^-1.5', () => {
    const other = sweepPlotSvg({ ...SQUARE, values: ALPHAS.map(() => LAMBDAS.map((lambda) => 5 * lambda ** -1.5)) });
    expect(other).toContain('∝ λ^-1.50');
    expect(other).not.toContain('∝ λ^2.00');
  });

  it('shows the metric label with its unit in the titles', () => {
    expect(svg).toContain('r50 t_half (ms) over α × λ');
    expect(svg).toContain('r50 t_half (ms) against λ');
  });

  describe('with missing values', () => {
    // α 0.1: all reached; α 0.2: one null (two positive values left); α 0.4: only one value.
    const data: SweepPlotData = {
      alphas: ALPHAS,
      lambdas: LAMBDAS,
      values: [[196, 324, 484], [null, 300, 400], [null, 250, null]],
      metric: 'r50_t_half_ms',
    };
    const gaps = sweepPlotSvg(data);

    it('is still well-formed', () => {
      expect(xmlProblem(gaps)).toBeNull();
    });

    it('draws each null cell gray #ccc, titled "not reached", labelled "—"', () => {
      const nulls = data.values.flat().filter((v) => v === null).length; // 3
      expect(count(gaps, /fill="#ccc"><title>[^<]*: not reached<\/title>/)).toBe(nulls);
      expect(count(gaps, /fill="#ccc"/)).toBe(nulls);
      expect(count(gaps, />—<\/text>/)).toBe(nulls);
      expect(gaps).toContain('<title>α 0.2, λ 1.4: not reached</title>');
    });

    it('still draws one titled rect per cell', () => {
      expect(count(gaps, /<rect[^>]*><title>/)).toBe(9);
    });

    it('draws a polyline only for α with ≥ 2 positive values (0.1 and 0.2, not 0.4)', () => {
      expect(count(gaps, /<polyline /)).toBe(2);
    });

    it('gives no exponent for the α with a single value', () => {
      expect(gaps).toContain('>α = 0.4</text>');
      expect(gaps).not.toContain('α = 0.4: ∝');
    });

    it('all-null data still gives a well-formed figure with 9 gray cells and no polylines', () => {
      const empty = sweepPlotSvg({ ...data, values: ALPHAS.map(() => LAMBDAS.map(() => null)) });
      expect(xmlProblem(empty)).toBeNull();
      expect(count(empty, /fill="#ccc"/)).toBe(9);
      expect(count(empty, /<polyline /)).toBe(0);
    });
  });

  it('does not draw a polyline through zero or negative values (log axes)', () => {
    const svgWithZero = sweepPlotSvg({ ...SQUARE, values: [[0, -1, 5], [1, 2, 3], [4, 5, 6]] });
    expect(count(svgWithZero, /<polyline /)).toBe(2);
  });

  it("escapes '<' and '&' in the metric name", () => {
    const escaped = sweepPlotSvg({ ...SQUARE, metric: 'a<b&c_ms' });
    expect(escaped).toContain('a&lt;b&amp;c (ms)');
    expect(escaped).not.toContain('a<b');
    expect(xmlProblem(escaped)).toBeNull();
  });
});

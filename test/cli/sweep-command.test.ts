// `ecs-sim sweep` and `ecs-sim merge`, run as subprocesses of the built CLI.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFile, ecsSim, scratchDirectory, startEcsSim } from '../helpers/cli.js';

/**
 * Pure diffusion from a bolus, the probe 10 voxels out: t_peak = r² λ²/(6 D) for any α.
 */
const DIFFUSION_ONLY = {
  grid: { size: [41, 41, 41], spacing_um: 4 },
  sources: [{ type: 'bolus', position_um: [82, 82, 82], amount_mol: 1e-13 }],
  probes: [{ name: 'r40', position_um: [122, 82, 82] }],
  duration_ms: 1000,
};
const COLUMNS = 'alpha,lambda,r40_peak_mM,r40_t_peak_ms,r40_t_half_ms,excess_half_time_ms,excess_tenth_time_ms,model';

function table(path: string): { header: string; rows: number[][] } {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  return { header, rows: lines.map((line) => line.split(',').map((cell) => (cell === '' ? NaN : Number(cell)))) };
}

describe('ecs-sim sweep', () => {
  it('with --time-error follows every read-out with its estimated time error, small against the read-out', async () => {
    const directory = scratchDirectory();
    const out = join(directory, 'table.csv');
    const { code } = await ecsSim('sweep', configFile(DIFFUSION_ONLY), '--alpha', '0.2', '--lambda', '1.4,1.8',
      '--out', out, '--time-error', '--workers', '2');
    expect(code).toBe(0);
    const { header, rows } = table(out);
    expect(header).toBe('alpha,lambda,r40_peak_mM,r40_peak_mM_time_error,r40_t_peak_ms,r40_t_peak_ms_time_error,' +
      'r40_t_half_ms,r40_t_half_ms_time_error,excess_half_time_ms,excess_half_time_ms_time_error,' +
      'excess_tenth_time_ms,excess_tenth_time_ms_time_error,model');
    for (const row of rows) {
      // peak and t_peak: an estimate above 0 and below the 0.1% the default tolerance allows.
      for (const column of [2, 4]) {
        expect(row[column + 1]).toBeGreaterThan(0);
        expect(row[column + 1]).toBeLessThan(1e-3 * Math.abs(row[column] - (column === 2 ? 3 : 0)));
      }
    }
  });

  it('writes one row per (α, λ) in order, the documented columns, an SVG plot, and the measured λ² scaling', async () => {
    const directory = scratchDirectory();
    const out = join(directory, 'table.csv'), plot = join(directory, 'fig.svg');
    const { code, stdout } = await ecsSim('sweep', configFile(DIFFUSION_ONLY), '--alpha', '0.1,0.2,0.4',
      '--lambda', '1.4:2.2:0.4', '--out', out, '--plot', plot, '--metric', 'r40_t_peak_ms', '--workers', '2');
    expect(code).toBe(0);
    const { header, rows } = table(out);
    expect(header).toBe(COLUMNS);
    expect(rows.map((row) => [row[0], row[1]])).toEqual(
      [[0.1, 1.4], [0.1, 1.8], [0.1, 2.2], [0.2, 1.4], [0.2, 1.8], [0.2, 2.2], [0.4, 1.4], [0.4, 1.8], [0.4, 2.2]]);
    // The summary answers the scaling question: t_peak ∝ λ^p with p within 0.1 of 2, not ∝ α.
    const exponent = Number(/r40_t_peak_ms: ∝ λ\^([-0-9.]+)/.exec(stdout)![1]);
    expect(Math.abs(exponent - 2)).toBeLessThan(0.1);
    const spread = Number(/r40_t_peak_ms: .*varies by ≤ ([0-9.]+)% across α/.exec(stdout)![1]);
    expect(spread).toBeLessThan(2);
    const svg = readFileSync(plot, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect [^>]*><title>α/g)).toHaveLength(9);
    expect(svg).toContain('r40 t_peak (ms)');
  });

  it('runs its share with --shard i/N, and merge joins the shards into the full table', async () => {
    const directory = scratchDirectory();
    const config = configFile(DIFFUSION_ONLY);
    const parts = [1, 2, 3].map((i) => join(directory, `part${i}.csv`));
    for (const [index, part] of parts.entries()) {
      const result = await ecsSim('sweep', config, '--alpha', '0.2,0.3', '--lambda', '1.5,1.6,1.7,1.8', '--out', part,
        '--shard', `${index + 1}/3`, '--workers', '1');
      expect(result.code).toBe(0);
    }
    expect(parts.map((part) => table(part).rows.length)).toEqual([3, 3, 2]);
    const merged = join(directory, 'all.csv');
    expect((await ecsSim('merge', ...parts, '--out', merged)).code).toBe(0);
    const { header, rows } = table(merged);
    expect(header).toBe(COLUMNS);
    expect(rows).toHaveLength(8);
    expect(rows.map((row) => row[1])).toEqual([1.5, 1.6, 1.7, 1.8, 1.5, 1.6, 1.7, 1.8]);
  });

  it('keeps the finished rows when stopped with Ctrl-C (exit 130), and --resume runs only the rest', async () => {
    const directory = scratchDirectory();
    const out = join(directory, 'table.csv');
    const config = configFile({ ...DIFFUSION_ONLY, grid: { size: [49, 49, 49], spacing_um: 5 }, duration_ms: 3000 });
    const args = ['sweep', config, '--alpha', '0.1,0.2,0.3,0.4', '--lambda', '1.4,1.6,1.8', '--out', out, '--workers', '1'];
    const child = startEcsSim(...args);
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    // Wait for the first finished row, then interrupt.
    while (!existsSync(out) || table(out).rows.length < 1) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(130);
    const partial = table(out).rows.length;
    expect(partial).toBeGreaterThanOrEqual(1);
    expect(partial).toBeLessThan(12);
    expect(stderr).toContain('--resume');
    const resumed = await ecsSim(...args, '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`${12 - partial} simulations`);
    expect(table(out).rows).toHaveLength(12);
  });

  it('refuses bad input with exit code 2 and one line: invalid α in the list, a bad range, a bad shard, a missing flag', async () => {
    const config = configFile(DIFFUSION_ONLY);
    const cases: [string[], string][] = [
      [['--alpha', '0.2,1.5', '--lambda', '1.6', '--out', 'x.csv'], 'tissue.alpha = 1.5'],
      [['--alpha', '0.3:0.1:0.1', '--lambda', '1.6', '--out', 'x.csv'], 'stop ≥ start'],
      [['--alpha', '0.2', '--lambda', '1.6', '--out', 'x.csv', '--shard', '4/3'], '--shard = "4/3"'],
      [['--alpha', '0.2', '--out', 'x.csv'], '--lambda is required'],
      [['--alpha', '0.2', '--lambda', '1.6', '--out', 'x.csv', '--plot', 'p.svg', '--metric', 'nope'], '--metric = "nope"'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await ecsSim('sweep', config, ...args);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('ecs-sim merge', () => {
  it('refuses tables with different columns', async () => {
    const directory = scratchDirectory();
    const a = join(directory, 'a.csv'), b = join(directory, 'b.csv');
    await ecsSim('sweep', configFile(DIFFUSION_ONLY), '--alpha', '0.2', '--lambda', '1.6', '--out', a, '--workers', '1');
    await ecsSim('sweep', configFile({ ...DIFFUSION_ONLY, probes: [{ name: 'other', position_um: [90, 82, 82] }] }),
      '--alpha', '0.2', '--lambda', '1.6', '--out', b, '--workers', '1');
    const { code, stderr } = await ecsSim('merge', a, b, '--out', join(directory, 'all.csv'));
    expect(code).toBe(2);
    expect(stderr).toContain('has columns');
  });
});

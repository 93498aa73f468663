// The command line, run as a user runs it: the built dist/cli/main.js in a subprocess.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFile, ecsSim, scratchDirectory } from '../helpers/cli.js';

describe('ecs-sim run', () => {
  it('prints a readable summary of the default simulation', async () => {
    const { code, stdout } = await ecsSim('run');
    expect(code).toBe(0);
    expect(stdout).toMatch(/r50\s+3\.5\d+\s+/);
    expect(stdout).toMatch(/mass: released 2\.000e-13 mol/);
  });

  it('prints one JSON object with --json', async () => {
    const path = configFile({ grid: { size: [31, 31, 31], spacing_um: 5 }, duration_ms: 300 });
    const { code, stdout } = await ecsSim('run', path, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(
      ['version', 'config', 'dt_ms', 'steps', 'stepping', 'probes', 'clearance', 'grid_check', 'mass', 'timing', 'warnings']);
    expect(Object.keys(result.probes[0])).toEqual(
      ['name', 'position_um', 'baseline_mM', 'peak_mM', 't_peak_ms', 't_half_ms', 'final_mM', 'EK_baseline_mV', 'EK_peak_mV',
        'Vrest_baseline_mV', 'Vrest_peak_mV', 'driving_force_baseline_mV', 'driving_force_peak_mV', 'time_error', 'grid_error',
        'extrapolated']);
    // Every read-out carries its time error (the run repeated with every step halved); no grid check was asked for.
    expect(Object.keys(result.probes[0].time_error)).toEqual(['peak_mM', 't_peak_ms', 't_half_ms', 'final_mM']);
    expect(result.probes[0].time_error.t_peak_ms).toBeGreaterThan(0);
    expect(result.probes[0].time_error.t_peak_ms).toBeLessThan(1e-3 * result.probes[0].t_peak_ms);
    expect(result.probes[0].grid_error).toBeNull();
    expect(result.grid_check).toBeNull();
    expect(result.stepping.steps).toBe(result.steps);
    // The reference neuron (1 : 0.05 : 0.45, K 140/3, Na 15/145, Cl 7/120) rests at −71.5 mV.
    expect(result.probes[0].Vrest_baseline_mV).toBeCloseTo(-71.5, 1);
    expect(result.probes[0].driving_force_baseline_mV).toBeCloseTo(-71.53 + 102.71, 1);
    // E_K at the 3 mM baseline with 140 mM inside, 37 °C: −102.7 mV.
    expect(result.probes[0].EK_baseline_mV).toBeCloseTo(-102.7, 1);
    expect(result.probes[0].EK_peak_mV).toBeGreaterThan(result.probes[0].EK_baseline_mV);
    expect(result.mass.balance_relative_error).toBeLessThan(1e-6);
  });

  it('says why each null is null: E_K at a 0 mM baseline (−∞), a t_half not reached; the text shows −∞ and —', async () => {
    const path = configFile({ grid: { size: [21, 21, 21], spacing_um: 5 }, species: { baseline_mM: 0 }, boundary: { value_mM: 0 },
      probes: [{ name: 'c', position_um: [52.5, 52.5, 52.5] }, { name: 'far', position_um: [100, 52.5, 52.5] }], duration_ms: 20 });
    const json = JSON.parse((await ecsSim('run', path, '--no-time-error', '--json')).stdout);
    expect(json.probes[0].EK_baseline_mV).toBeNull();
    expect(json.probes[0].EK_peak_mV).toBeGreaterThan(0);
    expect(json.probes[1].t_half_ms).toBeNull();
    expect(json.warnings).toEqual([
      'probe c: EK_baseline_mV is null in JSON, as are the driving forces from it: E_K is −∞ at 0 mM outside (species.baseline_mM 0)',
      'probe far: EK_baseline_mV is null in JSON, as are the driving forces from it: E_K is −∞ at 0 mM outside (species.baseline_mM 0)',
      'probe far: t_half_ms is null: the excess had not fallen to half its peak within duration_ms (20 ms)',
      'excess_half_time_ms is null: the total excess had not fallen to half its peak within duration_ms (20 ms)',
      'excess_tenth_time_ms is null: the total excess had not fallen to a tenth of its peak within duration_ms (20 ms)',
    ]);
    const text = (await ecsSim('run', path, '--no-time-error')).stdout;
    expect(text).toMatch(/^ {2}c .* −∞ → \d/m);
    expect(text).toContain('—: not reached within duration_ms (20.00 ms)');
    expect(text).toContain('warning: probe c: EK_baseline_mV is null in JSON');
    expect(text).not.toContain('warning: probe far: t_half_ms');
  });

  it('refuses a bad config with exit code 2 and a one-line message naming field, value, range and unit', async () => {
    const { code, stdout, stderr } = await ecsSim('run', configFile({ tissue: { alpha: 1.5 } }));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('tissue.alpha = 1.5');
    expect(stderr).toContain('≤ 1 (volume fraction, dimensionless)');
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses runs over the step budget (a subnormal dt_ms, a 1e-6 µm spacing) at once with exit code 2 and the step count', async () => {
    const started = Date.now();
    const subnormal = await ecsSim('run', configFile({ dt_ms: 5e-324 }));
    expect(subnormal.code).toBe(2);
    expect(subnormal.stderr.trim().split('\n')).toHaveLength(1);
    expect(subnormal.stderr).toContain('dt_ms = 5e-324: the run would take at least ∞ steps');
    const fine = await ecsSim('run', configFile({ grid: { size: [9, 9, 9], spacing_um: 1e-6 }, probes: [],
      sources: [{ type: 'bolus', position_um: [4e-6, 4e-6, 4e-6] }] }));
    expect(fine.code).toBe(2);
    expect(fine.stderr).toMatch(/grid\.spacing_um = 0\.000001: the run would take at least [\d.]+e\+\d+ steps .* days/);
    const glia = await ecsSim('run', configFile({ grid: { size: [9, 9, 9], spacing_um: 5 }, probes: [],
      uptake: { glia: { conductance_S_per_m3: 1e11 } }, accuracy: { relative_tolerance: 1e-6 } }));
    expect(glia.code).toBe(2);
    expect(glia.stderr).toContain('uptake.glia.conductance_S_per_m3 = 100000000000: the run would take at least');
    const instant = await ecsSim('run', configFile({ duration_ms: 1e-322 }));
    expect(instant.code).toBe(2);
    expect(instant.stderr).toContain('duration_ms = 1e-322: out of range: must be ≥ 0.001');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a tissue that is not an object (5, null, []) in run, sweep and rti, with or without --alpha, as the library does', async () => {
    for (const tissue of [5, null, []]) {
      const path = configFile({ tissue, grid: { size: [9, 9, 9], spacing_um: 5 }, probes: [] });
      for (const args of [['run', path], ['run', path, '--alpha', '0.1'], ['sweep', path, '--alpha', '0.2', '--lambda', '1.6', '--out',
        join(scratchDirectory(), 't.csv')], ['rti', path]]) {
        const { code, stderr } = await ecsSim(...args);
        expect(code, args.join(' ')).toBe(2);
        expect(stderr).toContain(`tissue = ${JSON.stringify(tissue)}: must be an object`);
      }
    }
  });

  it('never echoes a control character or a megabyte: escapes in flags, commands and config values are shown as \\u escapes, long values cut', async () => {
    const results = [
      await ecsSim('run', '--alpha', '\u001b[2J\u001b[H0.2'),
      await ecsSim('\u001b[2Jfly'),
      await ecsSim('run', configFile({ boundary: { type: `\u001b]0;title\u0007${'x'.repeat(1e5)}` } })),
      await ecsSim('run', configFile({ probes: [{ name: 'r\u001b[31m30', position_um: [10, 10, 10] }] })),
    ];
    for (const { code, stderr } of results) {
      expect(code).toBe(2);
      expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      expect(stderr).toContain('\\u001b');
      expect(stderr.length).toBeLessThan(1200);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('prints its version with --version, usage for presets --help, and names --help once for an unknown command', async () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(await ecsSim('--version')).toMatchObject({ code: 0, stdout: `ecs-sim ${manifest.version}\n` });
    const presets = await ecsSim('presets', '--help');
    expect(presets.code).toBe(0);
    expect(presets.stdout).toMatch(/^usage: ecs-sim presets\n/);
    const unknown = await ecsSim('fly');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.match(/--help/g)).toHaveLength(1);
  });

  it('sets any config field with --set (after the file and preset, before --alpha), in run and sweep', async () => {
    const path = configFile({ grid: { size: [21, 21, 21], spacing_um: 5 }, duration_ms: 100, probes: [{ name: 'c', position_um: [62.5, 52.5, 52.5] }] });
    const run = async (...args: string[]) => JSON.parse((await ecsSim('run', path, '--no-time-error', '--json', ...args)).stdout);
    const plain = await run();
    const cleared = await run('--set', 'uptake.k_ecs_per_ms=0.05', '--set', 'tissue.alpha=0.3', '--alpha', '0.25');
    expect(cleared.config.uptake.k_ecs_per_ms).toBe(0.05);
    expect(cleared.config.tissue.alpha).toBe(0.25);
    expect(cleared.mass.uptake_mol).toBeGreaterThan(0);
    expect(cleared.probes[0].peak_mM).toBeLessThan(plain.probes[0].peak_mM);
    const refused = await ecsSim('run', path, '--set', 'uptake.k_ecs_per_ms=-1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('uptake.k_ecs_per_ms = -1');
    const table = join(scratchDirectory(), 't.csv');
    const sweep = await ecsSim('sweep', path, '--alpha', '0.2', '--lambda', '1.6', '--set', 'duration_ms=50', '--out', table);
    expect(sweep.code, sweep.stderr).toBe(0);
    const swept = readFileSync(table, 'utf8').trim().split('\n');
    expect(swept).toHaveLength(2);
  });

  it('refuses a missing file, invalid JSON and an unknown command with exit code 2', async () => {
    expect((await ecsSim('run', '/nonexistent/config.json')).code).toBe(2);
    const broken = join(mkdtempSync(join(tmpdir(), 'ecs-sim-')), 'broken.json');
    writeFileSync(broken, '{ "grid": ');
    const invalid = await ecsSim('run', broken);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('not valid JSON');
    expect((await ecsSim('fly')).code).toBe(2);
  });

  it('applies --preset, then the config file, then --alpha/--lambda (later wins)', async () => {
    const path = configFile({ grid: { size: [21, 21, 21], spacing_um: 5 }, tissue: { lambda: 1.7 }, duration_ms: 50 });
    const preset = JSON.parse((await ecsSim('run', path, '--preset', 'ischemia', '--json')).stdout);
    expect(preset.config.tissue).toMatchObject({ alpha: 0.1, lambda: 1.7 });
    const flags = JSON.parse((await ecsSim('run', path, '--preset', 'ischemia', '--alpha', '0.3', '--json')).stdout);
    expect(flags.config.tissue).toMatchObject({ alpha: 0.3, lambda: 1.7 });
    const unknown = await ecsSim('run', '--preset', 'mars');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown preset "mars"; available: cortex');
  });

  it('writes the probe series with --series: t_ms and one <probe>_mM column per probe, every step', async () => {
    const series = join(scratchDirectory(), 'series.csv');
    const path = configFile({ grid: { size: [21, 21, 21], spacing_um: 5 }, duration_ms: 40,
      probes: [{ name: 'near', position_um: [60, 52.5, 52.5] }, { name: 'far', position_um: [80, 52.5, 52.5] }] });
    const { code, stdout } = await ecsSim('run', path, '--series', series, '--json');
    expect(code).toBe(0);
    const steps = JSON.parse(stdout).steps;
    const lines = readFileSync(series, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('t_ms,near_mM,far_mM');
    expect(lines).toHaveLength(steps + 2);
    expect(lines[1]).toBe('0,3,3');
  });

  it('refuses a non-numeric --alpha and an unknown option with exit code 2', async () => {
    const notANumber = await ecsSim('run', '--alpha', 'x');
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('--alpha = "x": must be a number (volume fraction, dimensionless)');
    const unknown = await ecsSim('run', '--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('ecs-sim presets', () => {
  it('lists every named tissue state with α, λ and its source', async () => {
    const { code, stdout } = await ecsSim('presets');
    expect(code).toBe(0);
    for (const name of ['cortex', 'ischemia', 'spreading-depression', 'awake', 'asleep', 'hypo-osmotic', 'hyper-osmotic', 'agarose']) {
      expect(stdout).toMatch(new RegExp(`^${name}\\s+[0-9.]+\\s+[0-9.]+\\s+.*\\(.+\\)$`, 'm'));
    }
    expect(stdout).toContain('Hrabětová & Nicholson 2000');
  });
});

// The contract of `npm run bench -- --json`: one JSON object { machine, results: [ { kernel, uptake,
// impl, n, voxel_updates_per_s } ], same_arithmetic, time_to_solution, memory }, run as a user
// would with --quick (64³ only, time-to-solution problem c left out). It checks the shape, that
// every number is a measurement, that wasm, plain JS and C compute the same stage, and that the
// time-to-solution rows hold what they claim (the product and the "within 0.1%" forward-Euler run
// within 0.1% of the exact semi-discrete solution) — not the speeds: those vary with the machine
// (see the README's performance section). Needs `npm run build` first (npm test does it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

interface Run {
  method: string;
  dt_ms: number | 'auto';
  dt_over_limit?: number;
  wall_s: number;
  steps: number;
  stencil_passes: number;
  passes_per_simulated_s: number;
  errors: Record<string, number>;
  worst_error: number;
}

interface Solution {
  problem: string;
  duration_ms: number;
  runs: Run[];
  euler_within_target: boolean;
  vs_neuron?: { neuron_s: number; time_ratio: number };
}

describe('npm run bench -- --json', () => {
  it('prints one JSON object: stage throughput of every kernel, uptake and implementation, the same-arithmetic check, ' +
    'time to solution before and after, memory', () => {
    const output = execFileSync(process.execPath, ['bench/kernel-bench.mjs', '--quick', '--json'], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(output);
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    const implementations = report.note ? ['wasm', 'js'] : ['wasm', 'js', 'native'];
    for (const kernel of ['uniform', 'heterogeneous']) {
      for (const uptake of [false, true]) {
        for (const impl of implementations) {
          const row = report.results.find((r: { kernel: string; uptake: boolean; impl: string; n: number }) =>
            r.kernel === kernel && r.uptake === uptake && r.impl === impl && r.n === 64);
          expect(row, `${kernel} ${uptake} ${impl}`).toBeDefined();
          expect(row.voxel_updates_per_s).toBeGreaterThan(1e6);
          expect(Number.isFinite(row.voxel_updates_per_s)).toBe(true);
        }
      }
    }

    // The three implementations compute the same stage: bit-identical registers, f64 sums to 1e-9.
    expect(report.same_arithmetic.cases).toHaveLength(4);
    for (const check of report.same_arithmetic.cases) {
      expect(Object.keys(check.hashes).sort()).toEqual([...implementations].sort());
      expect(check.registers_identical, `${check.kernel} uptake ${check.uptake}: ${JSON.stringify(check.hashes)}`).toBe(true);
      expect(check.sums_agree, `${check.kernel} uptake ${check.uptake}`).toBe(true);
    }

    // Time to solution: --quick leaves out problem c (its forward-Euler search alone takes a minute).
    expect(report.skipped_problems).toEqual(['c']);
    expect(report.time_to_solution.map((s: Solution) => s.problem)).toEqual(['a', 'b', 'd']);
    for (const solution of report.time_to_solution as Solution[]) {
      const [before, ...rest] = solution.runs;
      const after = rest[rest.length - 1];
      expect(before.method).toMatch(/forward Euler, 0\.9 × limit/);
      expect(before.dt_over_limit).toBeGreaterThan(0.85);
      expect(before.dt_over_limit).toBeLessThanOrEqual(0.9);
      expect(after.dt_ms).toBe('auto');
      expect(solution.runs).toHaveLength(solution.euler_within_target ? 3 : 2);
      for (const run of solution.runs) {
        expect(run.wall_s, `${solution.problem} ${run.method}`).toBeGreaterThan(0);
        expect(run.steps).toBeGreaterThan(0);
        expect(run.stencil_passes).toBeGreaterThanOrEqual(run.steps);
        expect(run.passes_per_simulated_s).toBeCloseTo(run.stencil_passes / (solution.duration_ms / 1000), 6);
        expect(Object.keys(run.errors).length).toBeGreaterThan(0);
        for (const error of Object.values(run.errors)) expect(Number.isFinite(error)).toBe(true);
      }
      // The product's contract: every read-out within the default tolerance (1e-3) of the exact value.
      expect(after.worst_error, `${solution.problem}: RKL2`).toBeLessThanOrEqual(1e-3);
      if (solution.euler_within_target) expect(solution.runs[1].worst_error).toBeLessThanOrEqual(1e-3);
    }
    const a = report.time_to_solution[0] as Solution;
    expect(a.vs_neuron?.neuron_s).toBe(4);
    expect(a.vs_neuron?.time_ratio).toBeGreaterThan(0);

    // 12 and 28 bytes/voxel, plus the boundary block and static data (≪ 1 byte/voxel at 256³).
    const memory = Object.fromEntries(report.memory.map((m: { kernel: string; bytes_per_voxel: number }) => [m.kernel, m.bytes_per_voxel]));
    expect(memory.uniform).toBeGreaterThanOrEqual(12);
    expect(memory.uniform).toBeLessThan(12.1);
    expect(memory.heterogeneous).toBeGreaterThanOrEqual(28);
    expect(memory.heterogeneous).toBeLessThan(28.2);
  }, 180_000);
});

// `ecs-sim run`: one simulation, summarised for a reader or as one JSON object.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulation, runWithTimeError, checkGrid, type GridCheck } from '../core/index.js';
import { csvLine } from './csv.js';
import { checkWritable, OutputError, writeFileAtomically } from './output-file.js';
import { withTissue } from '../core/presets.js';
import { loadConfig, resolveForRun } from './load-config.js';
import { parseCommand, parseNumber, UsageError } from './options.js';
import { formatSummary, summarize } from './summary.js';

export const RUN_USAGE = `usage: ecs-sim run [config.json] [--preset NAME] [--alpha A] [--lambda L] [--tolerance T] [--no-time-error]
                   [--check-grid] [--set PATH=VALUE …] [--json] [--series out.csv]
  config.json: see docs/config.md (default {}: a K⁺ bolus in normal cortex); --preset: a tissue state (ecs-sim presets)
  --set PATH=VALUE: set any config field over the file and preset, e.g. --set uptake.k_ecs_per_ms=0.002,
         --set sources[0].amount_mol=1e-13, --set duration_ms=5000 (VALUE is JSON, or text: --set dt_ms=auto)
  --alpha, --lambda: override the tissue's α and λ (after --set); --json: one JSON object on stdout
  --tolerance: accuracy.relative_tolerance, the time error allowed (default 1e-3 = 0.1%)
  --no-time-error: one run, without the second run (every step halved) that measures each read-out's time error
  --check-grid: also run on a grid of three times the voxels per axis at a third of the spacing (27× the voxels,
                up to ~80× the time), and report each read-out's grid error and its value extrapolated to h → 0
  --series: write t_ms and a <probe>_mM column per probe, every step (thinned past 256 MiB, see docs/outputs.md)`;

export async function runCommand(args: string[]): Promise<number> {
  const line = parseCommand(args, {
    alpha: { type: 'string' }, lambda: { type: 'string' }, json: { type: 'boolean' }, series: { type: 'string' },
    preset: { type: 'string' }, set: { type: 'string', multiple: true }, tolerance: { type: 'string' }, 'no-time-error': { type: 'boolean' }, 'check-grid': { type: 'boolean' },
  });
  if (line.flag('help')) {
    console.log(RUN_USAGE);
    return 0;
  }
  if (line.positionals.length > 1) throw new UsageError(`expected at most one config file, got ${line.positionals.length}`);
  const alpha = line.text('alpha'), lambda = line.text('lambda'), series = line.text('series');
  if (series) checkWritable(series, '--series');
  const tissueConfig = withTissue(await loadConfig(line.positionals[0], line.text('preset'), line.texts('set')),
    alpha === undefined ? undefined : parseNumber(alpha, '--alpha', 'volume fraction, dimensionless'),
    lambda === undefined ? undefined : parseNumber(lambda, '--lambda', 'tortuosity, dimensionless'));
  const tolerance = line.text('tolerance');
  const config = tolerance === undefined ? tissueConfig : {
    ...tissueConfig,
    accuracy: { ...(tissueConfig as { accuracy?: object }).accuracy, relative_tolerance: parseNumber(tolerance, '--tolerance', 'relative time error, dimensionless') },
  };

  resolveForRun(config);
  const showProgress = !line.flag('json') && process.stderr.isTTY;
  const progress = (fraction: number) => process.stderr.write(`\r  simulating: ${(100 * fraction).toFixed(0)}%\x1b[K`);
  const checking = line.flag('check-grid');
  // With --check-grid the refined run takes about as long as everything before it, or longer.
  const share = checking ? 0.2 : 1;
  let simulation: Simulation;
  let timeError = null;
  let wall_ms: number;
  let voxel_updates: number | undefined;
  if (line.flag('no-time-error')) {
    simulation = await Simulation.create(config);
    const started = performance.now();
    const duration = simulation.config.duration_ms;
    simulation.run(showProgress ? (time_ms) => progress(share * time_ms / duration) : undefined);
    wall_ms = performance.now() - started;
  } else {
    const result = await runWithTimeError(config, {}, showProgress ? (fraction) => progress(share * fraction) : undefined);
    ({ simulation, timeError, wall_ms, voxel_updates } = result);
  }
  let grid: GridCheck | null = null;
  if (checking) {
    grid = await checkGrid(simulation, {}, showProgress ? (fraction) => progress(share + (1 - share) * fraction) : undefined);
    wall_ms += grid.wall_ms;
    const [nx, ny, nz] = simulation.config.grid.size;
    voxel_updates = (voxel_updates ?? nx * ny * nz * simulation.stepping().stencil_passes) + grid.voxel_updates;
  }
  const summary = summarize(simulation, { wall_ms, voxel_updates, timeError, grid });
  if (showProgress) process.stderr.write('\r\x1b[K');
  console.log(line.flag('json') ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  if (series) {
    const { time_ms, values_mM } = simulation.probeSeries();
    const lines = [csvLine(['t_ms', ...simulation.config.probes.map((probe) => `${probe.name}_mM`)])];
    for (let s = 0; s < time_ms.length; s++) lines.push(csvLine([time_ms[s], ...values_mM.map((column) => column[s])]));
    try {
      writeFileAtomically(series, lines.join(''));
    } catch (error) {
      if (!(error instanceof OutputError)) throw error;
      // Keep what was computed: the series goes to a temporary file instead, and the message says where.
      const kept = join(tmpdir(), `ecs-sim-series-${process.pid}.csv`);
      writeFileAtomically(kept, lines.join(''));
      throw new OutputError(`${error.message}; the probe series (${time_ms.length} samples) is in ${kept} instead`);
    }
    if (!line.flag('json')) {
      const { thinnings } = simulation.probeSeries();
      console.log(`  probe series (${time_ms.length} samples${thinnings ? `, thinned ${thinnings}× to keep memory bounded: ` +
        'every step near each peak and half crossing, every 2nd, 4th, … elsewhere' : ''}): ${series}`);
    }
  }
  return 0;
}

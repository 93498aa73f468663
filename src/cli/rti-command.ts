// `ecs-sim rti`: a virtual real-time iontophoresis experiment — the curve an ion-selective electrode
// at distance r records in the simulated tissue, next to the closed form for homogeneous tissue.
import { Simulation, rtiModel_mM, fitRti, type RtiExperiment } from '../core/index.js';
import { csvLine } from './csv.js';
import { checkWritable, writeFileAtomically } from './output-file.js';
import { withTissue } from '../core/presets.js';
import { loadConfig } from './load-config.js';
import { parseCommand, parseNumber, UsageError } from './options.js';

export const RTI_USAGE = `usage: ecs-sim rti [config.json] [--species TMA|K] [--r-um 120] [--current-nA 80] [--transport-number 0.4]
         [--pulse-start-ms 5000] [--pulse-ms 50000] [--record-ms 80000] [--alpha A] [--lambda L] [--k-ecs-per-ms K]
         [--out curve.csv] [--json]
  Simulates the electrode's curve (tissue from the config: regions allowed) and writes t_ms, c_mM (simulated)
  and analytic_mM (homogeneous tissue with the config's α, λ, k′); then fits it back.`;

/** Free diffusion coefficients of the probe ions at 37 °C (µm²/ms). */
const SPECIES: Record<string, { D_um2_per_ms: number; baseline_mM: number }> = {
  TMA: { D_um2_per_ms: 1.3, baseline_mM: 0.5 },
  K: { D_um2_per_ms: 2.62, baseline_mM: 3 },
};

export async function rtiCommand(args: string[]): Promise<number> {
  const text = { type: 'string' } as const;
  const line = parseCommand(args, {
    species: text, 'r-um': text, 'current-nA': text, 'transport-number': text, 'pulse-start-ms': text, 'pulse-ms': text,
    'record-ms': text, alpha: text, lambda: text, 'k-ecs-per-ms': text, out: text, preset: text, json: { type: 'boolean' },
  });
  if (line.flag('help')) {
    console.log(RTI_USAGE);
    return 0;
  }
  const number = (flag: string, fallback: number, unit: string) => {
    const given = line.text(flag);
    const value = given === undefined ? fallback : parseNumber(given, `--${flag}`, unit);
    if (!(value >= 0)) throw new UsageError(`--${flag} = ${value}: must be ≥ 0 (${unit})`);
    return value;
  };
  const speciesName = line.text('species') ?? 'TMA';
  const species = SPECIES[speciesName];
  if (!species) throw new UsageError(`--species = "${speciesName}": must be one of ${Object.keys(SPECIES).join(', ')}`);
  const r_um = number('r-um', 120, 'µm');
  const current_nA = number('current-nA', 80, 'nA');
  const transport_number = number('transport-number', 0.4, 'dimensionless');
  const pulse_start_ms = number('pulse-start-ms', 5000, 'ms');
  const pulse_ms = number('pulse-ms', 50_000, 'ms');
  const record_ms = number('record-ms', 80_000, 'ms');
  const alphaText = line.text('alpha'), lambdaText = line.text('lambda'), kText = line.text('k-ecs-per-ms');

  const base = await loadConfig(line.positionals[0], line.text('preset'));
  // Defaults: a 1 mm box of 10 µm voxels around the source, the electrode r µm along x.
  const grid = (base.grid as { size: [number, number, number]; spacing_um: number } | undefined) ?? { size: [101, 101, 101], spacing_um: 10 };
  const centre = grid.size.map((n) => (n * grid.spacing_um) / 2) as [number, number, number];
  const uptake = { ...(base.uptake as Record<string, unknown> | undefined) };
  if (kText !== undefined) uptake.k_ecs_per_ms = parseNumber(kText, '--k-ecs-per-ms', '1/ms');
  const config = withTissue({
    ...base, grid,
    species: { name: speciesName, valence: 1, ...species, ...(base.species as object | undefined) },
    uptake,
    sources: [{ type: 'iontophoresis', position_um: centre, current_nA, transport_number, start_ms: pulse_start_ms, duration_ms: pulse_ms }],
    probes: [{ name: 'electrode', position_um: [centre[0] + r_um, centre[1], centre[2]] }],
    duration_ms: record_ms,
  }, alphaText === undefined ? undefined : parseNumber(alphaText, '--alpha', 'volume fraction, dimensionless'),
  lambdaText === undefined ? undefined : parseNumber(lambdaText, '--lambda', 'tortuosity, dimensionless'));

  const out = line.text('out');
  if (out) checkWritable(out, '--out');
  const simulation = await Simulation.create(config);
  simulation.run();
  const resolved = simulation.config;
  const { time_ms, values_mM } = simulation.probeSeries();
  const experiment: RtiExperiment = {
    r_um, current_nA, transport_number, D_um2_per_ms: resolved.species.D_um2_per_ms, pulse_start_ms, pulse_ms,
    baseline_mM: resolved.species.baseline_mM,
  };
  const medium = { alpha: resolved.tissue.alpha, lambda: resolved.tissue.lambda, D_um2_per_ms: resolved.species.D_um2_per_ms,
    k_ecs_per_ms: resolved.uptake.k_ecs_per_ms };
  const analytic = Array.from(time_ms, (t) => resolved.species.baseline_mM + rtiModel_mM(medium, experiment, t));
  if (out) {
    writeFileAtomically(out, [csvLine(['t_ms', 'c_mM', 'analytic_mM']),
      ...Array.from(time_ms, (t, s) => csvLine([t, values_mM[0][s], analytic[s]]))].join(''));
  }
  const fit = fitRti(Array.from(time_ms), Array.from(values_mM[0]), { ...experiment, baseline_mM: undefined });
  let worst = 0, peak = 0;
  analytic.forEach((a, s) => {
    peak = Math.max(peak, a - resolved.species.baseline_mM);
    worst = Math.max(worst, Math.abs(values_mM[0][s] - a));
  });
  const summary = {
    tissue: resolved.tissue, k_ecs_per_ms: resolved.uptake.k_ecs_per_ms, species: resolved.species.name, r_um,
    peak_excess_mM: Math.max(...Array.from(values_mM[0])) - resolved.species.baseline_mM,
    deviation_from_homogeneous: worst / peak,
    fit: { alpha: fit.alpha, lambda: fit.lambda, k_ecs_per_ms: fit.k_ecs_per_ms, warnings: fit.warnings },
    samples: time_ms.length, curve: out ?? null,
  };
  if (line.flag('json')) console.log(JSON.stringify(summary, null, 2));
  else {
    console.log(`virtual RTI: ${speciesName}⁺, ${current_nA} nA × n ${transport_number} for ${pulse_ms / 1000} s, electrode at ${r_um} µm; ` +
      `tissue α ${resolved.tissue.alpha}, λ ${resolved.tissue.lambda}${resolved.tissue.regions.length ? ` + ${resolved.tissue.regions.length} regions` : ''}, ` +
      `k′ ${resolved.uptake.k_ecs_per_ms} /ms`);
    console.log(`  peak excess ${summary.peak_excess_mM.toPrecision(4)} mM; largest difference from the homogeneous closed form ` +
      `${(100 * summary.deviation_from_homogeneous).toFixed(2)}% of its peak`);
    console.log(`  fitted back: α ${fit.alpha.toFixed(4)}, λ ${fit.lambda.toFixed(4)}, k′ ${fit.k_ecs_per_ms.toExponential(2)} /ms` +
      fit.warnings.map((w) => `\n  warning: ${w}`).join(''));
    if (out) console.log(`  curve (t_ms, c_mM, analytic_mM): ${out}`);
  }
  return 0;
}

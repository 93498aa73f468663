import { it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
it('probe', async () => {
  for (const [duration_ms, tol, size, probes] of [[100, undefined, 21, undefined], [100, undefined, 21, []], [300, undefined, 21, undefined], [1000, undefined, 21, undefined], [100, 1e-2, 21, undefined], [100, undefined, 41, undefined]] as const) {
    const cfg: any = { grid: { size: [size, size, size], spacing_um: 5 }, duration_ms };
    if (tol) cfg.accuracy = { relative_tolerance: tol };
    if (probes) cfg.probes = probes;
    const auto = await Simulation.create(cfg, { keepSchedule: true });
    auto.run();
    const e = auto.stepSchedule().end_ms;
    const steps = Array.from(e, (t, i) => t - (i ? e[i - 1] : 0));
    console.log(duration_ms, tol, size, probes, auto.stabilityLimit_ms, JSON.stringify(auto.stepping()), steps.map((s) => s.toFixed(2)).join(' '));
  }
});

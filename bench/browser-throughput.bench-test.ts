// Kernel steps per second in Chromium and in Node (64³ and 128³, uniform tissue), and frames per
// second of the page at 128³ in this machine's Chromium (software WebGL).
import { it } from 'vitest';
import { Simulation } from '../src/core/simulation.js';
import { stateToHash, defaultPageState } from '../src/app/page-state.js';
import { launchChromium, startViteServer } from '../test/helpers/browser.js';

const SIZES = [64, 128, 256];
const STEPS: Record<number, number> = { 64: 400, 128: 60, 256: 8 };

/** Uniform tissue; at 256³ also with a region, so that the heterogeneous path (24 bytes/voxel) must fit. */
function config(n: number, heterogeneous = false) {
  const regions = heterogeneous ? [{ shape: 'sphere', center_um: [2 * n, 2 * n, 2 * n], radius_um: 100, alpha: 0.07, lambda: 2 }] : [];
  return { grid: { size: [n, n, n], spacing_um: 4 }, tissue: { regions }, duration_ms: 1e6, probes: [] };
}

it('measures kernel throughput in Node and Chromium, and the page frame rate at 128³', async () => {
  const rows: string[] = [];
  for (const n of SIZES) {
    const simulation = await Simulation.create(config(n), { recordSeries: false });
    simulation.step(5);
    const started = performance.now();
    simulation.step(STEPS[n]);
    const seconds = (performance.now() - started) / 1000;
    rows.push(`node ${n}³: ${(STEPS[n] / seconds).toFixed(1)} steps/s (${((n ** 3 * STEPS[n]) / seconds / 1e6).toFixed(0)} M voxel updates/s)`);
  }
  const server = await startViteServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.goto(server.url + 'index.html#');
    for (const n of SIZES) {
      // A string, so that the test runner does not rewrite the page's dynamic import.
      const result = await page.evaluate(`(async () => {
        const { Simulation } = await import('/src/core/simulation.ts');
        const simulation = await Simulation.create(${JSON.stringify(config(n))}, { recordSeries: false });
        simulation.step(5);
        const started = performance.now();
        simulation.step(${STEPS[n]});
        return (performance.now() - started) / 1000;
      })()`) as number;
      rows.push(`chromium ${n}³: ${(STEPS[n] / result).toFixed(1)} steps/s (${((n ** 3 * STEPS[n]) / result / 1e6).toFixed(0)} M voxel updates/s)`);
    }
    const heterogeneous = await page.evaluate(`(async () => {
      const { Simulation } = await import('/src/core/simulation.ts');
      const simulation = await Simulation.create(${JSON.stringify(config(256, true))}, { recordSeries: false });
      const started = performance.now();
      simulation.step(4);
      return { seconds: (performance.now() - started) / 1000, path: simulation.kernelPath };
    })()`) as { seconds: number; path: string };
    rows.push(`chromium 256³ ${heterogeneous.path}: ${(4 / heterogeneous.seconds).toFixed(1)} steps/s (fits in memory)`);
    await page.goto(server.url + 'test/browser/fixtures/render-harness.html');
    await page.waitForFunction(() => (window as any).renderHarness !== undefined, null, { timeout: 60_000 });
    const render = await page.evaluate(() => (window as any).renderHarness.benchmark(30));
    rows.push(`viewer alone, ${render.size.join('×')} field on a ${render.canvas.join('×')} canvas: ${render.fps.toFixed(1)} frames/s`);
    for (const speed of ['max', 1000] as const) {
      const state = defaultPageState();
      state.form.grid_n = 128;
      state.view.speed = speed;
      await page.goto(server.url + stateToHash(state));
      await page.reload();
      await page.waitForFunction(() => (window as any).ecsSim?.state().ready && (window as any).ecsSim.state().steps > 5, null, { timeout: 60_000 });
      const before = await page.evaluate(() => (window as any).ecsSim.state());
      const wall = Date.now();
      await page.waitForTimeout(5000);
      const after = await page.evaluate(() => (window as any).ecsSim.state());
      const seconds = (Date.now() - wall) / 1000;
      rows.push(`page 128³ at speed ${speed === 'max' ? 'max' : '1× real time'} (800×600 view): ` +
        `${((after.frames - before.frames) / seconds).toFixed(1)} frames/s, ${((after.steps - before.steps) / seconds).toFixed(1)} steps/s in the worker`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(rows.join('\n'));
});

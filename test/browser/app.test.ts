// The web page in a real Chromium (software WebGL): it loads and runs at once, draws a cloud that
// changes, its probe read-out agrees with the core in Node, bad input shows a message without
// breaking the page, and the built static site works from a plain file server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../../src/core/format.js';
import { LiveTimeError } from '../../src/core/live-time-error.js';
import type { PageHandle } from '../../src/app/app.js';
import { defaultPageState, stateToHash } from '../../src/app/page-state.js';
import { canvasColours, launchChromium, pageCollectingErrors, PROJECT_ROOT, serveStatic, startViteServer } from '../helpers/browser.js';

type PageState = ReturnType<PageHandle['state']>;
declare global {
  interface Window { ecsSim: PageHandle }
}

let browser: Browser;
let server: Awaited<ReturnType<typeof startViteServer>>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startViteServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Pages opened by the current test; closed after it, pass or fail, so none keeps using the CPU. */
const openPages: Page[] = [];
afterEach(async () => {
  await Promise.all(openPages.splice(0).map((page) => page.close()));
});

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await pageCollectingErrors(browser, { width: 1024, height: 720 });
  openPages.push(page);
  await page.goto(url);
  await page.waitForFunction(() => window.ecsSim?.state().ready && window.ecsSim.state().time_ms > 100, null, { timeout: 60_000 });
  return { page, errors };
}

const state = (page: Page): Promise<PageState> => page.evaluate(() => window.ecsSim.state());

describe('the ecs-sim page', () => {
  it('starts a K⁺ release at once, advances, and draws a cloud whose pixels change', async () => {
    const { page, errors } = await openPage(server.url);
    const first = await state(page);
    const before = await canvasColours(page.locator('#view'));
    await page.waitForTimeout(700);
    const second = await state(page);
    const after = await canvasColours(page.locator('#view'));
    expect(second.time_ms).toBeGreaterThan(first.time_ms);
    expect(second.frames).toBeGreaterThan(first.frames);
    expect(before.distinct).toBeGreaterThan(30);
    expect(after.sum).not.toBe(before.sum);
    await page.screenshot({ path: join(tmpdir(), 'ecs-sim-page.png') });
    expect(errors).toEqual([]);
  });

  it('shows probe read-outs and their time errors equal to the core’s for the same config and step (1e-6)', async () => {
    const { page } = await openPage(server.url);
    await page.evaluate(() => window.ecsSim.pause());
    // Wait until the paused state has settled (two reads agree).
    let settled = await state(page), previous: PageState;
    do {
      previous = settled;
      await page.waitForTimeout(150);
      settled = await state(page);
    } while (settled.steps !== previous.steps || settled.playing);
    // The page measures the time error by default: its values are the half-step shadow's.
    expect(settled.timeError).toBe(true);
    const live = await LiveTimeError.create(settled.config, { recordSeries: false });
    for (let step = 0; step < settled.steps; step++) live.step();
    const positions = await page.evaluate(() => JSON.parse(decodeURIComponent(location.hash.slice(1))).probes);
    settled.probes.forEach((probe, index) => {
      const expected = live.valueAt_mM(positions[index].position_um);
      expect(Math.abs(probe.value_mM - expected) / expected).toBeLessThan(1e-6);
      const expectedError = live.timeErrorAt_mM(positions[index].position_um);
      expect(expectedError).toBeGreaterThan(0);
      expect(Math.abs(probe.timeError_mM - expectedError)).toBeLessThanOrEqual(1e-6 * expected);
    });
    // The text read-outs catch up within a few frames.
    for (const [index, probe] of settled.probes.entries()) {
      const expected = live.valueAt_mM(positions[index].position_um);
      await expect.poll(() => page.locator('#readouts .readout').nth(index).textContent(), { timeout: 10_000 })
        .toContain(`${probe.name}: [K⁺]o ${expected.toFixed(4)} ±${formatError(live.timeErrorAt_mM(positions[index].position_um))} mM`);
    }
  });

  it('shows the validation message next to α for an invalid value, and keeps running', async () => {
    const { page, errors } = await openPage(server.url);
    const alpha = page.locator('[data-field="alpha"] input');
    await alpha.fill('1.5');
    await alpha.press('Enter');
    const message = page.locator('[data-field="alpha"] + .validation-message');
    await expect.poll(() => message.textContent()).toContain('tissue.alpha = 1.5: out of range: must be > 0 and ≤ 1');
    const before = await state(page);
    await page.waitForTimeout(1500);
    const after = await state(page);
    expect(after.time_ms).toBeGreaterThan(before.time_ms);
    expect(after.frames).toBeGreaterThan(before.frames);
    // A valid value clears the message and rebuilds.
    await alpha.fill('0.3');
    await alpha.press('Enter');
    await expect.poll(async () => (await state(page)).config?.tissue.alpha).toBe(0.3);
    expect(await message.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('adds a probe where a Shift-click hits the slice', async () => {
    const withSlice = defaultPageState();
    withSlice.view.slices = [null, null, 0.5];
    const { page } = await openPage(server.url + stateToHash(withSlice));
    const before = (await state(page)).probes.length;
    const box = (await page.locator('#view').boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.up('Shift');
    await expect.poll(async () => (await state(page)).probes.length).toBe(before + 1);
  });


  it('shows heterogeneous tissue: a region chosen in the panel is simulated and outlined', async () => {
    const withRegion = defaultPageState();
    withRegion.form.region = 'sphere';
    const { page, errors } = await openPage(server.url + stateToHash(withRegion));
    const config = (await state(page)).config!;
    expect(config.tissue.regions).toHaveLength(1);
    expect(config.tissue.regions[0]).toMatchObject({ shape: 'sphere', alpha: 0.07, lambda: 2, radius_um: 40 });
    expect(errors).toEqual([]);
  });
});

/** A link (URL hash) holding exactly this JSON text or value. */
const link = (value: unknown) => '#' + encodeURIComponent(JSON.stringify(value));
const linkNotice = (page: Page) => page.evaluate(() => {
  const notice = document.getElementById('link-notice')!;
  return { shown: !notice.hidden && notice.getBoundingClientRect().height > 0, lines: Array.from(notice.querySelectorAll('.line'), (line) => line.textContent) };
});

describe('links with bad settings', () => {
  it('opens a stale or hand-edited link: each bad value named on its line with the default used, the good ones kept', async () => {
    const hash = link({
      form: { alpha: 0.3, lambda: '1.8', position: { x: 1 }, grid_n: 1e9, release: null, k_ecs_per_ms: 1e308 * 10, colour: 'red' },
      view: { window_mM: [0, 1.5], slices: null, opacity: [1], speed: 'fast', timeError: 'yes' },
      probes: [{ name: 'near', position_um: [150, 128, 128] }, { name: 5, position_um: [1, 2, 3] }, null],
      extra: true,
    });
    const { page, errors } = await openPage(server.url + hash);
    const { config, probes, linkProblems } = await state(page);
    // Good values are kept; bad ones are the defaults.
    expect(config!.tissue).toMatchObject({ alpha: 0.3, lambda: 1.6 });
    expect(config!.grid.size).toEqual([64, 64, 64]);
    expect(config!.sources[0]).toMatchObject({ type: 'bolus', position_um: [128, 128, 128] });
    expect(config!.uptake.k_ecs_per_ms).toBe(0);
    expect(probes.map((probe) => probe.name)).toEqual(['near']);
    const saved = await page.evaluate(() => JSON.parse(decodeURIComponent(location.hash.slice(1))));
    expect(saved.view).toMatchObject({ window_mM: [0, 1.5], slices: [null, null, null], opacity: 0.8, speed: 1000, timeError: true });
    const expected = [
      'Link: form.lambda = "1.8": must be a number ≥ 1 and ≤ 5 (tortuosity λ, dimensionless); using the default 1.6',
      'Link: form.position = {"x":1}: must be three numbers, each ≥ 0 and ≤ 1 (release position, fractions of the box); using the default [0.5,0.5,0.5]',
      'Link: form.grid_n = 1000000000: out of range: must be a whole number ≥ 1 and ≤ 128 (voxels per side; the panel offers 32, 48, 64, 96, 128); using the default 64',
      'Link: form.release = null: must be one of "bolus", "iontophoresis", "region" (how K⁺ is released); using the default "bolus"',
      // JSON has no Infinity: the link holds null there.
      'Link: form.k_ecs_per_ms = null: must be a number ≥ 0 and ≤ 1000 (uptake k′, 1/ms); using the default 0',
      'Link: form.colour = "red": unknown setting, ignored',
      'Link: view.slices = null: must be three entries, each null (hidden) or a number ≥ 0 and ≤ 1 (slice positions, fractions of the box); using the default [null,null,null]',
      'Link: view.opacity = [1]: must be a number ≥ 0 and ≤ 1 (cloud opacity, dimensionless); using the default 0.8',
      'Link: view.speed = "fast": must be one of 100, 250, 500, 1000, 2000, 5000, "max" (simulated ms per wall-clock second); using the default 1000',
      'Link: view.timeError = "yes": must be true or false (measure the time error); using the default true',
      'Link: probes[1].name = 5: must be a name of 1 to 40 characters; probe dropped',
      'Link: probes[2] = null: must be an object {name, position_um}; dropped',
      'Link: extra = true: unknown setting, ignored',
    ];
    expect([...linkProblems].sort()).toEqual([...expected].sort());
    expect(await linkNotice(page)).toEqual({ shown: true, lines: linkProblems });
    // It stays while the page runs, until dismissed.
    await page.waitForTimeout(4500);
    expect((await linkNotice(page)).shown).toBe(true);
    await page.locator('#link-notice .dismiss').click();
    expect((await linkNotice(page)).shown).toBe(false);
    expect(errors).toEqual([]);
  });

  it('opens a link that cannot be read at all with the defaults, and says why', async () => {
    for (const [hash, problem] of [
      ['#%E0%A4%A', 'Link: "#%E0%A4%A" is not a state this page wrote (not valid percent-encoded UTF-8); showing the defaults'],
      [link([1, 2]), 'Link: the state = [1,2]: must be an object {form, view, probes}; showing the defaults'],
    ]) {
      const { page, errors } = await openPage(server.url + hash);
      const { config, linkProblems } = await state(page);
      expect(config!.tissue).toMatchObject({ alpha: 0.2, lambda: 1.6 });
      expect(linkProblems).toEqual([problem]);
      expect(await linkNotice(page)).toEqual({ shown: true, lines: [problem] });
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});

describe('robustness of the running page', () => {
  it('keeps drawing and reading out after the main thread stalls while a small grid steps fast', async () => {
    const fast = defaultPageState();
    fast.form.grid_n = 8;
    fast.form.spacing_um = 20;
    fast.view.speed = 'max';
    fast.view.timeError = false;
    const { page, errors } = await openPage(server.url + stateToHash(fast));
    await page.waitForTimeout(1500);
    const before = await state(page);
    // The worker steps on meanwhile, and every sample comes in the next snapshot: make that > 2·10⁵ of each probe.
    const stall_ms = Math.min(8000, Math.max(3000, (2e5 / Math.max(1, before.stepsPerSecond)) * 1000));
    await page.evaluate((ms) => { const end = performance.now() + ms; while (performance.now() < end); }, stall_ms);
    await expect.poll(async () => (await state(page)).steps, { timeout: 20_000 }).toBeGreaterThan(before.steps + 2e5);
    const readout = () => page.locator('#readouts .readout').first().textContent();
    const after = await state(page), text = await readout();
    await page.waitForTimeout(1500);
    const later = await state(page);
    expect(later.time_ms).toBeGreaterThan(after.time_ms);
    expect(later.frames).toBeGreaterThan(after.frames);
    await expect.poll(readout, { timeout: 10_000 }).not.toBe(text);
    expect(errors).toEqual([]);
  });

  it('says it stopped after a failed run, and runs again, playing, once a change rebuilds it', async () => {
    const small = defaultPageState();
    small.form.grid_n = 32;
    const { page, errors } = await openPage(server.url + stateToHash(small));
    // A step fails for real in the worker: the arithmetic of its stages gives NaN.
    const [worker] = page.workers();
    await worker.evaluate(() => {
      Object.assign(self, { realSqrt: Math.sqrt });
      Math.sqrt = () => NaN;
    });
    await expect.poll(async () => (await state(page)).error, { timeout: 20_000 }).toContain('NaN');
    // The snapshot the worker sends after the failed slice (its last good state) may still be on its way.
    await page.waitForTimeout(300);
    const failed = await state(page);
    expect(failed.playing).toBe(false);
    await page.waitForTimeout(500);
    expect((await state(page)).time_ms).toBe(failed.time_ms);
    await expect.poll(() => page.locator('#status').textContent()).toContain('stopped');
    await worker.evaluate(() => { Math.sqrt = (self as unknown as { realSqrt: typeof Math.sqrt }).realSqrt; });
    const alpha = page.locator('[data-field="alpha"] input');
    await alpha.fill('0.3');
    await alpha.press('Enter');
    await expect.poll(async () => (await state(page)).config?.tissue.alpha).toBe(0.3);
    // The new run's snapshots: it steps on its own.
    await expect.poll(async () => {
      const now = await state(page);
      return now.time_ms !== failed.time_ms && now.time_ms > 100;
    }, { timeout: 30_000 }).toBe(true);
    const running = await state(page);
    await page.waitForTimeout(500);
    expect((await state(page)).time_ms).toBeGreaterThan(running.time_ms);
    expect(running).toMatchObject({ playing: true, error: null });
    // The worker's own error reached the page as a message, not an uncaught error.
    expect(errors).toEqual([]);
  });
});

describe('fitting an RTI curve in the page', () => {
  it('loads a CSV, fits α, λ and k′, plots data, fit and residuals; a bad CSV shows a message', async () => {
    const { page, errors } = await openPage(server.url);
    const input = page.locator('#rti-fit input[type=file]');
    await input.setInputFiles(join(PROJECT_ROOT, 'docs/rti-example.csv'));
    const result = page.locator('#rti-fit .rti-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/α = 0\.\d{4} ±/);
    const fit = await page.evaluate(() => (window as unknown as { ecsSimRtiFit: { lastFit: { alpha: number; lambda: number } } }).ecsSimRtiFit.lastFit);
    // The example was made from α 0.2, λ 1.6 with 2% noise.
    expect(Math.abs(fit.alpha / 0.2 - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.lambda / 1.6 - 1)).toBeLessThan(0.03);
    expect(await page.locator('#rti-fit .uplot').count()).toBe(2);
    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('time,value\n0,1\n') });
    await expect.poll(() => result.textContent()).toContain('bad.csv: needs columns t_ms and c_mM');
    expect(await result.getAttribute('class')).toContain('error');
    expect(errors).toEqual([]);
  });
});

describe('the built static site', () => {
  it('runs from a plain static file server (relative paths, kernel and worker bundled)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'ecs-sim-site-'));
    await build({ root: PROJECT_ROOT, configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const site = await serveStatic(outDir);
    try {
      const { page, errors } = await openPage(site.url);
      expect((await state(page)).time_ms).toBeGreaterThan(100);
      expect(errors).toEqual([]);
    } finally {
      await site.close();
    }
  });
});

// UPDATE_README=1 also retakes the README's screenshot (docs/ecs-sim-page.png) from the page as it is.
describe.runIf(process.env.UPDATE_README === '1')('the README screenshot', () => {
  it('is the default scene about 0.3 s after the first release', async () => {
    const { page } = await openPage(server.url);
    await page.evaluate(() => window.ecsSim.pause());
    await page.goto('about:blank');
    await page.goto(server.url);
    await page.waitForFunction(() => window.ecsSim?.state().ready && window.ecsSim.state().time_ms >= 250, null, { timeout: 60_000 });
    await page.evaluate(() => window.ecsSim.pause());
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(PROJECT_ROOT, 'docs/ecs-sim-page.png') });
  });
});

// The <ecs-sim> element as a lab website would use it: the library build (npm run build:lib) served
// by a plain static server that sends the documented Content-Security-Policy with every file, and a
// page (fixtures/element-page) with two elements in view and a third far below the fold.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELEMENT_CONTENT_SECURITY_POLICY, SINGLE_FILE_CONTENT_SECURITY_POLICY } from '../../src/element/content-security-policy.js';
import { canvasColours, launchChromium, pageCollectingErrors, PROJECT_ROOT, serveStatic } from '../helpers/browser.js';

interface RecordedEvent { id: string; type: 'ready' | 'step' | 'probe' | 'error'; alpha?: number; lambda?: number; time_ms?: number; message?: string; names?: string[]; samples?: number; timeErrors?: number | null }
declare global {
  interface Window {
    events: RecordedEvent[];
    violations: string[];
    workers: { created: number; terminated: number };
    evalBlocked: boolean;
    elementLoaded: boolean;
  }
}

const FIXTURE = join(PROJECT_ROOT, 'test/browser/fixtures/element-page');
let libraryDir: string;
let singleFileDir: string;
let site: Awaited<ReturnType<typeof serveStatic>>;
let singleFileSite: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;

beforeAll(async () => {
  libraryDir = mkdtempSync(join(tmpdir(), 'ecs-sim-lib-'));
  singleFileDir = mkdtempSync(join(tmpdir(), 'ecs-sim-single-'));
  const configFile = join(PROJECT_ROOT, 'vite.lib.config.ts');
  await build({ root: PROJECT_ROOT, configFile, logLevel: 'error', build: { outDir: libraryDir, emptyOutDir: true } });
  // The single-file build alone in its folder: nothing else to load.
  await build({ root: PROJECT_ROOT, configFile, mode: 'single', logLevel: 'error', build: { outDir: singleFileDir, emptyOutDir: true } });
  expect(readdirSync(singleFileDir)).toEqual(['ecs-sim.single.js']);
  for (const file of readdirSync(FIXTURE)) {
    copyFileSync(join(FIXTURE, file), join(libraryDir, file));
    copyFileSync(join(FIXTURE, file), join(singleFileDir, file));
  }
  [site, singleFileSite, browser] = await Promise.all([
    serveStatic(libraryDir, { 'content-security-policy': ELEMENT_CONTENT_SECURITY_POLICY }),
    serveStatic(singleFileDir, { 'content-security-policy': SINGLE_FILE_CONTENT_SECURITY_POLICY }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await singleFileSite?.close();
});

async function openPage(url = site.url + 'index.html'): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await pageCollectingErrors(browser, { width: 900, height: 700 });
  await page.goto(url);
  await page.waitForFunction(() => window.elementLoaded, null, { timeout: 30_000 });
  return { page, errors };
}

const events = (page: Page, id: string, type: RecordedEvent['type']): Promise<RecordedEvent[]> =>
  page.evaluate(([id, type]) => window.events.filter((event) => event.id === id && event.type === type), [id, type] as const);
const timeOf = (page: Page, id: string): Promise<number> =>
  page.evaluate((id) => document.querySelector<HTMLElement & { time_ms: number }>(`#${id}`)!.time_ms, id);
const messageOf = (page: Page, id: string) => page.evaluate((id) => {
  const message = document.getElementById(id)!.shadowRoot!.querySelector<HTMLElement>('[role=alert]')!;
  return { text: message.textContent, shown: !message.hidden && message.getBoundingClientRect().height > 0 };
}, id);

/** Waits until the element has simulated past time_ms. */
async function runsPast(page: Page, id: string, time_ms: number): Promise<void> {
  await expect.poll(() => timeOf(page, id), { timeout: 60_000 }).toBeGreaterThan(time_ms);
}

describe('<ecs-sim> from the library build, under the documented CSP', () => {
  it('runs two elements on one page, each with its own tissue, events and drawing', async () => {
    const { page, errors } = await openPage();
    expect(await page.evaluate(() => window.evalBlocked)).toBe(true);
    await runsPast(page, 'first', 50);
    await runsPast(page, 'second', 50);
    expect((await events(page, 'first', 'ready'))[0]).toMatchObject({ alpha: 0.2, lambda: 1.6 });
    // preset="ischemia": α 0.1, λ 1.99 (Hrabětová & Nicholson 2000).
    expect((await events(page, 'second', 'ready'))[0]).toMatchObject({ alpha: 0.1, lambda: 1.99 });
    const steps = await events(page, 'first', 'step');
    expect(steps.length).toBeGreaterThan(2);
    expect(steps[steps.length - 1].time_ms!).toBeGreaterThan(steps[0].time_ms!);
    const probes = await events(page, 'second', 'probe');
    expect(probes[0].names).toEqual(['r30', 'r50']);
    expect(probes.reduce((sum, event) => sum + event.samples!, 0)).toBeGreaterThan(10);
    // The second has the time-error flag: every probe sample comes with its time error; the first has none.
    for (const event of probes) expect(event.timeErrors).toBe(event.samples! * event.names!.length);
    expect((await events(page, 'first', 'probe')).every((event) => event.timeErrors === null)).toBe(true);
    const timeErrors = await page.evaluate(() => ['first', 'second'].map((id) =>
      (document.getElementById(id) as HTMLElement & { probeTimeErrors_mM: number[] }).probeTimeErrors_mM[0]));
    expect(timeErrors[0]).toBeNaN();
    expect(timeErrors[1]).toBeGreaterThan(0);
    expect(timeErrors[1]).toBeLessThan(1e-3);
    // Both read K⁺ above the 3 mM baseline at their probes.
    const values = await page.evaluate(() => ['first', 'second'].map((id) =>
      (document.getElementById(id) as HTMLElement & { probeValues_mM: number[] }).probeValues_mM[0]));
    expect(values.every((value) => value > 3)).toBe(true);
    // Both canvases show a cloud: many distinct colours.
    for (const id of ['first', 'second']) expect((await canvasColours(page.locator(`#${id} canvas.gl`), 30)).distinct).toBeGreaterThan(20);
    expect(await page.evaluate(() => window.violations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('starts its worker and WebGL context only when scrolled into view', async () => {
    const { page, errors } = await openPage();
    await runsPast(page, 'first', 20);
    await runsPast(page, 'second', 20);
    expect(await page.evaluate(() => window.workers.created)).toBe(2);
    expect(await page.evaluate(() => document.getElementById('below')!.shadowRoot!.querySelector('canvas.gl'))).toBeNull();
    await page.evaluate(() => document.getElementById('below')!.scrollIntoView());
    await runsPast(page, 'below', 20);
    expect(await page.evaluate(() => window.workers.created)).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('frees the worker and the WebGL context of a removed element; the other keeps running', async () => {
    const { page, errors } = await openPage();
    await runsPast(page, 'first', 20);
    await runsPast(page, 'second', 20);
    const lost = await page.evaluate(() => {
      const element = document.getElementById('first')!;
      const canvas = element.shadowRoot!.querySelector('canvas.gl') as HTMLCanvasElement;
      const context = canvas.getContext('webgl2')!;
      const before = context.isContextLost();
      element.remove();
      return { before, after: context.isContextLost(), canvasInShadow: element.shadowRoot!.querySelector('canvas.gl') !== null };
    });
    expect(lost).toEqual({ before: false, after: true, canvasInShadow: false });
    expect(await page.evaluate(() => window.workers)).toEqual({ created: 2, terminated: 1 });
    const stepsBefore = (await events(page, 'first', 'step')).length;
    const time = await timeOf(page, 'second');
    await runsPast(page, 'second', time + 50);
    await page.waitForTimeout(200);
    expect((await events(page, 'first', 'step')).length).toBe(stepsBefore);
    expect(await page.evaluate(() => window.violations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('applies attribute and property changes: a new simulation with the new tissue', async () => {
    const { page, errors } = await openPage();
    await runsPast(page, 'first', 20);
    await page.evaluate(() => document.getElementById('first')!.setAttribute('alpha', '0.3'));
    await expect.poll(async () => (await events(page, 'first', 'ready')).at(-1)).toMatchObject({ alpha: 0.3, lambda: 1.6 });
    await page.evaluate(() => { (document.getElementById('first') as HTMLElement & { lambda: number }).lambda = 2; });
    await expect.poll(async () => (await events(page, 'first', 'ready')).at(-1)).toMatchObject({ alpha: 0.3, lambda: 2 });
    expect(await page.evaluate(() => document.getElementById('first')!.getAttribute('lambda'))).toBe('2');
    // A view attribute does not rebuild.
    const readyCount = (await events(page, 'first', 'ready')).length;
    await page.evaluate(() => document.getElementById('first')!.setAttribute('colormap', 'viridis'));
    await page.waitForTimeout(300);
    expect((await events(page, 'first', 'ready')).length).toBe(readyCount);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits its box and follows a resize with its drawing size', async () => {
    const { page, errors } = await openPage();
    await runsPast(page, 'first', 20);
    const size = () => page.evaluate(() => {
      const canvas = document.getElementById('first')!.shadowRoot!.querySelector('canvas.gl') as HTMLCanvasElement;
      return { css: canvas.clientWidth, drawn: canvas.width };
    });
    // page.css sets 400 × 300 px.
    expect((await size()).css).toBe(400);
    await page.evaluate(() => { document.getElementById('first')!.style.width = '240px'; });
    await expect.poll(async () => (await size()).css).toBe(240);
    // The drawing buffer follows (times the adaptive scale, 0.3 to 1).
    await expect.poll(async () => (await size()).drawn).toBeLessThanOrEqual(240);
    expect((await size()).drawn).toBeGreaterThanOrEqual(72);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('takes el.step(1e9) in slices: it keeps drawing and answering, pause() ends it, and a rebuild still comes', async () => {
    const { page, errors } = await openPage();
    await runsPast(page, 'second', 5);
    await page.evaluate(() => {
      const element = document.getElementById('second') as HTMLElement & { pause(): void; step(count: number): void };
      element.pause();
      element.step(1e9);
    });
    // The asked-for steps arrive as snapshots (the worker is not stuck in one long loop) ...
    const time = await timeOf(page, 'second');
    await runsPast(page, 'second', time + 20);
    // ... and it still takes messages: pause() drops the rest.
    await page.evaluate(() => (document.getElementById('second') as HTMLElement & { pause(): void }).pause());
    await page.waitForTimeout(500);
    const paused = await timeOf(page, 'second');
    await page.waitForTimeout(1000);
    expect(await timeOf(page, 'second')).toBe(paused);
    await page.evaluate(() => document.getElementById('second')!.setAttribute('alpha', '0.15'));
    await expect.poll(async () => (await events(page, 'second', 'ready')).at(-1)).toMatchObject({ alpha: 0.15 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answers a bad attribute with an error event and a visible message, and keeps running', async () => {
    const { page, errors } = await openPage();
    await runsPast(page, 'second', 20);
    await page.evaluate(() => document.getElementById('second')!.setAttribute('alpha', '1.5'));
    await expect.poll(async () => (await events(page, 'second', 'error')).length).toBe(1);
    const [error] = await events(page, 'second', 'error');
    expect(error.message).toContain('alpha="1.5": tissue.alpha = 1.5: out of range: must be > 0 and ≤ 1 (volume fraction, dimensionless)');
    expect(await messageOf(page, 'second')).toEqual({ text: error.message, shown: true });
    const time = await timeOf(page, 'second');
    await runsPast(page, 'second', time + 50);
    // Not a number, and an unknown choice, name the attribute too.
    await page.evaluate(() => document.getElementById('second')!.setAttribute('alpha', 'abc'));
    await expect.poll(async () => (await events(page, 'second', 'error')).at(-1)?.message).toContain('alpha="abc": not a number');
    await page.evaluate(() => document.getElementById('second')!.setAttribute('release', 'pipette'));
    await expect.poll(async () => (await events(page, 'second', 'error')).at(-1)?.message).toContain('release="pipette": must be one of bolus, iontophoresis, region');
    // Fixing them clears the message and rebuilds.
    await page.evaluate(() => {
      const element = document.getElementById('second')!;
      element.setAttribute('alpha', '0.15');
      element.removeAttribute('release');
    });
    await expect.poll(async () => (await events(page, 'second', 'ready')).at(-1)).toMatchObject({ alpha: 0.15 });
    expect((await messageOf(page, 'second')).shown).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('<ecs-sim> after a failed run', () => {
  it('says it is not playing after a run fails, and runs again, playing, once fixed attributes rebuild it', async () => {
    const { page, errors } = await openPage();
    await runsPast(page, 'second', 20);
    const playing = () => page.evaluate(() => (document.getElementById('second') as HTMLElement & { playing: boolean }).playing);
    expect(await playing()).toBe(true);
    // A step fails for real in the workers: the arithmetic of its stages gives NaN.
    const workers = page.workers();
    expect(workers.length).toBe(2);
    for (const worker of workers) {
      await worker.evaluate(() => {
        Object.assign(self, { realSqrt: Math.sqrt });
        Math.sqrt = () => NaN;
      });
    }
    await expect.poll(async () => (await events(page, 'second', 'error')).at(-1)?.message, { timeout: 20_000 }).toContain('NaN');
    const [message] = (await events(page, 'second', 'error')).map((event) => event.message);
    expect(await messageOf(page, 'second')).toEqual({ text: message, shown: true });
    expect(await playing()).toBe(false);
    // The snapshot the worker sends after the failed slice (its last good state) may still be on its way.
    await page.waitForTimeout(300);
    const stopped = await timeOf(page, 'second');
    await page.waitForTimeout(500);
    expect(await timeOf(page, 'second')).toBe(stopped);
    for (const worker of workers) await worker.evaluate(() => { Math.sqrt = (self as unknown as { realSqrt: typeof Math.sqrt }).realSqrt; });
    // A view change does not rebuild: the message of the failed run stays.
    await page.evaluate(() => document.getElementById('second')!.setAttribute('colormap', 'viridis'));
    await page.waitForTimeout(300);
    expect((await messageOf(page, 'second')).shown).toBe(true);
    const readyCount = (await events(page, 'second', 'ready')).length;
    await page.evaluate(() => document.getElementById('second')!.setAttribute('alpha', '0.15'));
    await expect.poll(async () => (await events(page, 'second', 'ready')).length).toBe(readyCount + 1);
    expect((await events(page, 'second', 'ready')).at(-1)).toMatchObject({ alpha: 0.15 });
    // The new run starts at t = 0 and goes on by itself.
    await expect.poll(async () => {
      const time = await timeOf(page, 'second');
      return time !== stopped && time > 20;
    }, { timeout: 30_000 }).toBe(true);
    expect(await playing()).toBe(true);
    expect((await messageOf(page, 'second')).shown).toBe(false);
    expect(await page.evaluate(() => document.getElementById('second')!.shadowRoot!.querySelector('.controls button')!.textContent)).toBe('pause');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('<ecs-sim> loaded from another origin (a CDN), as a lab page would', () => {
  /** A page on its own origin whose element script comes from `script` (another origin, with CORS). */
  async function crossOriginPage(script: string) {
    const pageDir = mkdtempSync(join(tmpdir(), 'ecs-sim-cdn-page-'));
    writeFileSync(join(pageDir, 'index.html'), `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
      <script>window.events = []; addEventListener('error', (e) => window.events.push({ type: 'uncaught', message: e.message }));</script>
      <ecs-sim id="cdn" style="display:block;width:400px;height:300px" grid-n="16" autoplay></ecs-sim>
      <script>for (const type of ['ready', 'error']) document.getElementById('cdn')
        .addEventListener(type, (e) => window.events.push({ type, message: e.detail?.message }));</script>
      <script type="module" src="${script}"></script></body></html>`);
    const pageSite = await serveStatic(pageDir);
    const { page, errors } = await pageCollectingErrors(browser, { width: 600, height: 400 });
    await page.goto(pageSite.url + 'index.html');
    return { page, errors, close: () => pageSite.close() };
  }

  it('ecs-sim.js: shows why inside the element and fires error (browsers start its worker only on the page\'s origin)', async () => {
    const cdn = await serveStatic(libraryDir, { 'access-control-allow-origin': '*' });
    const { page, close } = await crossOriginPage(`${cdn.url}ecs-sim.js`);
    await expect.poll(() => page.evaluate(() => window.events.filter((event) => event.type === 'error').length), { timeout: 30_000 }).toBe(1);
    const [error] = await page.evaluate(() => window.events.filter((event) => event.type === 'error'));
    expect(error.message).toContain('The simulation worker could not start');
    expect(error.message).toContain('ecs-sim.single.js');
    expect(await messageOf(page, 'cdn')).toEqual({ text: error.message, shown: true });
    expect(await page.evaluate(() => (window.events as { type: string }[]).filter((event) => event.type === 'uncaught'))).toEqual([]);
    await page.close();
    await close();
    await cdn.close();
  });

  it('ecs-sim.single.js: runs (its worker is made from a blob of the page\'s own origin)', async () => {
    const cdn = await serveStatic(singleFileDir, { 'access-control-allow-origin': '*' });
    const { page, errors, close } = await crossOriginPage(`${cdn.url}ecs-sim.single.js`);
    await expect.poll(() => page.evaluate(() => window.events.filter((event) => event.type === 'ready').length), { timeout: 60_000 }).toBe(1);
    await runsPast(page, 'cdn', 10);
    expect(errors).toEqual([]);
    await page.close();
    await close();
    await cdn.close();
  });
});

describe('the single-file build (ecs-sim.single.js: worker and kernel inside)', () => {
  it('runs alone from its folder under the documented policy with worker-src blob:', async () => {
    const { page, errors } = await openPage(singleFileSite.url + 'single.html');
    expect(await page.evaluate(() => window.evalBlocked)).toBe(true);
    await runsPast(page, 'single', 50);
    // preset="hyper-osmotic": α 0.42, λ 1.67 (Kume-Kick et al. 2002).
    expect((await events(page, 'single', 'ready'))[0]).toMatchObject({ alpha: 0.42, lambda: 1.67 });
    expect((await canvasColours(page.locator('#single canvas.gl'), 30)).distinct).toBeGreaterThan(20);
    expect(await page.evaluate(() => window.violations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the library build', () => {
  it('keeps the element with its dependencies under 250 kB gzip (without the .wasm)', () => {
    const files = [...readdirSync(libraryDir), ...readdirSync(join(libraryDir, 'chunks')).map((file) => join('chunks', file))]
      .filter((file) => file.endsWith('.js') && statSync(join(libraryDir, file)).isFile() && !FIXTURE_FILES.has(file) && file !== 'core.js');
    const singleFileGzipBytes = gzipSync(readFileSync(join(singleFileDir, 'ecs-sim.single.js')), { level: 9 }).length;
    const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(libraryDir, file)), { level: 9 }).length, 0);
    console.log(`element bundle: ${files.join(', ')}: ${(gzipBytes / 1000).toFixed(1)} kB gzip; ` +
      `single file (kernel included): ${(singleFileGzipBytes / 1000).toFixed(1)} kB gzip`);
    expect(files).toContain('ecs-sim.js');
    expect(files).toContain('simulation-worker.js');
    expect(gzipBytes).toBeLessThan(250_000);
    expect(singleFileGzipBytes).toBeLessThan(250_000);
  });
});

const FIXTURE_FILES = new Set(readdirSync(FIXTURE));

// The pages of the built site (npm run build:web), from a plain static server that sends the
// documented Content-Security-Policy with every file (the docs page adds frame-src 'self' for its
// live iframe, as the README tells a page with an iframe to do): the simulator runs with its panel
// styled, the iframe page takes the element's attributes from its query, and the docs page runs a
// live element, a live iframe and the core API example, whose result must equal the same run in
// Node. None of them may cause a single CSP violation.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { ELEMENT_ATTRIBUTES, ELEMENT_FLAGS } from '../../src/element/element-attributes.js';
import { ELEMENT_CONTENT_SECURITY_POLICY, SINGLE_FILE_CONTENT_SECURITY_POLICY } from '../../src/element/content-security-policy.js';
import type { EcsSimElement } from '../../src/element/ecs-sim-element.js';
import type { PageHandle } from '../../src/app/app.js';
import { launchChromium, pageCollectingErrors, PROJECT_ROOT, serveStatic } from '../helpers/browser.js';

declare global {
  interface Window {
    ecsSimEmbed: EcsSimElement;
    ecsSimDocs: { element: EcsSimElement; apiExample(): Promise<string> };
    ecsSim: PageHandle;
    cspViolations: string[];
  }
}

/** The policy of a page that embeds the iframe: the element's, plus frame-src for it. */
const DOCS_POLICY = `${ELEMENT_CONTENT_SECURITY_POLICY}; frame-src 'self'`;

let outDir: string;
let site: Awaited<ReturnType<typeof serveStatic>>;
let docsSite: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'ecs-sim-site-'));
  await build({ root: PROJECT_ROOT, configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  [site, docsSite, browser] = await Promise.all([
    serveStatic(outDir, { 'content-security-policy': ELEMENT_CONTENT_SECURITY_POLICY }),
    serveStatic(outDir, { 'content-security-policy': DOCS_POLICY }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await docsSite?.close();
});

async function open(url: string, viewport = { width: 640, height: 480 }): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await pageCollectingErrors(browser, viewport);
  // Before any script of the page, in every frame: each CSP violation, whatever causes it.
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  await page.goto(url);
  return { page, errors };
}

/** The CSP violations of the page and of its frames. */
async function violations(page: Page): Promise<string[]> {
  const lists = await Promise.all(page.frames().map((frame) => frame.evaluate(() => window.cspViolations ?? [])));
  return lists.flat();
}

describe('index.html (the simulator) under the documented CSP', () => {
  it('runs, with its parameter panel styled (lil-gui\'s stylesheet adopted, not an inline <style>) and no violation', async () => {
    const { page, errors } = await open(site.url + 'index.html', { width: 1024, height: 720 });
    await page.waitForFunction(() => window.ecsSim?.state().ready && window.ecsSim.state().time_ms > 100, null, { timeout: 60_000 });
    expect(await page.evaluate(() => window.ecsSim.state().frames)).toBeGreaterThan(0);
    const panel = await page.evaluate(() => {
      const root = document.querySelector('#panel .lil-gui.lil-root')!;
      const title = root.querySelector('.lil-title')!;
      return { background: getComputedStyle(root).backgroundColor, titleBackground: getComputedStyle(title).backgroundColor, fontSize: getComputedStyle(root).fontSize };
    });
    // lil-gui's own colours and size (--background-color #1f1f1f, --title-background-color #111111, 11px).
    expect(panel).toEqual({ background: 'rgb(31, 31, 31)', titleBackground: 'rgb(17, 17, 17)', fontSize: '11px' });
    // The plot's stylesheet (uPlot) and the page's own are in force too.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('#plot .uplot')!).display)).toBe('block');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(17, 19, 24)');
    await page.waitForTimeout(500);
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('index.html opened from disk (file://, where module scripts do not run)', () => {
  it('says to serve the folder, and how, instead of showing "loading…" for ever', async () => {
    const { page } = await open(`file://${join(outDir, 'index.html')}`);
    const hint = page.locator('#status .unserved');
    await expect.poll(() => hint.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.locator('#status').textContent()).toContain('serve its folder over HTTP instead (in the\n          project: npm run preview');
    await page.close();
  });

  it('served, shows no such hint: the page replaces the status before it would appear', async () => {
    const { page } = await open(site.url + 'index.html');
    await page.waitForFunction(() => window.ecsSim?.state().time_ms > 0, null, { timeout: 60_000 });
    await page.waitForTimeout(4500);
    expect(await page.locator('#status .unserved').count()).toBe(0);
    await page.close();
  });
});

describe('embed.html (the iframe page)', () => {
  it('runs one element with the attributes of its query and names unknown parameters', async () => {
    const { page, errors } = await open(site.url + 'embed.html?preset=ischemia&lambda=1.8&autoplay&controls&grid-n=32&speed=max&colour=red');
    await page.waitForFunction(() => window.ecsSimEmbed?.time_ms > 50, null, { timeout: 60_000 });
    const state = await page.evaluate(() => ({
      tissue: window.ecsSimEmbed.resolvedConfig!.tissue, size: window.ecsSimEmbed.resolvedConfig!.grid.size,
      playing: window.ecsSimEmbed.playing, controls: window.ecsSimEmbed.controls,
      box: window.ecsSimEmbed.getBoundingClientRect().toJSON(),
    }));
    expect(state.tissue).toMatchObject({ alpha: 0.1, lambda: 1.8 });
    expect(state.size).toEqual([32, 32, 32]);
    expect(state).toMatchObject({ playing: true, controls: true });
    // It fills the frame.
    expect(state.box).toMatchObject({ width: 640, height: 480 });
    await expect.poll(() => page.locator('.embed-warning').textContent()).toContain('Ignored unknown parameter colour');
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('docs.html (how to embed)', () => {
  it('shows the attribute reference and the CSP from the code, a running element and iframe, and the API example', async () => {
    const { page, errors } = await open(docsSite.url + 'docs.html', { width: 1000, height: 900 });
    const rows = await page.locator('#attribute-table tbody tr').count();
    expect(rows).toBe(ELEMENT_ATTRIBUTES.length + ELEMENT_FLAGS.length + 1);
    expect(await page.locator('#attribute-table tbody tr').first().textContent()).toContain('preset');
    expect(await page.locator('#csp-policy').textContent()).toBe(`Content-Security-Policy: ${ELEMENT_CONTENT_SECURITY_POLICY}`);
    expect(await page.locator('#csp-policy-single').textContent()).toBe(`Content-Security-Policy: ${SINGLE_FILE_CONTENT_SECURITY_POLICY}`);
    await page.waitForFunction(() => window.ecsSimDocs?.element.time_ms > 20, null, { timeout: 60_000 });
    await page.locator('#live-iframe').scrollIntoViewIfNeeded();
    const frame = page.frameLocator('#live-iframe');
    await expect.poll(() => frame.locator('ecs-sim').evaluate((element) => (element as EcsSimElement).time_ms), { timeout: 60_000 }).toBeGreaterThan(20);
    // The API example gives what the same run gives in Node.
    await page.locator('#api-run').scrollIntoViewIfNeeded();
    await page.locator('#api-run').click();
    await expect.poll(() => page.locator('#api-result').textContent(), { timeout: 60_000 }).toMatch(/^r30: peak/);
    const simulation = await Simulation.create({
      grid: { size: [48, 48, 48], spacing_um: 4 }, tissue: { alpha: 0.2, lambda: 1.6 },
      probes: [{ name: 'r30', position_um: [126, 96, 96] }], duration_ms: 500,
    });
    simulation.run();
    const [probe] = simulation.metrics().probes;
    expect(await page.locator('#api-result').textContent()).toContain(`r30: peak ${probe.peak_mM.toFixed(3)} mM at ${probe.t_peak_ms.toFixed(1)} ms`);
    expect(await page.locator('#api-snippet').textContent()).toContain("import { Simulation } from 'ecs-sim'");
    expect(page.frames().length).toBe(2);
    expect(await violations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

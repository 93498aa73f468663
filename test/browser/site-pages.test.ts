// The embedding pages of the built site (npm run build:web), from a plain static server: the iframe
// page takes the element's attributes from its query, and the docs page runs a live element, a live
// iframe and the core API example, whose result must equal the same run in Node.
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
import { launchChromium, pageCollectingErrors, PROJECT_ROOT, serveStatic } from '../helpers/browser.js';

declare global {
  interface Window {
    ecsSimEmbed: EcsSimElement;
    ecsSimDocs: { element: EcsSimElement; apiExample(): Promise<string> };
  }
}

let site: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;

beforeAll(async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'ecs-sim-site-'));
  await build({ root: PROJECT_ROOT, configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  [site, browser] = await Promise.all([serveStatic(outDir), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(path: string, viewport = { width: 640, height: 480 }): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await pageCollectingErrors(browser, viewport);
  await page.goto(site.url + path);
  return { page, errors };
}

describe('embed.html (the iframe page)', () => {
  it('runs one element with the attributes of its query and names unknown parameters', async () => {
    const { page, errors } = await open('embed.html?preset=ischemia&lambda=1.8&autoplay&controls&grid-n=32&speed=max&colour=red');
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
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('docs.html (how to embed)', () => {
  it('shows the attribute reference and the CSP from the code, a running element and iframe, and the API example', async () => {
    const { page, errors } = await open('docs.html', { width: 1000, height: 900 });
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
    expect(errors).toEqual([]);
    await page.close();
  });
});

// The Three.js renderer (src/render) in a real Chromium with software WebGL 2 (SwiftShader): a test
// page (fixtures/render-harness.*) served by a Vite dev server draws a Gaussian K⁺ cloud on a
// 64×48×40 grid with a sphere region and a probe; the test reads its pixels back through hooks.
// ECS_RENDER_BENCH=1 also times 60 renders of a 128³ field.
import { createServer as createNetServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colormapRGB } from '../../src/core/colormaps.js';
import type {} from './fixtures/render-harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM_ARGS = [
  '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

let server: ViteDevServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createNetServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  [server, browser] = await Promise.all([
    createServer({
      root: ROOT,
      configFile: false,
      logLevel: 'warn',
      clearScreen: false,
      server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
      // Serve three as the ES modules it ships instead of pre-bundling it on first request (which
      // can reload the page mid-test).
      optimizeDeps: { noDiscovery: true, include: [] },
    }).then((vite) => vite.listen()),
    chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }),
  ]);
  page = await browser.newPage({ viewport: { width: 700, height: 1040 } });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.goto(`http://127.0.0.1:${port}/test/browser/fixtures/render-harness.html`);
  await page.waitForFunction(() => window.renderHarnessReady === true, null, { timeout: 20_000 });
}, 40_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const stats = () => page.evaluate(() => window.renderHarness.stats());

describe('EcsViewer in Chromium', () => {
  it('draws the cloud: many distinct colours over a good part of the canvas, no errors', async () => {
    await page.locator('#view').screenshot({ path: '/tmp/render-harness.png' });
    const s = await stats();
    expect(s.width).toBe(640);
    expect(s.height).toBe(480);
    expect(s.distinct).toBeGreaterThan(300);
    expect(s.foreground / (s.width * s.height)).toBeGreaterThan(0.03);
    expect(await page.evaluate(() => window.renderHarness.frames())).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
  });

  it('moving the blob (updateField) changes the pixels and moves the cloud', async () => {
    const before = await stats();
    await page.evaluate(() => {
      const h = window.renderHarness;
      h.capture('centre');
      h.moveBlob(60, 60, 60);
      h.capture('moved');
    });
    const after = await stats();
    expect(await page.evaluate(() => window.renderHarness.diff('centre', 'moved'))).toBeGreaterThan(0.02);
    expect(after.centroid).not.toEqual(before.centroid);
    await page.evaluate(() => window.renderHarness.moveBlob(...window.renderHarness.blobCentre_um));
  });

  it('changing the colormap changes the colours', async () => {
    const { centroid } = await stats();
    const [x, y] = centroid!;
    const result = await page.evaluate(([x, y]) => {
      const h = window.renderHarness;
      const viridis = h.meanRGBAround(x, y, 8);
      h.capture('viridis');
      h.setColormap('inferno');
      h.capture('inferno');
      const inferno = h.meanRGBAround(x, y, 8);
      h.setColormap('viridis');
      return { viridis, inferno, changed: h.diff('viridis', 'inferno') };
    }, [x, y]);
    expect(result.changed).toBeGreaterThan(0.03);
    // The cloud's core is yellow-green in viridis (green > red > blue), orange in inferno (red > green > blue).
    const [vr, vg, vb] = result.viridis, [ir, ig, ib] = result.inferno;
    expect(vg).toBeGreaterThan(vr * 1.3);
    expect(vg).toBeGreaterThan(vb * 1.3);
    expect(ir).toBeGreaterThan(ig * 1.3);
    expect(ig).toBeGreaterThan(ib);
  });

  it('a slice at z = 0.5 shows the top of the colormap where the blob is, the bottom far from it', async () => {
    const hit = await page.evaluate(() => {
      const h = window.renderHarness;
      h.setVolumeVisible(false);
      h.setSlices([null, null, 0.5]);
      return h.colourAtSlicePoint(h.blobCentre_um);
    });
    expect(hit).not.toBeNull();
    expect(hit!.distance).toBeLessThan(4);
    expect(hit!.point[2]).toBeCloseTo(80, 6);
    const top = colormapRGB('viridis', 1), bottom = colormapRGB('viridis', 0);
    const far = (a: number[], b: number[]) => a.reduce((sum, c, k) => sum + Math.abs(c - b[k]), 0);
    expect(far(hit!.rgb, top)).toBeLessThan(45);

    const corner = await page.evaluate(() => window.renderHarness.colourAtSlicePoint([4, 4, 80]));
    expect(far(corner!.rgb, bottom)).toBeLessThan(45);
    expect((await stats()).distinct).toBeGreaterThan(100);
  });

  it('pickSlice at the canvas centre returns a point inside the box, on the slice; null with no slice', async () => {
    const point = await page.evaluate(() => window.renderHarness.pickAt(320, 240));
    expect(point).not.toBeNull();
    const extent = await page.evaluate(() => window.renderHarness.extent_um);
    point!.forEach((c, axis) => {
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThan(extent[axis]);
    });
    expect(point![2]).toBeCloseTo(extent[2] / 2, 6);
    expect(await page.evaluate(() => window.renderHarness.pickAt(2, 2))).toBeNull();
    const none = await page.evaluate(() => {
      window.renderHarness.setSlices([null, null, null]);
      return window.renderHarness.pickAt(320, 240);
    });
    expect(none).toBeNull();
  });

  it('draws an isosurface alone (volume hidden) and the volume with slices on all three axes', async () => {
    const iso = await page.evaluate(() => {
      window.renderHarness.setIsosurface(4);
      return window.renderHarness.stats();
    });
    expect(iso.foreground).toBeGreaterThan(2000);
    expect(iso.distinct).toBeGreaterThan(50);
    const all = await page.evaluate(() => {
      const h = window.renderHarness;
      h.setIsosurface(null);
      h.setVolumeVisible(true);
      h.setSlices([0.2, 0.8, 0.1]);
      const s = h.stats();
      h.setSlices([null, null, null]);
      return s;
    });
    expect(all.distinct).toBeGreaterThan(300);
    expect(errors).toEqual([]);
  });

  it('dispose() loses the WebGL context and a second viewer on the page keeps rendering', async () => {
    expect(await page.evaluate(() => window.renderHarness.disposeFirst())).toBe(true);
    const second = await page.evaluate(() => window.renderHarness.openSecond());
    expect(second.distinct).toBeGreaterThan(300);
    expect(second.foreground / (second.width * second.height)).toBeGreaterThan(0.03);
    expect(errors).toEqual([]);
  });
});

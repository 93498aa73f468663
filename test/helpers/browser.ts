// Test helpers for pages in a real Chromium (found or installed by ./chromium.ts) driven by
// playwright-core, WebGL2 through SwiftShader, pages served by Vite or by a static server.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { inject } from 'vitest';
import { ensureChromium } from './chromium.js';

export const PROJECT_ROOT = join(import.meta.dirname, '../..');

/** Headless Chromium with software WebGL, quiet on a closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    // From the browser project's global setup; the benchmark config has none and looks itself.
    executablePath: inject('chromiumPath') ?? ensureChromium(),
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A new page whose uncaught errors and console errors are collected in errors. */
export async function pageCollectingErrors(browser: Browser, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  return { page, errors };
}

/** A Vite dev server over the project on a free loopback port. */
export async function startViteServer(): Promise<{ url: string; close: () => Promise<void>; server: ViteDevServer }> {
  const server = await createViteServer({
    root: PROJECT_ROOT, configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer!.address() as AddressInfo;
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close(), server };
}

const MIME: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** A plain static file server for a folder (the built site), on a free loopback port; headers go on every response. */
export async function serveStatic(folder: string, headers: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createHttpServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(folder, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Colour statistics of a canvas, read through a 2D copy: distinct colours (5-bit quantised) and the
 * summed channels. With frames > 0 it looks once per animation frame, in a callback queued after the
 * page's own, so a WebGL buffer that is not preserved is read before it is composited; it returns
 * the look with the most distinct colours.
 */
export function canvasColours(canvas: Locator, frames = 0): Promise<{ distinct: number; sum: number }> {
  return canvas.evaluate((element, frames) => new Promise<{ distinct: number; sum: number }>((done) => {
    const source = element as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    let best = { distinct: 0, sum: 0 }, looks = 0;
    const look = () => {
      copy.width = source.width;
      copy.height = source.height;
      const context = copy.getContext('2d')!;
      context.drawImage(source, 0, 0);
      const { data } = context.getImageData(0, 0, copy.width, copy.height);
      const colours = new Set<number>();
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) {
        colours.add(((data[i] >> 3) << 10) | ((data[i + 1] >> 3) << 5) | (data[i + 2] >> 3));
        sum += data[i] + data[i + 1] + data[i + 2];
      }
      if (colours.size > best.distinct) best = { distinct: colours.size, sum };
      if (++looks < frames) requestAnimationFrame(look); else done(best);
    };
    if (frames > 0) requestAnimationFrame(look); else look();
  }), frames);
}

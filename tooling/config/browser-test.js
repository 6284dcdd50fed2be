// Shared by the backends' browser tests (Node side): Debian's Chromium, a page bundle and a
// local server. Tests import it as '@mapnn/config/browser-test'.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = (p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** Where Chromium may be (MAPNN_CHROMIUM first). */
export const CHROMIUM_CANDIDATES = [process.env.MAPNN_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

/** The first Chromium that exists, or undefined. */
export function findChromium() {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** Flags for headless Chromium as root on a machine without network or GPU. */
export const HEADLESS_FLAGS = ['--no-sandbox', '--headless=new', '--disable-background-networking', '--disable-dev-shm-usage'];

/** Response headers that make a page cross-origin isolated (SharedArrayBuffer, threads). */
export const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/**
 * Bundles a page entry (TypeScript) with tsup/esbuild for the browser and returns the script.
 * `@mapnn/core` and `@mapnn/backend-tests/browser-page` come from the workspace sources.
 * @param {{ entry: string, outDir: string, format: 'iife' | 'esm' }} o
 */
export async function bundlePage(o) {
  const { build } = await import('tsup');
  await build({
    entry: { page: o.entry },
    outDir: o.outDir,
    format: [o.format],
    platform: 'browser',
    target: 'es2022',
    config: false,
    dts: false,
    silent: true,
    sourcemap: false,
    noExternal: [/.*/],
    esbuildOptions(e) {
      e.alias = {
        '@mapnn/core/backend': repo('packages/core/src/backend-entry.ts'), // esbuild applies '@mapnn/core' to its subpaths too
        '@mapnn/core': repo('packages/core/src/index.ts'),
        '@mapnn/backend-tests/browser-page': repo('tooling/backend-tests/src/browser-page.ts'),
      };
    },
  });
  return readFileSync(join(o.outDir, o.format === 'iife' ? 'page.global.js' : 'page.js'), 'utf8');
}

/**
 * Serves files from 127.0.0.1: `files` maps a URL path ('/', '/page.js') to its text, or `root`
 * a built folder (index.html at '/'); `headers` go on every response.
 * @param {{ files?: Record<string, string>, root?: string, headers?: Record<string, string> }} o
 * @returns {Promise<{ server: import('node:http').Server, url: string }>}
 */
export function serve(o) {
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    let body;
    if (o.files) body = o.files[path];
    else if (o.root) {
      const file = join(o.root, path === '/' ? 'index.html' : path.replace(/^\/+/, ''));
      if (file.startsWith(o.root) && existsSync(file)) body = readFileSync(file);
    }
    if (body === undefined) return void res.writeHead(404).end();
    const type = path === '/' || path.endsWith('.html') ? 'text/html' : 'text/javascript';
    res.writeHead(200, { ...o.headers, 'content-type': type }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })),
  );
}

/**
 * A describe block whose tests drive Debian's Chromium. Without Chromium it holds one skipped
 * test locally and one failing test under CI=true. `body` gets the browser's path, `cleanup`
 * (run after the block, last first), `tempDir(prefix)`, `launch(args?)` (a browser, closed
 * after the block) and `open(browser, serveOptions)` (serves, opens a tab, collects its page
 * errors); everything is released after the block.
 * @param {string} name
 * @param {(ctx: any) => void} body
 */
export function describeInChromium(name, body) {
  describe(name, () => {
    const after = [];
    afterAll(async () => {
      for (const f of after.reverse()) await f();
    });
    const chromiumPath = findChromium();
    if (!chromiumPath) {
      if (process.env.CI === 'true') it('Chromium is installed (required when CI=true)', () => expect.fail(`no Chromium at ${CHROMIUM_CANDIDATES.join(', ')}`));
      else it.skip('no Chromium found (set MAPNN_CHROMIUM)', () => {});
      return;
    }
    const cleanup = (f) => void after.push(f);
    const tempDir = (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      cleanup(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    };
    const launch = async (args = HEADLESS_FLAGS) => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: chromiumPath, args, timeout: 60_000 });
      cleanup(() => browser.close());
      return browser;
    };
    const open = async (browser, o) => {
      const { server, url } = await serve(o);
      cleanup(() => new Promise((r) => server.close(r)));
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      return { page, errors };
    };
    body({ chromiumPath, cleanup, tempDir, launch, open });
  });
}

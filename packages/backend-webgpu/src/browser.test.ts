/**
 * Browser smoke test: bundles core + this backend (browser.page.ts) with tsup/esbuild, serves
 * it from 127.0.0.1, opens it in Debian's Chromium (playwright-core) with WebGPU on
 * SwiftShader, trains a tiny network for a few steps and checks that its loss falls.
 * Without Chromium or a WebGPU adapter the test is skipped locally and fails under CI=true.
 * MAPNN_CHROMIUM overrides the browser path.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CI } from './adapter.test-util.js';
import type { TrainReport } from './browser.page.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const CANDIDATES = [process.env.MAPNN_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const chromiumPath = CANDIDATES.find((p): p is string => !!p && existsSync(p));

/** Flags that give headless Chromium a WebGPU adapter without a GPU (its bundled SwiftShader). */
const CHROMIUM_WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--no-sandbox',
  '--headless=new',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
];

async function bundle(outDir: string): Promise<string> {
  const { build } = await import('tsup');
  await build({
    entry: { page: here('./browser.page.ts') },
    outDir,
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    config: false,
    dts: false,
    silent: true,
    sourcemap: false,
    noExternal: [/.*/],
    esbuildOptions(o) {
      o.alias = { '@mapnn/core': here('../../core/src/index.ts') };
    },
  });
  return readFileSync(join(outDir, 'page.global.js'), 'utf8');
}

function serve(script: string): Promise<{ server: Server; url: string }> {
  const html = '<!doctype html><meta charset="utf-8"><title>mapnn webgpu</title><script src="/page.js"></script>';
  const server = createServer((req, res) => {
    const js = req.url === '/page.js';
    res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? script : html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${addr.port}/` });
    }),
  );
}

describe('browser (Chromium, WebGPU)', () => {
  const cleanup: (() => unknown)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  if (!chromiumPath) {
    if (CI) it('Chromium is installed (required when CI=true)', () => expect.fail(`no Chromium at ${CANDIDATES.filter(Boolean).join(', ')}`));
    else it.skip('no Chromium found (set MAPNN_CHROMIUM)', () => {});
    return;
  }

  it('trains a tiny network on navigator.gpu and its loss falls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapnn-webgpu-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { server, url } = await serve(await bundle(dir));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_WEBGPU_FLAGS, timeout: 60_000 });
    cleanup.push(() => browser.close());
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    const hasAdapter = await page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()));
    if (!hasAdapter && !CI) {
      console.warn('browser test: Chromium has no WebGPU adapter here; skipping the training check');
      return;
    }
    expect(hasAdapter, 'navigator.gpu.requestAdapter() in Chromium').toBe(true);
    const report = await page.evaluate((steps) => (globalThis as unknown as { mapnnTrain(n: number): Promise<TrainReport> }).mapnnTrain(steps), 8);
    expect(errors).toEqual([]);
    console.log(`browser: adapter "${report.adapter}", losses ${report.losses.map((l) => l.toFixed(4)).join(' → ')}`);
    expect(report.losses.length).toBe(8);
    expect(report.losses.every(Number.isFinite)).toBe(true);
    expect(report.losses[7]!).toBeLessThan(report.losses[0]! * 0.9);
  });
});

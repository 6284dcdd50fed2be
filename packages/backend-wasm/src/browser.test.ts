/**
 * Browser test: bundles core + this backend (browser.page.ts) as an ES module, serves it from
 * 127.0.0.1 with the pool's worker script beside it, and opens it in Debian's Chromium
 * (playwright-core) twice — cross-origin isolated (COOP/COEP headers: SharedArrayBuffer, a pool
 * of module Web Workers over shared memory) and not (one thread, unshared memory). Both train a
 * small MLP whose loss falls, and agree with each other. A second test builds an app that
 * imports the built packages with Vite and checks that its workers start. Without Chromium the
 * tests are skipped locally and fail under CI=true. MAPNN_CHROMIUM overrides the browser path.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { WasmPageReport } from './browser.page.js';

const CI = process.env.CI === 'true';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const CANDIDATES = [process.env.MAPNN_CHROMIUM, '/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const chromiumPath = CANDIDATES.find((p): p is string => !!p && existsSync(p));
const FLAGS = ['--no-sandbox', '--headless=new', '--disable-background-networking', '--disable-dev-shm-usage', '--disable-gpu'];

async function bundle(outDir: string): Promise<string> {
  const { build } = await import('tsup');
  await build({
    entry: { page: here('./browser.page.ts') },
    outDir,
    format: ['esm'],
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
  return readFileSync(join(outDir, 'page.js'), 'utf8');
}

/**
 * A Vite production build of a page that imports the *built* packages (dist/, as an app would
 * from npm): Vite finds `new URL('./worker.js', import.meta.url)` in the bundle and carries the
 * pool's worker along (it inlines a file this small as a data: URL). Returns the output folder.
 */
async function viteBuild(dir: string): Promise<string> {
  const dist = (pkg: string) => here(`../../${pkg}/dist/index.js`);
  for (const f of [dist('core'), dist('backend-wasm'), here('../dist/worker.js')]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: build the packages first (pnpm build)`);
  }
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>mapnn vite</title><script type="module" src="./main.js"></script>');
  writeFileSync(
    join(dir, 'main.js'),
    `import { getBackend, Generator, matmul, randn, setBackendAsync, sum, tidy } from '@mapnn/core';
import { setWasmThreads } from '@mapnn/backend-wasm';
globalThis.mapnnRun = async (threads) => {
  await setWasmThreads(threads);
  await setBackendAsync('wasm');
  const checksum = tidy(() => sum(matmul(randn([300, 200], { generator: new Generator(9) }), randn([200, 150], { generator: new Generator(10) }))).item());
  return { threads: getBackend().memory().threads, isolated: globalThis.crossOriginIsolated === true, checksum };
};
`,
  );
  const { build } = await import('vite');
  const outDir = join(dir, 'out');
  await build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    resolve: { alias: { '@mapnn/core': dist('core'), '@mapnn/backend-wasm': dist('backend-wasm') } },
  });
  return outDir;
}

/** Serves a built folder with the COOP/COEP headers. */
function serveDir(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = join(root, req.url === '/' ? 'index.html' : (req.url ?? '').replace(/^\/+/, ''));
    if (!file.startsWith(root) || !existsSync(file)) return void res.writeHead(404).end();
    res
      .writeHead(200, {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'content-type': file.endsWith('.html') ? 'text/html' : 'text/javascript',
      })
      .end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })),
  );
}

/** Serves the page, its script and the worker; `isolated` adds the COOP/COEP headers. */
function serve(page: string, worker: string, isolated: boolean): Promise<{ server: Server; url: string }> {
  const html = '<!doctype html><meta charset="utf-8"><title>mapnn wasm</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const headers: Record<string, string> = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    if (req.url === '/page.js' || req.url === '/worker.js') res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(req.url === '/page.js' ? page : worker);
    else res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })),
  );
}

describe('browser (Chromium): Web Workers when cross-origin isolated, else one thread', () => {
  const cleanup: (() => unknown)[] = [];
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f();
  });

  if (!chromiumPath) {
    if (CI) it('Chromium is installed (required when CI=true)', () => expect.fail(`no Chromium at ${CANDIDATES.filter(Boolean).join(', ')}`));
    else it.skip('no Chromium found (set MAPNN_CHROMIUM)', () => {});
    return;
  }

  it('trains on 2 threads when isolated and on 1 otherwise, with the same results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapnn-wasm-browser-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const page = await bundle(dir);
    const worker = readFileSync(here('./generated/worker.mjs'), 'utf8'); // bundled by the tests' global setup
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: FLAGS, timeout: 60_000 });
    cleanup.push(() => browser.close());
    const reports: WasmPageReport[] = [];
    for (const isolated of [true, false]) {
      const { server, url } = await serve(page, worker, isolated);
      cleanup.push(() => new Promise((r) => server.close(r)));
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(url);
      await tab.waitForFunction(() => 'mapnnTrain' in globalThis, undefined, { timeout: 30_000 });
      const report = await tab.evaluate(
        ([steps, threads]) => (globalThis as unknown as { mapnnTrain(s: number, t: number): Promise<WasmPageReport> }).mapnnTrain(steps, threads),
        [12, 2] as const,
      );
      expect(errors, `page errors (isolated: ${isolated})`).toEqual([]);
      reports.push(report);
      await tab.close();
    }
    const [iso, plain] = reports as [WasmPageReport, WasmPageReport];
    console.log(`browser: isolated ${iso.threads} threads, losses ${iso.losses[0]!.toFixed(4)} → ${iso.losses.at(-1)!.toFixed(4)}; not isolated ${plain.threads} thread`);
    expect(iso.isolated).toBe(true);
    expect(iso.threads).toBe(2);
    expect(plain.isolated).toBe(false);
    expect(plain.threads).toBe(1);
    for (const r of reports) {
      expect(r.losses.every(Number.isFinite)).toBe(true);
      expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]! * 0.9);
    }
    iso.losses.forEach((l, i) => expect(l).toBeCloseTo(plain.losses[i]!, 4));
    expect(iso.checksum).toBeCloseTo(plain.checksum, 2);
  }, 120_000);

  it('a Vite build of an app importing the built packages starts the pool\'s workers (2 threads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mapnn-wasm-vite-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const { server, url } = await serveDir(await viteBuild(dir));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: FLAGS, timeout: 60_000 });
    cleanup.push(() => browser.close());
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(url);
    await tab.waitForFunction(() => 'mapnnRun' in globalThis, undefined, { timeout: 30_000 });
    const r = await tab.evaluate(() => (globalThis as unknown as { mapnnRun(t: number): Promise<{ threads: number; isolated: boolean; checksum: number }> }).mapnnRun(2));
    expect(errors).toEqual([]);
    expect(r.isolated).toBe(true);
    expect(r.threads).toBe(2);
    expect(Number.isFinite(r.checksum)).toBe(true);
  }, 120_000);
});

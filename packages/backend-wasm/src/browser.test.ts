/**
 * Browser test: bundles core + this backend (browser.page.ts) as an ES module, serves it from
 * 127.0.0.1 with the pool's worker script beside it, and opens it in Debian's Chromium
 * (playwright-core) twice — cross-origin isolated (COOP/COEP headers: SharedArrayBuffer, a pool
 * of module Web Workers over shared memory) and not (one thread, unshared memory). Both train a
 * small MLP whose loss falls, and agree with each other. A second test builds an app that
 * imports the built packages with Vite and checks that its workers start. Without Chromium the
 * tests are skipped locally and fail under CI=true. MAPNN_CHROMIUM overrides the browser path.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { bundlePage, describeInChromium, HEADLESS_FLAGS, ISOLATION_HEADERS } from '@mapnn/config/browser-test';
import type { WasmPageReport } from './browser.page.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const FLAGS = [...HEADLESS_FLAGS, '--disable-gpu'];
const HTML = (script: string) => `<!doctype html><meta charset="utf-8"><title>mapnn wasm</title><script type="module" src="${script}"></script>`;

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
  writeFileSync(join(dir, 'index.html'), HTML('./main.js'));
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
    resolve: {
      // '@mapnn/core/backend' first: an alias also applies to the subpaths of its name
      alias: { '@mapnn/core/backend': here('../../core/dist/backend-entry.js'), '@mapnn/core': dist('core'), '@mapnn/backend-wasm': dist('backend-wasm') },
    },
  });
  return outDir;
}

describeInChromium('browser (Chromium): Web Workers when cross-origin isolated, else one thread', ({ tempDir, launch, open }) => {
  it('trains on 2 threads when isolated and on 1 otherwise, with the same results', async () => {
    const page = await bundlePage({ entry: here('./browser.page.ts'), outDir: tempDir('mapnn-wasm-browser-'), format: 'esm' });
    // the worker is the one bundled by the tests' global setup
    const files = { '/': HTML('/page.js'), '/page.js': page, '/worker.js': readFileSync(here('./generated/worker.mjs'), 'utf8') };
    const browser = await launch(FLAGS);
    const reports: WasmPageReport[] = [];
    for (const isolated of [true, false]) {
      const { page: tab, errors } = await open(browser, { files, headers: isolated ? ISOLATION_HEADERS : {} });
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

  it("a Vite build of an app importing the built packages starts the pool's workers (2 threads)", async () => {
    const root = await viteBuild(tempDir('mapnn-wasm-vite-'));
    const { page, errors } = await open(await launch(FLAGS), { root, headers: ISOLATION_HEADERS });
    await page.waitForFunction(() => 'mapnnRun' in globalThis, undefined, { timeout: 30_000 });
    const r = await page.evaluate(() => (globalThis as unknown as { mapnnRun(t: number): Promise<{ threads: number; isolated: boolean; checksum: number }> }).mapnnRun(2));
    expect(errors).toEqual([]);
    expect(r.isolated).toBe(true);
    expect(r.threads).toBe(2);
    expect(Number.isFinite(r.checksum)).toBe(true);
  }, 120_000);
});

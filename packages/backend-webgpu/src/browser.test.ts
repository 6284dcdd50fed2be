/**
 * Browser smoke test: bundles core + this backend (browser.page.ts) with tsup/esbuild, serves
 * it from 127.0.0.1, opens it in Debian's Chromium (playwright-core) with WebGPU on
 * SwiftShader, trains a tiny network for a few steps and checks that its loss falls.
 * Without Chromium or a WebGPU adapter the test is skipped locally and fails under CI=true.
 * MAPNN_CHROMIUM overrides the browser path.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { bundlePage, describeInChromium, HEADLESS_FLAGS } from '@mapnn/config/browser-test';
import { CI } from '../test/adapter.js';
import type { TrainReport } from './browser.page.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Flags that give headless Chromium a WebGPU adapter without a GPU (its bundled SwiftShader). */
const CHROMIUM_WEBGPU_FLAGS = [
  ...HEADLESS_FLAGS,
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

describeInChromium('browser (Chromium, WebGPU)', ({ tempDir, launch, open }) => {
  it('trains a tiny network on navigator.gpu and its loss falls', async () => {
    const script = await bundlePage({ entry: here('./browser.page.ts'), outDir: tempDir('mapnn-webgpu-'), format: 'iife' });
    const html = '<!doctype html><meta charset="utf-8"><title>mapnn webgpu</title><script src="/page.js"></script>';
    const { page, errors } = await open(await launch(CHROMIUM_WEBGPU_FLAGS), { files: { '/': html, '/page.js': script } });
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

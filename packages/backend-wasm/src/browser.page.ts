/**
 * The page script of the browser test (browser.test.ts bundles it with core and this backend as
 * an ES module): trains a small MLP on the wasm backend (large enough that its kernels are split
 * over the threads) and reports the thread count, whether the page is cross-origin isolated, the
 * losses and a matmul checksum.
 */
import { getBackend, Generator, matmul, randn, setBackendAsync, sum, tidy } from '@mapnn/core';
import { trainTinyMlp } from '@mapnn/backend-tests/browser-page';
import { setWasmThreads } from './index.js';

export interface WasmPageReport {
  isolated: boolean;
  threads: number;
  losses: number[];
  checksum: number;
}

async function train(steps: number, threads: number): Promise<WasmPageReport> {
  await setWasmThreads(threads);
  await setBackendAsync('wasm');
  const losses = await trainTinyMlp({ steps, samples: 256, features: 64, hidden: 128, lr: 0.02 });
  const checksum = tidy(() => sum(matmul(randn([300, 200], { generator: new Generator(9) }), randn([200, 150], { generator: new Generator(10) }))).item());
  const used = getBackend().memory().threads;
  return { isolated: globalThis.crossOriginIsolated === true, threads: typeof used === 'number' ? used : 0, losses, checksum };
}

Reflect.set(globalThis, 'mapnnTrain', train); // read by browser.test.ts

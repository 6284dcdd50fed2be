/**
 * The page script of the browser test (browser.test.ts bundles it with core and this backend as
 * an ES module): trains a small MLP on the wasm backend and reports the thread count, whether
 * the page is cross-origin isolated, the losses and a matmul checksum.
 */
import { add, getBackend, grads, matmul, mean, mul, randn, relu, setBackendAsync, sub, sum, tidy, Generator, type Tensor } from '@mapnn/core';
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
  const g = new Generator(3);
  // large enough that matmul and elementwise kernels are split over the threads
  const x = randn([256, 64], { generator: g });
  const target = matmul(x, randn([64, 1], { generator: g }));
  const params = [randn([64, 128], { generator: g }).mul(0.1), randn([128], { generator: g }).mul(0), randn([128, 1], { generator: g }).mul(0.1)];
  const lossFn = (w1: Tensor, b1: Tensor, w2: Tensor) => {
    const err = sub(matmul(relu(add(matmul(x, w1), b1)), w2), target);
    return mean(mul(err, err));
  };
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = tidy(() => {
      const l = lossFn(params[0]!, params[1]!, params[2]!);
      const gs = grads(lossFn)(...params);
      params.forEach((p, i) => p.assign(sub(p, mul(gs[i]!, 0.02))));
      return l;
    });
    losses.push(loss.item());
    loss.dispose();
  }
  const checksum = tidy(() => sum(matmul(randn([300, 200], { generator: new Generator(9) }), randn([200, 150], { generator: new Generator(10) }))).item());
  const mem = getBackend().memory() as { threads?: number };
  return { isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true, threads: mem.threads ?? 0, losses, checksum };
}

(globalThis as { mapnnTrain?: typeof train }).mapnnTrain = train;

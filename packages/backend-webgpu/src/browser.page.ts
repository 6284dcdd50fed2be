/**
 * The page script of the browser smoke test (browser.test.ts bundles it with core and this
 * backend): trains a tiny two-layer network on `navigator.gpu` and reports its losses.
 */
import { add, getBackend, grads, matmul, mean, mul, randn, relu, setBackendAsync, sub, tensor, tidy, type Tensor } from '@mapnn/core';
import './index.js';
import type { WebGPUBackend } from './backend.js';

export interface TrainReport {
  adapter: string;
  losses: number[];
}

async function train(steps: number): Promise<TrainReport> {
  await setBackendAsync('webgpu');
  const x = randn([32, 4]);
  const w = tensor([[0.5], [-1], [2], [0.25]]);
  const y = matmul(x, w); // a linear target the network can fit
  const params = [randn([4, 8]).mul(0.5), tensor(new Array(8).fill(0), [8]), randn([8, 1]).mul(0.5)];
  const lossFn = (w1: Tensor, b1: Tensor, w2: Tensor) => {
    const err = sub(matmul(relu(add(matmul(x, w1), b1)), w2), y);
    return mean(mul(err, err));
  };
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = tidy(() => {
      const l = lossFn(params[0]!, params[1]!, params[2]!);
      const gs = grads(lossFn)(...params);
      params.forEach((p, i) => p.assign(sub(p, mul(gs[i]!, 0.05))));
      return l;
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  return { adapter: (getBackend() as WebGPUBackend).adapterName, losses };
}

(globalThis as { mapnnTrain?: typeof train }).mapnnTrain = train;

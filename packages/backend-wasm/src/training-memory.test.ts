import { beforeAll, describe, expect, it } from 'vitest';
import {
  add, dispose, getBackend, grads, matmul, mean, mul, neg, sub, sum, tensor, tidy, setBackendAsync, type Tensor,
} from '@mapnn/core';
import * as core from '@mapnn/core';
import './index.js';
import type { WasmBackend } from './index.js';
import { seededData } from '@mapnn/backend-tests';

const relu = (core as unknown as { relu: (x: Tensor) => Tensor }).relu;
const logSoftmax = (core as unknown as { logSoftmax: (x: Tensor, axis: number) => Tensor }).logSoftmax;

describe('memory across training', () => {
  beforeAll(async () => {
    await setBackendAsync('wasm');
  });

  it('1,000 steps of an MLP trained with core ops: no heap or linear-memory growth after warm-up', async () => {
    const be = getBackend() as unknown as WasmBackend;
    const batch = 32;
    const x = tensor(Float32Array.from(seededData(batch * 20, 1)), [batch, 20]);
    const labels = Array.from({ length: batch }, (_, i) => i % 4);
    const y = tensor(labels.flatMap((l) => [0, 1, 2, 3].map((k) => (k === l ? 1 : 0))), [batch, 4]);
    const params = [
      tensor(Float32Array.from(seededData(20 * 64, 2)).map((v) => v * 0.3), [20, 64]),
      tensor(new Float32Array(64), [64]),
      tensor(Float32Array.from(seededData(64 * 4, 3)).map((v) => v * 0.3), [64, 4]),
      tensor(new Float32Array(4), [4]),
    ];
    const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => {
      const h = relu(add(matmul(x, w1), b1));
      const logp = logSoftmax(add(matmul(h, w2), b2), -1);
      return mean(neg(sum(mul(logp, y), -1)));
    };
    const step = () =>
      tidy(() => {
        const l = loss(...(params as [Tensor, Tensor, Tensor, Tensor]));
        const gs = grads(loss)(...params);
        params.forEach((p, i) => p.assign(sub(p, mul(gs[i]!, 0.1))));
        return l;
      });
    const first = step();
    const firstLoss = (await first.data())[0]!;
    first.dispose();
    for (let i = 0; i < 20; i++) step().dispose();
    const warm = be.memory();
    let last = 0;
    for (let i = 0; i < 1000; i++) {
      const l = step();
      if (i === 999) last = (await l.data())[0]!;
      l.dispose();
    }
    const end = be.memory();
    expect(last, 'the MLP should train').toBeLessThan(firstLoss * 0.5);
    expect(end.numBuffers, 'live buffers').toBe(warm.numBuffers);
    expect(end.numBytes, 'live bytes').toBe(warm.numBytes);
    expect(end.heapPeakBytes, 'heap high-water mark').toBe(warm.heapPeakBytes);
    expect(end.wasmMemoryBytes, 'linear memory').toBe(warm.wasmMemoryBytes);
    dispose([x, y, params]);
  });
});

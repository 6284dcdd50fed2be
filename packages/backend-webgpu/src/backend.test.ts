import { beforeAll, describe, expect, it } from 'vitest';
import { add, argmax, cast, dispose, exp, max, mul, runKernel, sum, tensor, tidy, zeros } from '@mapnn/core';
import { SYNC_READ_ERROR } from './backend.js';
import { createWebGPUBackend } from './init.js';
import { dawnGPU } from './node.js';
import { activateWebGPU, requireAdapter, webgpu } from '../test/adapter.js';

const reason = await activateWebGPU();

describe('webgpu backend', () => {
  if (!requireAdapter(reason)) return;
  beforeAll(() => activateWebGPU());

  it('reports the adapter', () => {
    expect(webgpu().adapterName.length).toBeGreaterThan(0);
  });

  it('synchronous reads throw a clear error, except for small uploads that keep a host copy', async () => {
    const x = tensor([1, 2, 3]);
    const y = exp(x);
    expect(() => y.dataSync()).toThrow(SYNC_READ_ERROR);
    expect(() => y.sum().item()).toThrow('use await tensor.data()');
    expect(x.dataSync()).toEqual(new Float32Array([1, 2, 3]));
    const got = await y.data();
    [1, 2, 3].forEach((v, i) => expect(got[i]).toBeCloseTo(Math.exp(v), 5));
    dispose([x, y]);
  });

  it('int64 is computed in 32 bits: wider values read back exactly but kernels refuse them', async () => {
    const big = tensor([2 ** 40, -3], undefined, 'int64');
    expect(Array.from(await big.data())).toEqual([2 ** 40, -3]);
    expect(() => add(big, 1)).toThrow(RangeError);
    expect(() => add(big, 1)).toThrow(/outside the range the webgpu backend computes int64 in/);
    const ok = tensor([5, -7], undefined, 'int64');
    const s = add(ok, 2);
    expect(s.dtype).toBe('int64');
    expect(Array.from(await s.data())).toEqual([7, -5]);
    dispose([big, ok, s]);
  });

  it('long reductions (workgroup tree) and strided axes match a float64 reference', async () => {
    const n = 3 * 300 * 5;
    const v = Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const x = tensor(v, [3, 300, 5]);
    const s = sum(x, [0, 2]); // [300], strided reduced axes, R = 15
    const t = sum(x, [1]); // [3,5], R = 300 > 64: one workgroup per output
    const m = max(x); // full reduction
    const want = new Float64Array(15);
    for (let a = 0; a < 3; a++) for (let b = 0; b < 300; b++) for (let c = 0; c < 5; c++) want[a * 5 + c] += v[(a * 300 + b) * 5 + c]!;
    const got = await t.data();
    want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(1e-3));
    const sv = await s.data();
    expect(Math.abs(sv[7]! - [0, 1, 2].flatMap((a) => [0, 1, 2, 3, 4].map((c) => v[(a * 300 + 7) * 5 + c]!)).reduce((p, q) => p + q))).toBeLessThan(1e-4);
    expect((await m.data())[0]).toBeCloseTo(Math.max(...v.map(Math.fround)), 6);
    dispose([x, s, t, m]);
  });

  it('errors only the GPU can see (index out of range, int64 overflow) throw at the next read', async () => {
    const x = tensor([1, 2, 3]);
    const idx = add(tensor([0, 2], undefined, 'int32'), tensor([0, 1], undefined, 'int32')); // [0, 3], computed: no host copy
    const g = runKernel('indexSelect', [x, idx], { axis: 0 });
    await expect(g.data()).rejects.toThrow(/indexSelect: an index was out of range[\s\S]*detected on the GPU/);
    expect(Array.from(await g.data())).toEqual([1, 0]); // reported once; the value read 0
    const big = cast(mul(x, 1e10), 'int64');
    await expect(big.data()).rejects.toThrow(RangeError);
    const fine = cast(mul(x, 2), 'int64');
    expect(Array.from(await fine.data())).toEqual([2, 4, 6]);
    dispose([x, idx, g, big, fine]);
  });

  it('a kernel that throws frees the storage it made', () => {
    const before = webgpu().memory().numBuffers;
    const big = tensor([2 ** 40], undefined, 'int64');
    expect(() => runKernel('add', [big, big])).toThrow(RangeError);
    expect(webgpu().memory().numBuffers).toBe(before + 1);
    big.dispose();
  });

  it('argmax: first index on ties, NaN wins', async () => {
    const x = tensor([[1, 3, 3, 0], [2, NaN, 5, NaN]]);
    const a = argmax(x, 1);
    expect(a.dtype).toBe('int64');
    expect(Array.from(await a.data())).toEqual([1, 1]);
    dispose([x, a]);
  });

  it('reuses pooled buffers after a submit', async () => {
    const be = webgpu();
    const before = be.runtime.poolStats();
    for (let i = 0; i < 5; i++) {
      const r = tidy(() => add(zeros([1000]), 1));
      await r.data(); // submits, so released buffers become reusable
      r.dispose();
    }
    const after = be.runtime.poolStats();
    expect(after.hits - before.hits).toBeGreaterThan(5);
    expect(after.allocatedBytes - before.allocatedBytes).toBeLessThan(64 * 1024);
  });

  it('small uploads are batched: one submit for many tensors', async () => {
    const c = webgpu().runtime.counters;
    const [u0, s0] = [c.batchedUploads, c.submits];
    const ts = Array.from({ length: 20 }, (_, i) => tensor([i, i + 1, i + 2]));
    const total = tidy(() => ts.reduce((a, b) => add(a, b)));
    expect(c.batchedUploads - u0).toBe(20);
    expect(c.submits - s0).toBe(0);
    expect(Array.from(await total.data())).toEqual([190, 210, 230]);
    expect(c.submits - s0).toBe(1);
    dispose([ts, total]);
  });

  it('memory() counts tensors and bytes, and GPU bytes held', () => {
    const m0 = webgpu().memory();
    const x = zeros([256]);
    const m1 = webgpu().memory();
    expect(m1.numBuffers - m0.numBuffers).toBe(1);
    expect(m1.numBytes - m0.numBytes).toBe(1024);
    expect(m1.gpuBytes).toBeGreaterThan(0);
    x.dispose();
    expect(webgpu().memory().numBuffers).toBe(m0.numBuffers);
  });

  it('a lost device is a clear error', async () => {
    const be = await createWebGPUBackend({ gpu: dawnGPU() });
    const id = be.write(new Float32Array([1, 2]), 'float32');
    be.runtime.device.destroy(); // what a driver reset looks like to the backend
    await be.runtime.device.lost;
    expect(() => be.write(new Float32Array([1]), 'float32')).toThrow(/WebGPU device lost \(destroyed\)/);
    await expect(be.read(id)).rejects.toThrow(/device lost/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { batchMatmul, dispose, randn, runKernel, tensor, type Tensor } from '@mapnn/core';
import { naiveMatmul } from '@mapnn/backend-tests';
import { matmulTile } from './kernels/matmul.js';
import { activateWebGPU, requireAdapter } from '../test/adapter.js';

const LIMITS = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupStorageSize: 16384,
};

describe('matmul tiles', () => {
  it('small products get a small tile, large ones a 64×64 register-blocked tile', () => {
    expect(matmulTile(4, 5, 6, LIMITS)).toEqual({ wx: 8, wy: 8, tm: 2, tn: 2, bk: 8 });
    expect(matmulTile(256, 256, 256, LIMITS)).toEqual({ wx: 16, wy: 16, tm: 4, tn: 4, bk: 16 });
  });
  it('fits the adapter limits (invocations, workgroup size, workgroup memory)', () => {
    const t = matmulTile(512, 512, 512, { ...LIMITS, maxComputeInvocationsPerWorkgroup: 64, maxComputeWorkgroupStorageSize: 4096 });
    expect(t.wx * t.wy).toBeLessThanOrEqual(64);
    expect(t.bk * (t.wy * t.tm + t.wx * t.tn) * 4).toBeLessThanOrEqual(4096);
    const narrow = matmulTile(512, 512, 512, { ...LIMITS, maxComputeWorkgroupSizeX: 4 });
    expect(narrow.wx).toBeLessThanOrEqual(4);
  });
});

const reason = await activateWebGPU();
describe('matmul kernel on webgpu', () => {
  if (!requireAdapter(reason)) return;
  beforeAll(() => activateWebGPU());
  const cases: [number, number, number, number, number, boolean, boolean][] = [
    // ba, bb, m, k, n, transA, transB
    [1, 1, 3, 5, 4, false, false],
    [2, 1, 17, 9, 33, true, false],
    [1, 3, 8, 31, 9, false, true],
    [2, 2, 70, 45, 90, false, false], // large tile, ragged edges
    [1, 1, 65, 40, 130, true, true],
    [1, 1, 2, 0, 3, false, false], // empty k: zeros
  ];
  for (const [ba, bb, m, k, n, tA, tB] of cases) {
    it(`[${ba},${m},${k}]${tA ? 'ᵀ' : ''} @ [${bb},${k},${n}]${tB ? 'ᵀ' : ''}`, async () => {
      const a = randn([ba, tA ? k : m, tA ? m : k]);
      const b = randn([bb, tB ? n : k, tB ? k : n]);
      let c: Tensor | null = null;
      try {
        c = runKernel('matmul', [a, b], { transA: tA, transB: tB });
        expect(c.shape).toEqual([Math.max(ba, bb), m, n]);
        const want = naiveMatmul(await a.data(), await b.data(), ba, bb, m, k, n, tA, tB).out;
        const got = await c.data();
        let worst = 0;
        want.forEach((w, i) => (worst = Math.max(worst, Math.abs(got[i]! - w) / (1 + Math.abs(w)))));
        expect(worst).toBeLessThan(1e-5);
      } finally {
        dispose([a, b, c]);
      }
    });
  }
  it('float16 results are rounded to half', async () => {
    const a = tensor([[0.1, 0.2], [0.3, 0.4]], undefined, 'float16');
    const c = batchMatmul(a.reshape([1, 2, 2]), a.reshape([1, 2, 2]));
    expect(c.dtype).toBe('float16');
    const v = await c.data();
    for (const x of v) expect(new Float32Array([x])[0]).toBe(x);
    dispose([a, c]);
  });
});

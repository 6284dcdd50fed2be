/**
 * Differential tests: every webgpu kernel against the cpu backend's (the reference), over the
 * dtypes the conformance suite barely touches (int8/uint8 wrapping, bool, int64, float16) and
 * shapes that exercise broadcasting, strided reductions and every movement kernel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d, KERNELS, runKernel, setBackend, setBackendAsync, tensor, type DType, type KernelAttrs, type Tensor } from '@mapnn/core';
import { mulberry32 } from '@mapnn/config/random';
import { activateWebGPU, requireAdapter } from '../test/adapter.js';
import { gpuDTypes } from './kernels/register.js';

// the cpu backend from its sources (not a dependency of this package; resolved by vitest)
const cpuSource = new URL('../../backend-cpu/src/index.ts', import.meta.url).pathname;
await import(/* @vite-ignore */ cpuSource);

/** Deterministic values suited to `dtype` (8-bit values large enough to wrap). */
function values(n: number, dtype: DType, seed: number): number[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const r = rnd();
    switch (dtype) {
      case 'bool': return r < 0.5 ? 0 : 1;
      case 'uint8': return Math.floor(r * 256);
      case 'int8': return Math.floor(r * 256) - 128;
      case 'int32': case 'int64': return Math.floor(r * 21) - 10;
      default: return Math.round((r * 8 - 4) * 64) / 64;
    }
  });
}

type Spec = { shape: number[]; dtype: DType; data?: number[] };

/** Runs kernel `op` on both backends; returns [webgpu, cpu] results as plain numbers. */
async function both(op: string, specs: Spec[], attrs: KernelAttrs): Promise<{ gpu: number[]; cpu: number[]; shape: number[]; dtype: string }> {
  const datas = specs.map((s, k) => s.data ?? values(s.shape.reduce((a, b) => a * b, 1), s.dtype, 7 + 13 * k));
  const run = (): Tensor => runKernel(op, specs.map((s, k) => tensor(datas[k]!, s.shape, s.dtype)), attrs);
  setBackend('cpu');
  const c = run();
  await setBackendAsync('webgpu');
  const g = run();
  expect(g.shape).toEqual(c.shape);
  expect(g.dtype).toBe(c.dtype);
  return { gpu: Array.from(await g.data(), Number), cpu: Array.from(await c.data(), Number), shape: [...g.shape], dtype: g.dtype };
}

function same(gpu: number[], cpu: number[], dtype: string, rtol = 1e-5): void {
  expect(gpu.length).toBe(cpu.length);
  const float = dtype.startsWith('float');
  gpu.forEach((g, i) => {
    const w = cpu[i]!;
    if (!float || Number.isNaN(w) || !Number.isFinite(w)) expect(g === 0 && w === 0 ? 0 : g, `[${i}]`).toBe(g === 0 && w === 0 ? 0 : w); // int64 -0 is 0
    else expect(Math.abs(g - w), `[${i}] gpu ${g} cpu ${w}`).toBeLessThanOrEqual(rtol * (1 + Math.abs(w)));
  });
}

const INTS: DType[] = ['int32', 'int64', 'int8', 'uint8'];
const NUM: DType[] = ['float32', 'float16', ...INTS];
const tolOf = (d: DType) => (d === 'float16' ? 2e-3 : 1e-5);
const UNARY = ['neg', 'abs', 'sign', 'floor', 'ceil', 'round', 'logicalNot', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'sin', 'cos', 'tanh', 'erf', 'reciprocal', 'sigmoid'] as const;

const reason = await activateWebGPU();
describe('webgpu kernels = cpu kernels', () => {
  if (!requireAdapter(reason)) return;
  beforeAll(() => activateWebGPU());

  describe('elementwise', () => {
    for (const dtype of [...NUM, 'bool'] as DType[]) {
      it(`binary ops with broadcasting (${dtype})`, async () => {
        const ops = ['add', 'sub', 'mul', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor'];
        if (dtype !== 'bool') ops.push('mod', 'pow');
        // (core promotes integer division to float; cpu's int64 div keeps the fraction, webgpu truncates)
        if (dtype !== 'bool' && dtype !== 'int64') ops.push('div');
        for (const op of ops) {
          const b = op === 'pow' && dtype !== 'float32' && dtype !== 'float16' ? [0, 1, 2, 3] : op === 'mod' || op === 'div' ? [3, -2, 5, 7] : undefined;
          const r = await both(op, [{ shape: [3, 1, 4], dtype }, { shape: [2, 4], dtype, data: b && [...b, ...b].map((v) => (dtype === 'uint8' ? Math.abs(v) : v)) }], {});
          same(r.gpu, r.cpu, r.dtype, tolOf(dtype));
        }
      });
    }
    for (const dtype of NUM) {
      it(`unary ops (${dtype})`, async () => {
        // the kernels the spec table (and so the webgpu registration) computes for this dtype
        for (const op of UNARY.filter((k) => gpuDTypes(k).includes(dtype))) {
          const r = await both(op, [{ shape: [5, 7], dtype }], {});
          same(r.gpu, r.cpu, r.dtype, dtype === 'float16' ? 2e-3 : 2e-5);
        }
      });
    }
    it('where (all dtypes, broadcast condition)', async () => {
      for (const dtype of [...NUM, 'bool'] as DType[]) {
        const r = await both('where', [{ shape: [3, 1], dtype: 'bool' }, { shape: [3, 4], dtype }, { shape: [4], dtype }], {});
        same(r.gpu, r.cpu, r.dtype);
      }
    });
    it('cast between all dtypes', async () => {
      const all = KERNELS.cast.dtypes; // every dtype
      for (const from of all) {
        for (const to of all) {
          const data = from.startsWith('float') ? [1.7, -1.7, -0.5, 0, 3.25, 100.9, -200.2, 0.1] : undefined;
          const r = await both('cast', [{ shape: [8], dtype: from, data }], { dtype: to });
          same(r.gpu, r.cpu, r.dtype, to === 'float16' ? 0 : 1e-6);
        }
      }
    });
  });

  describe('reductions', () => {
    for (const dtype of ['float32', 'float16', 'int32', 'int8', 'bool'] as DType[]) {
      it(`sum prod max min and argmax argmin (${dtype})`, async () => {
        for (const op of ['sum', 'prod', 'max', 'min']) {
          if (dtype === 'bool' && (op === 'sum' || op === 'prod')) continue;
          for (const axes of [[0], [1], [0, 2], [0, 1, 2]]) {
            const r = await both(op, [{ shape: [3, 4, 2], dtype, data: op === 'prod' ? values(24, 'bool', 3).map((v) => v + 1) : undefined }], { axes });
            same(r.gpu, r.cpu, r.dtype, dtype === 'float16' ? 2e-3 : 1e-5);
          }
        }
        for (const op of ['argmax', 'argmin']) {
          for (const axis of [0, 1, 2]) {
            const r = await both(op, [{ shape: [3, 4, 2], dtype }], { axis });
            same(r.gpu, r.cpu, r.dtype);
          }
        }
      });
    }
    it('empty reductions give the identity', async () => {
      for (const op of ['sum', 'prod', 'max', 'min']) {
        for (const dtype of ['float32', 'int32'] as DType[]) {
          const r = await both(op, [{ shape: [0, 3], dtype }], { axes: [0] });
          same(r.gpu, r.cpu, r.dtype);
        }
      }
    });
  });

  describe('movement and indexing', () => {
    for (const dtype of ['float32', 'float16', 'int64', 'uint8', 'bool'] as DType[]) {
      it(`broadcastTo transpose slice pad concat (${dtype})`, async () => {
        const x: Spec = { shape: [2, 3, 4], dtype };
        const cases: [string, Spec[], KernelAttrs][] = [
          ['broadcastTo', [{ shape: [3, 1], dtype }], { shape: [2, 3, 5] }],
          ['transpose', [x], { perm: [2, 0, 1] }],
          ['transpose', [x], { perm: [0, 2, 1] }],
          ['slice', [x], { begin: [1, 2, 3], size: [1, 2, 2], step: [1, -1, -2] }],
          ['slice', [x], { begin: [0, 0, 1], size: [2, 3, 2], step: [1, 1, 2] }],
          ['pad', [x], { pads: [0, 1, 2, 0, 1, 1], mode: 'constant', value: 1 }],
          ['pad', [x], { pads: [1, 0, 0, 0, 0, 1], mode: 'constant', value: 300.1 }],
          ['pad', [x], { pads: [1, 1, 2, 2, 3, 3], mode: 'reflect' }],
          ['pad', [x], { pads: [0, 2, 1, 0, 3, 1], mode: 'edge' }],
          ['concat', [x, { shape: [2, 1, 4], dtype }, { shape: [2, 0, 4], dtype }, x], { axis: 1 }],
        ];
        for (const [op, specs, attrs] of cases) {
          const r = await both(op, specs, attrs);
          same(r.gpu, r.cpu, r.dtype, 0);
        }
      });
    }
    for (const idx of ['int32', 'int64'] as DType[]) {
      it(`gather indexSelect scatter scatterAdd (${idx} indices)`, async () => {
        for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
          const x: Spec = { shape: [3, 4], dtype };
          const i1: Spec = { shape: [3, 2], dtype: idx, data: [3, 0, 1, 1, 2, 3] };
          const i0: Spec = { shape: [2, 4], dtype: idx, data: [2, 0, 1, 2, 0, 0, 2, 1] };
          const cases: [string, Spec[], KernelAttrs][] = [
            ['gather', [x, i1], { axis: 1 }],
            ['gather', [x, i0], { axis: 0 }],
            ['indexSelect', [x, { shape: [5], dtype: idx, data: [2, 0, 2, 1, 0] }], { axis: 0 }],
            ['indexSelect', [x, { shape: [3], dtype: idx, data: [3, 3, 1] }], { axis: 1 }],
            ['scatter', [x, i0, { shape: [2, 4], dtype }], { axis: 0 }],
            ['scatterAdd', [x, i0, { shape: [2, 4], dtype }], { axis: 0 }],
            ['scatterAdd', [x, { shape: [3, 3], dtype: idx, data: [0, 0, 0, 3, 1, 3, 2, 2, 2] }, { shape: [3, 3], dtype }], { axis: 1 }],
          ];
          for (const [op, specs, attrs] of cases) {
            const r = await both(op, specs, attrs);
            same(r.gpu, r.cpu, r.dtype);
          }
        }
      });
    }
    it('index out of range is a RangeError when the indices have a host copy', () => {
      const x = tensor([1, 2, 3]);
      expect(() => runKernel('indexSelect', [x, tensor([0, 3], undefined, 'int32')], { axis: 0 })).toThrow(RangeError);
      x.dispose();
    });
  });

  describe('nn fast paths', () => {
    it('conv2d (implicit GEMM) = cpu unfold + matmul', async () => {
      const cases: [number[], number[], Record<string, unknown>][] = [
        [[2, 3, 7, 6], [4, 3, 3, 3], { padding: 1 }],
        [[1, 4, 9, 8], [6, 2, 3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }],
        [[2, 3, 5, 5], [3, 1, 3, 3], { groups: 3, padding: 'same' }],
        [[1, 16, 12, 12], [70, 16, 1, 1], {}], // large tile
      ];
      for (const [xs, ws, opts] of cases) {
        const xd = values(xs.reduce((a, b) => a * b), 'float32', 5);
        const wd = values(ws.reduce((a, b) => a * b), 'float32', 9);
        const run = () => conv2d(tensor(xd, xs), tensor(wd, ws), undefined, opts);
        setBackend('cpu');
        const c = Array.from(await run().data());
        await setBackendAsync('webgpu');
        const g = Array.from(await run().data());
        same(g, c, 'float32', 1e-5);
      }
    });

    it('unfold2d and fold2d', async () => {
      const geo = { kernel: [3, 2], stride: [2, 1], pads: [1, 0, 1, 1], dilation: [1, 2] };
      const u = await both('unfold2d', [{ shape: [2, 3, 5, 6], dtype: 'float32' }], { ...geo, padValue: -1 });
      same(u.gpu, u.cpu, u.dtype);
      const f = await both('fold2d', [{ shape: u.shape, dtype: 'float32' }], { ...geo, outputSize: [5, 6] });
      same(f.gpu, f.cpu, f.dtype);
    });
  });
});

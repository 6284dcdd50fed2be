import { describe, expect, it } from 'vitest';
import {
  add, cast, dispose, exp, float16BitsToFloat32, float32ToFloat16Bits, grads, matmul, mul, ones, sum, tensor, tidy,
  zeros, type Tensor,
} from '@mapnn/core';
import type { ResolvedOptions } from './types.js';
import { call, read } from './util.js';

/** Runs `fn` in tidy, reads the result's shape, dtype and values, and frees everything. */
async function run(fn: () => Tensor): Promise<{ shape: number[]; dtype: string; values: number[] }> {
  const t = tidy(fn);
  try {
    return { shape: [...t.shape], dtype: t.dtype, values: await read(t) };
  } finally {
    t.dispose();
  }
}

const closeTo = (got: number[], want: number[], tol = 1e-6) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `[${i}] got ${g}, expected ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))));
};

const f16 = (v: number) => float16BitsToFloat32(float32ToFloat16Bits(v));

/** Broadcasting, empty and size-1 dims, and dtype rules. */
export function edgeSuite(o: ResolvedOptions): void {
  const t = (name: string, fn: () => unknown) => it.skipIf(o.isExcluded('edge', name))(name, fn as () => Promise<void>);
  const d = (name: string, fn: () => unknown) => it.skipIf(o.isExcluded('dtype', name))(name, fn as () => Promise<void>);

  describe('broadcasting', () => {
    t('number with tensor (both sides)', async () => {
      const r = await run(() => add(tensor([[1, 2], [3, 4]]), 10));
      expect(r.shape).toEqual([2, 2]);
      expect(r.values).toEqual([11, 12, 13, 14]);
      expect((await run(() => call('sub', 1, tensor([1, 2, 3])))).values).toEqual([0, -1, -2]);
    });
    t('rank-0 tensor with tensor', async () => {
      const r = await run(() => mul(tensor(3), tensor([[1, 2, 3]])));
      expect(r.shape).toEqual([1, 3]);
      expect(r.values).toEqual([3, 6, 9]);
    });
    t('[3,1] + [1,4] → [3,4]', async () => {
      const r = await run(() => add(tensor([[0], [10], [20]]), tensor([[1, 2, 3, 4]])));
      expect(r.shape).toEqual([3, 4]);
      expect(r.values).toEqual([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]);
    });
    t('rank mismatch: [2,1,3] + [4,1] → [2,4,3]; [2,3,4] * [4]', async () => {
      expect((await run(() => add(zeros([2, 1, 3]), zeros([4, 1])))).shape).toEqual([2, 4, 3]);
      const r = await run(() => mul(ones([2, 3, 4]), tensor([1, 2, 3, 4])));
      expect(r.shape).toEqual([2, 3, 4]);
      expect(r.values.slice(0, 8)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
    });
    t('size-1 dims: [1,1] + [1] → [1,1]; [1] + [] → [1]', async () => {
      expect((await run(() => add(tensor([[2]]), tensor([3])))).shape).toEqual([1, 1]);
      const r = await run(() => add(tensor([2]), tensor(5)));
      expect(r.shape).toEqual([1]);
      expect(r.values).toEqual([7]);
    });
    t('gradients of broadcast operands are summed back to their shapes', async () => {
      const a = tensor([[1], [2], [3]]);
      const b = tensor([[1, 2, 3, 4]]);
      const [ga, gb] = grads((x, y) => sum(mul(x, y)))(a, b);
      expect(ga!.shape).toEqual([3, 1]);
      expect(gb!.shape).toEqual([1, 4]);
      expect(await read(ga!)).toEqual([10, 10, 10]);
      expect(await read(gb!)).toEqual([6, 6, 6, 6]);
      dispose([a, b, ga, gb]);
    });
    for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod', 'eq', 'lt', 'logicalAnd']) {
      t(`incompatible shapes: ${op} names the op and the shapes`, () => {
        const bool = op.startsWith('logical');
        const a = bool ? tensor([[true, false, true], [true, true, false]]) : ones([2, 3]);
        const b = bool ? tensor([true, false, true, true]) : ones([4]);
        try {
          expect(() => call(op, a, b)).toThrow(new RegExp(`${op}[\\s\\S]*\\[2,\\s?3\\][\\s\\S]*\\[4\\]`));
        } finally {
          dispose([a, b]);
        }
      });
    }
    t('incompatible shapes: where names the op and the shapes', () => {
      const c = tensor([true, false, true]);
      const a = ones([2, 3]);
      const b = ones([4]);
      try {
        expect(() => call('where', c, a, b)).toThrow(/where[\s\S]*\[4\]/);
      } finally {
        dispose([a, b, c]);
      }
    });
    t('incompatible shapes: matmul names the op and the shapes', () => {
      const a = ones([2, 3]);
      const b = ones([4, 5]);
      try {
        expect(() => matmul(a, b)).toThrow(/matmul[\s\S]*\[2,\s?3\][\s\S]*\[4,\s?5\]/);
      } finally {
        dispose([a, b]);
      }
    });
  });

  describe('empty and size-1 dims', () => {
    t('add on [0,3] (with [0,3], [3] and [1,3])', async () => {
      for (const other of [[0, 3], [3], [1, 3]]) {
        const r = await run(() => add(zeros([0, 3]), ones(other)));
        expect(r.shape).toEqual([0, 3]);
        expect(r.values).toEqual([]);
      }
    });
    t('sum over an empty dim is 0', async () => {
      const all = await run(() => sum(zeros([0, 3])));
      expect(all.shape).toEqual([]);
      expect(all.values).toEqual([0]);
      const ax0 = await run(() => sum(zeros([0, 3]), 0));
      expect(ax0.shape).toEqual([3]);
      expect(ax0.values).toEqual([0, 0, 0]);
      const ax1 = await run(() => sum(zeros([0, 3]), 1));
      expect(ax1.shape).toEqual([0]);
    });
    t('matmul with empty dims: [0,3]@[3,4] → [0,4]; [2,0]@[0,3] → zeros [2,3]', async () => {
      expect((await run(() => matmul(zeros([0, 3]), ones([3, 4])))).shape).toEqual([0, 4]);
      const r = await run(() => matmul(ones([2, 0]), ones([0, 3])));
      expect(r.shape).toEqual([2, 3]);
      expect(r.values).toEqual([0, 0, 0, 0, 0, 0]);
    });
    t('concat with an empty tensor', async () => {
      const r = await run(() => call('concat', [zeros([0, 3]), ones([2, 3])], 0));
      expect(r.shape).toEqual([2, 3]);
      expect(r.values).toEqual([1, 1, 1, 1, 1, 1]);
      expect((await run(() => call('concat', [zeros([2, 0]), ones([2, 1])], 1))).shape).toEqual([2, 1]);
    });
    t('gradients through empty tensors are empty', async () => {
      const x = zeros([0, 3]);
      const [g] = grads((a) => sum(mul(add(a, 1), 2)))(x);
      expect(g!.shape).toEqual([0, 3]);
      dispose([x, g]);
    });
    t('size-1 dims: reduce, squeeze and broadcast', async () => {
      const x = () => tensor([[[1, 2, 3]]]); // [1,1,3]
      expect((await run(() => sum(x(), [0, 1]))).values).toEqual([1, 2, 3]);
      expect((await run(() => call('squeeze', x()))).shape).toEqual([3]);
      expect((await run(() => call('mean', x(), 2, true))).shape).toEqual([1, 1, 1]);
    });
  });

  describe('dtype rules', () => {
    d('int32 + float32 → float32', async () => {
      const r = await run(() => add(tensor([1, 2], undefined, 'int32'), tensor([0.5, 0.25])));
      expect(r.dtype).toBe('float32');
      expect(r.values).toEqual([1.5, 2.25]);
    });
    d('int32 + int32 → int32; int32 + integer number → int32; int32 + 2.5 → float32', async () => {
      const i = () => tensor([1, 2], undefined, 'int32');
      expect((await run(() => add(i(), i()))).dtype).toBe('int32');
      expect((await run(() => add(i(), 3))).dtype).toBe('int32');
      const f = await run(() => add(i(), 2.5));
      expect(f.dtype).toBe('float32');
      expect(f.values).toEqual([3.5, 4.5]);
    });
    d('int32 / int32 is true division → float32', async () => {
      const r = await run(() => call('div', tensor([3, -3], undefined, 'int32'), tensor([2, 2], undefined, 'int32')));
      expect(r.dtype).toBe('float32');
      expect(r.values).toEqual([1.5, -1.5]);
    });
    d('int64 + float64 → float64; float32 + float64 → float64', async () => {
      expect((await run(() => add(tensor([1], undefined, 'int64'), tensor([0.5], undefined, 'float64')))).dtype).toBe('float64');
      expect((await run(() => add(tensor([1]), tensor([0.5], undefined, 'float64')))).dtype).toBe('float64');
    });
    d('comparisons give bool (float, int and mixed inputs)', async () => {
      for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge']) {
        expect((await run(() => call(op, tensor([1, 2]), tensor([2, 2])))).dtype).toBe('bool');
        expect((await run(() => call(op, tensor([1, 2], undefined, 'int32'), tensor([2, 2])))).dtype).toBe('bool');
      }
      expect((await run(() => call('lt', tensor([1, 2, 3], undefined, 'int32'), 2))).values).toEqual([1, 0, 0]);
    });
    d('int input to exp (and other float ops) gives float32', async () => {
      const r = await run(() => exp(tensor([0, 1], undefined, 'int32')));
      expect(r.dtype).toBe('float32');
      closeTo(r.values, [1, Math.E]);
      for (const op of ['sqrt', 'sigmoid', 'tanh', 'log']) {
        expect((await run(() => call(op, tensor([1, 2], undefined, 'int32')))).dtype, op).toBe('float32');
      }
    });
    d('float16 storage round-trip (rounding, overflow to Infinity, underflow to 0)', async () => {
      const vals = [1.5, 0.1, -2.75, 65504, 1e-8, 70000, 3.14159];
      const r = await run(() => tensor(vals, undefined, 'float16'));
      expect(r.dtype).toBe('float16');
      expect(r.values).toEqual([1.5, 0.0999755859375, -2.75, 65504, 0, Infinity, 3.140625]);
      expect(r.values).toEqual(vals.map(f16));
    });
    d('float16 compute: ops keep float16 and round their results', async () => {
      const a = [0.1, 0.2, 1.7, -3.3];
      const b = [0.3, 0.7, 2.1, 0.9];
      const h = (v: number[]) => tensor(v, undefined, 'float16');
      const s = await run(() => add(h(a), h(b)));
      expect(s.dtype).toBe('float16');
      expect(s.values).toEqual(a.map((v, i) => f16(f16(v) + f16(b[i]!))));
      const e = await run(() => exp(h(a)));
      expect(e.dtype).toBe('float16');
      closeTo(e.values, a.map((v) => f16(Math.exp(f16(v)))), 1e-3);
      const m = await run(() => matmul(tensor([[0.5, 0.25], [1, 2]], undefined, 'float16'), tensor([[2, 0], [4, 1]], undefined, 'float16')));
      expect(m.dtype).toBe('float16');
      expect(m.values).toEqual([2, 0.25, 10, 2]);
      const tr = await run(() => call('transpose', tensor([[1, 2, 3], [4, 5, 6]], undefined, 'float16')));
      expect(tr.dtype).toBe('float16');
      expect(tr.values).toEqual([1, 4, 2, 5, 3, 6]);
      const up = await run(() => cast(h(a), 'float32'));
      expect(up.dtype).toBe('float32');
      expect(up.values).toEqual(a.map(f16));
      expect((await run(() => add(h(a), tensor([1, 1, 1, 1])))).dtype, 'float16 + float32').toBe('float32');
    });
    d('int64 range check throws RangeError', async () => {
      expect(() => tensor([2 ** 53], undefined, 'int64')).toThrow(RangeError);
      expect(() => tensor(BigInt64Array.of(2n ** 60n))).toThrow(RangeError);
      expect(() => tensor([2n ** 62n])).toThrow(RangeError);
      const big = tensor([1e20]);
      try {
        expect(() => cast(big, 'int64')).toThrow(RangeError);
      } finally {
        big.dispose();
      }
      const ok = await run(() => tensor([2 ** 53 - 1, -(2 ** 53 - 1)], undefined, 'int64'));
      expect(ok.values).toEqual([2 ** 53 - 1, -(2 ** 53 - 1)]);
    });
    d('casts: float → int truncates toward zero; → bool is != 0', async () => {
      expect((await run(() => cast(tensor([1.7, -1.7, -0.5]), 'int32'))).values).toEqual([1, -1, 0]);
      expect((await run(() => cast(tensor([1.7, 0, -0.5]), 'bool'))).values).toEqual([1, 0, 1]);
    });
    d('float casts are differentiable (float32 → float64 → float32)', async () => {
      const x = tensor([1, 2]);
      const [g] = grads((a) => sum(mul(cast(cast(a, 'float64'), 'float32'), 3)))(x);
      expect(g!.dtype).toBe('float32');
      expect(await read(g!)).toEqual([3, 3]);
      dispose([x, g]);
    });
    d('a same-dtype cast keeps the gradient (identity); an int cast carries none', async () => {
      const x = tensor([1, 2]);
      const [g] = grads((a) => sum(mul(cast(a, 'float32'), 3)))(x);
      expect(await read(g!)).toEqual([3, 3]);
      const [h] = grads((a) => sum(add(a, mul(cast(cast(a, 'int32'), 'float32'), 5))))(x);
      expect(await read(h!)).toEqual([1, 1]);
      dispose([x, g, h]);
    });
    d('bool arithmetic: sum counts (int64), bool * number → integer, bool + float → float', async () => {
      const b = () => tensor([true, false, true, true]);
      const s = await run(() => sum(b()));
      expect(s.dtype).toBe('int64');
      expect(s.values).toEqual([3]);
      const m = await run(() => mul(b(), 3));
      expect(['int32', 'int64']).toContain(m.dtype);
      expect(m.values).toEqual([3, 0, 3, 3]);
      const f = await run(() => add(b(), tensor([0.5, 0.5, 0.5, 0.5])));
      expect(f.dtype).toBe('float32');
      expect(f.values).toEqual([1.5, 0.5, 1.5, 1.5]);
      expect((await run(() => cast(b(), 'float32'))).values).toEqual([1, 0, 1, 1]);
    });
    d('bool + bool stays bool with values 0/1 (PyTorch: logical or)', async () => {
      const r = await run(() => add(tensor([true, false, true, false]), tensor([true, true, false, false])));
      expect(r.dtype).toBe('bool');
      expect(r.values).toEqual([1, 1, 1, 0]);
    });
    d('bool * bool stays bool (logical and)', async () => {
      const m = await run(() => mul(tensor([true, false, true]), tensor([true, true, false])));
      expect(m.dtype).toBe('bool');
      expect(m.values).toEqual([1, 0, 0]);
    });
  });
}

// cumsum has two forward paths: a log-step scan on the `slice`/`pad` kernels, and a triangular
// matmul when a backend lacks them. Both are checked here, whichever the cpu backend has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allocArray,
  cumsum,
  getBackendName,
  getKernel,
  grad,
  hasKernel,
  registerKernel,
  sizeOf,
  stridesOf,
  tensor,
  type KernelFn,
  type Tensor,
} from '../index.js';

const vals = (t: Tensor): number[] => Array.from(t.dataSync());

/** Reference `slice` (steps of 1) and constant `pad`, on any backend's storage. */
const refSlice: KernelFn = ([x], attrs, { backend }) => {
  const begin = attrs.begin as number[];
  const size = attrs.size as number[];
  const src = backend.readSync(x!.dataId);
  const inStrides = stridesOf(x!.shape);
  const out = allocArray(x!.dtype, sizeOf(size));
  const outStrides = stridesOf(size);
  for (let o = 0; o < out.length; o++) {
    let off = 0;
    for (let d = 0; d < size.length; d++) off += (begin[d]! + Math.floor(o / outStrides[d]!) % size[d]!) * inStrides[d]!;
    out[o] = src[off]!;
  }
  return { dataId: backend.write(out, x!.dtype), shape: size, dtype: x!.dtype };
};
const refPad: KernelFn = ([x], attrs, { backend }) => {
  const pads = attrs.pads as number[];
  const src = backend.readSync(x!.dataId);
  const shape = x!.shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!);
  const out = allocArray(x!.dtype, sizeOf(shape)); // value 0
  const inStrides = stridesOf(x!.shape);
  const outStrides = stridesOf(shape);
  for (let i = 0; i < src.length; i++) {
    let off = 0;
    for (let d = 0; d < shape.length; d++) off += (Math.floor(i / inStrides[d]!) % x!.shape[d]! + pads[2 * d]!) * outStrides[d]!;
    out[off] = src[i]!;
  }
  return { dataId: backend.write(out, x!.dtype), shape, dtype: x!.dtype };
};

function checks(): void {
  it('values along every axis', () => {
    const data = Array.from({ length: 2 * 5 * 3 }, (_, i) => ((i * 7) % 11) - 5);
    const x = tensor(data, [2, 5, 3]);
    for (const axis of [0, 1, 2, -1]) {
      const a = (axis + 3) % 3;
      const shape = [2, 5, 3];
      const st = stridesOf(shape);
      const expected = data.map((_, i) => {
        const k = Math.floor(i / st[a]!) % shape[a]!;
        let s = 0;
        for (let j = 0; j <= k; j++) s += data[i - (k - j) * st[a]!]!;
        return s;
      });
      expect(vals(cumsum(x, axis))).toEqual(expected);
    }
    const long = Array.from({ length: 70 }, (_, i) => (i % 5) - 2);
    let acc = 0;
    expect(vals(cumsum(tensor(long, undefined, 'int32'), 0))).toEqual(long.map((v) => (acc += v)));
    expect(vals(cumsum(tensor([true, false, true, true]), 0))).toEqual([1, 1, 2, 3]);
    expect(cumsum(tensor(5), 0).item()).toBe(5);
    expect(cumsum(tensor([[]]), 1).shape).toEqual([1, 0]);
  });

  it('gradient is the reverse cumsum, and its gradient the cumsum again', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const w = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(vals(grad((t) => cumsum(t, 1).mul(w).sum())(x))).toEqual([6, 5, 3, 15, 11, 6]);
    expect(vals(grad((t) => cumsum(t, 0).mul(w).sum())(x))).toEqual([5, 7, 9, 4, 5, 6]);
    // d/dx Σ v·∂(Σ w·cumsum(x²))/∂x = 2·v·revcumsum(w), since ∂/∂x = 2x·revcumsum(w)
    const v = tensor([1, -1, 2]);
    const h = grad((t) => grad((u) => cumsum(u.mul(u), 0).mul(tensor([1, 2, 3])).sum())(t).mul(v).sum())(tensor([1, 1, 1]));
    expect(vals(h)).toEqual([12, -10, 12]);
  });
}

describe('cumsum on the slice/pad scan', () => {
  const saved = ['slice', 'pad'].map((op) => getKernel(op, getBackendName()));
  beforeAll(() => {
    if (!hasKernel('slice', 'float32')) registerKernel({ op: 'slice', backend: getBackendName(), fn: refSlice });
    if (!hasKernel('pad', 'float32')) registerKernel({ op: 'pad', backend: getBackendName(), fn: refPad });
  });
  afterAll(() => saved.forEach((e) => e && registerKernel(e)));
  checks();
});

describe('cumsum on the triangular-matmul fallback', () => {
  let saved: ReturnType<typeof getKernel>;
  beforeAll(() => {
    saved = getKernel('slice', getBackendName());
    registerKernel({ op: 'slice', backend: getBackendName(), dtypes: [], fn: refSlice });
  });
  afterAll(() => registerKernel(saved ?? { op: 'slice', backend: getBackendName(), dtypes: [], fn: refSlice }));
  checks();
});

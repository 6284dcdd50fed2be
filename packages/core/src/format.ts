import type { DType, TypedArray } from './dtypes.js';
import { fmtShape, stridesOf, type Shape } from './shape.js';

/** PyTorch-like printing: `tensor([[1, 2], [3, 4]], shape=[2,2], dtype=float32)`; long dims elided. */
export function formatTensor(values: TypedArray | null, shape: Shape, dtype: DType): string {
  const tail = `shape=${fmtShape(shape)}, dtype=${dtype}`;
  if (!values) return `tensor(<not readable synchronously>, ${tail})`;
  const fmt = (v: number) =>
    dtype === 'bool' ? String(v !== 0) : dtype.startsWith('float') ? Number(v.toPrecision(6)).toString() : String(v);
  const strides = stridesOf(shape);
  const rec = (dim: number, offset: number): string => {
    if (dim === shape.length) return fmt(values[offset]!);
    const n = shape[dim]!;
    const idx = n > 8 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    return `[${idx.map((i) => (i < 0 ? '...' : rec(dim + 1, offset + i * strides[dim]!))).join(', ')}]`;
  };
  return `tensor(${rec(0, 0)}, ${tail})`;
}

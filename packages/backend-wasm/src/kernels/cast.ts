/** cast: dtype conversion (float16 included); a same-dtype cast is a copy. */
import { checkInt64, float16BitsToFloat32, sizeOf } from '@mapnn/core/backend';
import { DTYPE_CODE } from '../dtype-codes.js';
import type { WasmKernel, WasmKernels } from './register.js';

const cast: WasmKernel<'cast'> = ([x], attrs, be) => {
  const to = attrs.dtype;
  const n = sizeOf(x!.shape);
  const out = be.alloc(x!.shape, to);
  if (n === 0) return be.output(out, x!.shape, to);
  const src = be.data(x!.dataId);
  if (to === x!.dtype) {
    be.copyBytes(src.ptr, out.ptr, src.bytes);
    return be.output(out, x!.shape, to);
  }
  const status = be.run('cast', [DTYPE_CODE[x!.dtype], DTYPE_CODE[to], src.ptr, out.ptr, n, 0], 0, 1);
  const bad = status[5]!;
  if (bad > 0) {
    be.disposeData(out);
    const raw = be.view(x!)[bad - 1]!;
    const v = Math.trunc(x!.dtype === 'float16' ? float16BitsToFloat32(raw) : raw);
    checkInt64(v, 'cast to int64'); // throws the cpu backend's RangeError
    throw new RangeError(`cast to int64: ${v} is outside int64 storage range ±(2^53-1)`);
  }
  return be.output(out, x!.shape, to);
};

export const castKernels = { cast } satisfies WasmKernels;

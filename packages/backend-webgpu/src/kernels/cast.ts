/**
 * `cast` between all dtypes (also a plain copy when the dtype is unchanged). Float → integer
 * truncates toward zero (saturating at the 32-bit range; NaN → 0); → bool is `!= 0` (NaN is
 * true); → float16 rounds to half. Casts to int64 are range-checked synchronously when the
 * input still has its host copy (small uploads, see backend.ts): values beyond ±(2⁵³−1) are a
 * RangeError as on every backend, and so are values beyond the 32 bits the webgpu backend
 * computes int64 in. Values computed on the GPU saturate and are reported at the next read
 * (a RangeError, see GPU_ERRORS).
 */
import { checkInt64, float16BitsToFloat32, type DType } from '@mapnn/core/backend';
import { INT32_MAX, INT32_MIN, kindOf } from '../dtype.js';
import { GPU_ERRORS } from '../runtime.js';
import { mapKernel } from './map.js';
import { gpuKernel, type GpuKernels } from './register.js';

const FUNCS = /* wgsl */ `
fn f2i(x: f32) -> i32 {
  if (isNan(x)) { return 0; }
  return i32(clamp(trunc(x), -2147483648.0, 2147483520.0));
}
`;

// float → int64 also flags values the 32-bit int64 storage cannot hold
const TO_INT64 = /* wgsl */ `
fn f2i64(x: f32) -> i32 {
  if (isNan(x) || x >= 2147483648.0 || x < -2147483648.0) { atomicOr(&err[0], ${GPU_ERRORS.castInt64!.bit}u); }
  return f2i(x);
}
`;

function castExpr(from: DType, to: DType, v: string, flag: boolean): string {
  const fk = kindOf(from);
  const tk = kindOf(to);
  if (to === 'bool') return fk === 'f32' ? `select(0, 1, (bitcast<u32>(${v}) & 0x7fffffffu) != 0u)` : `select(0, 1, ${v} != 0)`;
  if (fk === tk) return v;
  return tk === 'f32' ? `f32(${v})` : flag ? `f2i64(${v})` : `f2i(${v})`;
}

function checkHost(values: ArrayLike<number>, from: DType): void {
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    const v = Math.trunc(from === 'float16' ? float16BitsToFloat32(raw) : raw);
    checkInt64(v, 'cast to int64');
    if (v < INT32_MIN || v > INT32_MAX) {
      throw new RangeError(`cast to int64: ${v} is outside the range the webgpu backend computes int64 in (32-bit, ±2^31)`);
    }
  }
}

const cast = gpuKernel('cast', ([x], attrs, be) => {
  const to = attrs.dtype;
  const from = x!.dtype;
  const toInt64 = to === 'int64' && kindOf(from) === 'f32';
  const host = toInt64 ? be.host(x!) : undefined;
  if (host) checkHost(host, from);
  const flag = toInt64 && !host;
  return mapKernel(be, 'cast', [x!], x!.shape, to, ([v]) => castExpr(from, to, v!, flag), FUNCS + (flag ? TO_INT64 : ''), flag);
});

export const castKernels = { cast } satisfies GpuKernels;

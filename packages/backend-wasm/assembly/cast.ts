/**
 * cast(from, to, x, out, n, status): dtype conversion with the cpu backend's rules: floats
 * truncate toward zero into integers (wrapping as typed arrays do), → bool is `!= 0` (NaN is
 * true), float16 rounds to nearest even from float32, and int64 is range checked: the index of
 * the first value outside ±(2^53 − 1) plus one is written to args slot `status` (0 when fine).
 */
import { F32, F64, I32, I64, I8, U8, BOOL, F16, argI, argP, setArg, toInt32 } from './common';

/** IEEE half bits → float32 value. */
@inline export function f16ToF32(h: u32): f32 {
  const sign: f64 = (h & 0x8000) != 0 ? -1.0 : 1.0;
  const exp = (h >> 10) & 0x1f;
  const mant = <f64>(h & 0x3ff);
  if (exp == 0) return <f32>(sign * mant * 5.960464477539063e-8); // 2^-24
  if (exp == 0x1f) return mant != 0 ? NaN : <f32>(sign * Infinity);
  return <f32>(sign * (1.0 + mant / 1024.0) * Math.pow(2.0, <f64>(<i32>exp - 15)));
}

/** float32 value → IEEE half bits, rounding to nearest even (as core's float32ToFloat16Bits). */
@inline export function f32ToF16(value: f32): u32 {
  const x = reinterpret<u32>(value);
  const sign = (x >> 16) & 0x8000;
  const exp = (x >> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp == 0xff) return sign | 0x7c00 | (mant != 0 ? 0x200 : 0);
  const e = <i32>exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = <u32>(14 - e);
    let half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid: u32 = 1 << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1) != 0)) half++;
    return sign | half;
  }
  let half = (<u32>e << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) half++;
  return sign | half;
}

/** Element i of x (storage type S) as a float; `half` reads float16 bits. */
@inline function readAs<S>(x: usize, i: i32, half: bool): f64 {
  if (half) return <f64>f16ToF32(<u32>load<u16>(x + (<usize>i << 1)));
  return <f64>load<S>(x + (<usize>i) * sizeof<S>());
}

@inline function castFrom<S>(to: i32, x: usize, out: usize, n: i32, half: bool): i32 {
  switch (to) {
    case F32:
      for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>readAs<S>(x, i, half));
      break;
    case F64:
      for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), readAs<S>(x, i, half));
      break;
    case I64:
      for (let i = 0; i < n; i++) {
        const v = trunc<f64>(readAs<S>(x, i, half));
        if (!(v >= -9007199254740991.0 && v <= 9007199254740991.0)) return i + 1;
        store<f64>(out + (<usize>i << 3), v);
      }
      break;
    case I32:
      for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), toInt32(readAs<S>(x, i, half)));
      break;
    case I8: case U8:
      for (let i = 0; i < n; i++) store<u8>(out + <usize>i, <u8>toInt32(readAs<S>(x, i, half)));
      break;
    case BOOL:
      for (let i = 0; i < n; i++) store<u8>(out + <usize>i, readAs<S>(x, i, half) != 0 ? 1 : 0);
      break;
    case F16:
      for (let i = 0; i < n; i++) store<u16>(out + (<usize>i << 1), <u16>f32ToF16(<f32>readAs<S>(x, i, half)));
      break;
  }
  return 0;
}

/** cast(from, to, x, out, n) → status in slot 5. Single-threaded. */
export function cast(args: usize, tid: i32, nt: i32): void {
  if (tid != 0) return;
  const from = argI(args, 0);
  const to = argI(args, 1);
  const x = argP(args, 2);
  const out = argP(args, 3);
  const n = argI(args, 4);
  let bad = 0;
  switch (from) {
    case F32: bad = castFrom<f32>(to, x, out, n, false); break;
    case F64: case I64: bad = castFrom<f64>(to, x, out, n, false); break;
    case I32: bad = castFrom<i32>(to, x, out, n, false); break;
    case I8: bad = castFrom<i8>(to, x, out, n, false); break;
    case F16: bad = castFrom<u16>(to, x, out, n, true); break;
    default: bad = castFrom<u8>(to, x, out, n, false);
  }
  setArg(args, 5, <f64>bad);
}

/**
 * float32x4 exp and tanh (Cephes-style range reduction + minimax polynomials, ≤ 2 ulp over the
 * normal range). Lanes outside the range where the fast formula is exact (or NaN) fall back to
 * the scalar Mathf functions for the whole vector, so overflow, underflow to subnormals and NaN
 * behave exactly like the scalar path.
 */

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** e^x on four lanes, assuming every lane is in [-87, 88]. */
@inline function expCore(x: v128): v128 {
  const fx = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  const y = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  // 2^fx through the exponent bits (fx in [-126, 127] for x in [-87, 88])
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return f32x4.mul(y, e);
}

/** Whether every lane is within [lo, hi] (false when a lane is NaN). */
@inline function allWithin(x: v128, lo: f32, hi: f32): bool {
  return v128.all_true<i32>(v128.and(f32x4.ge(x, f32x4.splat(lo)), f32x4.le(x, f32x4.splat(hi))));
}

@inline function scalar4(x: v128, tanh: bool): v128 {
  let r = x;
  r = f32x4.replace_lane(r, 0, tanh ? Mathf.tanh(f32x4.extract_lane(x, 0)) : Mathf.exp(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, tanh ? Mathf.tanh(f32x4.extract_lane(x, 1)) : Mathf.exp(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, tanh ? Mathf.tanh(f32x4.extract_lane(x, 2)) : Mathf.exp(f32x4.extract_lane(x, 2)));
  r = f32x4.replace_lane(r, 3, tanh ? Mathf.tanh(f32x4.extract_lane(x, 3)) : Mathf.exp(f32x4.extract_lane(x, 3)));
  return r;
}

/** e^x per lane. */
@inline export function expF32x4(x: v128): v128 {
  if (allWithin(x, -87.0, 88.0)) return expCore(x);
  return scalar4(x, false);
}

/**
 * tanh per lane: x + x³·P(x²) for |x| < 0.625, else sign(x)·(1 − 2/(e^{2|x|} + 1)); |x| > 9
 * rounds to ±1 in float32.
 */
@inline export function tanhF32x4(x: v128): v128 {
  if (!allWithin(x, -9.0, 9.0)) return scalar4(x, true);
  const ax = f32x4.abs(x);
  // large |x|
  const e = expCore(f32x4.add(ax, ax));
  const big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  // small |x|
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(p, z), x));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/** logistic per lane: e = e^{-|x|}, then 1/(1 + e) for x ≥ 0 and e/(1 + e) below. */
@inline export function sigmoidF32x4(x: v128): v128 {
  const e = expF32x4(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, f32x4.splat(0.0)));
}

/**
 * Elementwise kernels: unary (contiguous), binary and where (broadcast through a plan).
 * float32 / float64 arithmetic and comparisons run in SIMD (f32x4 / f64x2) on contiguous and
 * scalar-broadcast segments, as does `where` with a contiguous cond; everything else is a scalar
 * loop computing in float64 and storing with typed-array semantics, as the cpu backend does.
 */
import {
  F32, F64, I32, I64, I8, BOOL, argI, argP, fromF64, shareStart, shareEnd, threadState,
  planRank, planDim, planStride, planSize, rowSeek, rowNext, rowOffset,
} from './common';
import { applyBinary, applyUnary, applyUnaryF32 } from './math';
import {
  NEG, ABS, SIGN, FLOOR, CEIL, ROUND, LOGICAL_NOT, EXP, EXPM1, LOG, LOG1P, SQRT, SIN, COS, TANH, ERF, RECIPROCAL, SIGMOID,
  ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, MOD, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR,
} from './op-codes';
import { expF32x4, sigmoidF32x4, tanhF32x4 } from './simd-math';

// Every loop below is `@inline` and called with a constant op code, so the op's `switch`
// folds away and each (op, type) pair gets its own tight loop.

// ---------------------------------------------------------------- unary

@inline function simdUnaryF32(op: i32, v: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(v);
    case ABS: return f32x4.abs(v);
    case SQRT: return f32x4.sqrt(v);
    case FLOOR: return f32x4.floor(v);
    case CEIL: return f32x4.ceil(v);
    case ROUND: return f32x4.nearest(v);
    case RECIPROCAL: return f32x4.div(f32x4.splat(1.0), v);
  }
  return v;
}
@inline function simdUnaryF64(op: i32, v: v128): v128 {
  switch (op) {
    case NEG: return f64x2.neg(v);
    case ABS: return f64x2.abs(v);
    case SQRT: return f64x2.sqrt(v);
    case FLOOR: return f64x2.floor(v);
    case CEIL: return f64x2.ceil(v);
    case ROUND: return f64x2.nearest(v);
    case RECIPROCAL: return f64x2.div(f64x2.splat(1.0), v);
  }
  return v;
}

@inline function isSimdUnary(op: i32): bool {
  return op == NEG || op == ABS || op == SQRT || op == FLOOR || op == CEIL || op == ROUND || op == RECIPROCAL;
}

@inline function mapSimdF32(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  let i = s;
  for (; i + 8 <= e; i += 8) {
    const o = <usize>i << 2;
    v128.store(out + o, simdUnaryF32(op, v128.load(x + o)));
    v128.store(out + o, simdUnaryF32(op, v128.load(x + o, 16)), 16);
  }
  for (; i < e; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, <f32>applyUnary(op, <f64>load<f32>(x + o)));
  }
}
/** exp / tanh / sigmoid: SIMD polynomial kernels, scalar Mathf on the tail. */
@inline function mapSimdMathF32(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    v128.store(out + o, op == EXP ? expF32x4(v) : op == TANH ? tanhF32x4(v) : sigmoidF32x4(v));
  }
  mapF32(op, x, out, i, e);
}
@inline function mapF32(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  for (let i = s; i < e; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, applyUnaryF32(op, load<f32>(x + o)));
  }
}
@inline function mapSimdF64(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  let i = s;
  for (; i + 2 <= e; i += 2) {
    const o = <usize>i << 3;
    v128.store(out + o, simdUnaryF64(op, v128.load(x + o)));
  }
  for (; i < e; i++) {
    const o = <usize>i << 3;
    store<f64>(out + o, applyUnary(op, load<f64>(x + o)));
  }
}
@inline function mapGeneric<T>(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  for (let i = s; i < e; i++) {
    const v = applyUnary(op, <f64>load<T>(x + (<usize>i) * sizeof<T>()));
    store<T>(out + (<usize>i) * sizeof<T>(), fromF64<T>(v));
  }
}
@inline function notGeneric<T>(x: usize, out: usize, s: i32, e: i32): void {
  for (let i = s; i < e; i++) {
    store<u8>(out + <usize>i, <u8>applyUnary(LOGICAL_NOT, <f64>load<T>(x + (<usize>i) * sizeof<T>())));
  }
}

function unaryF32(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  switch (op) {
    case NEG: mapSimdF32(NEG, x, out, s, e); break;
    case ABS: mapSimdF32(ABS, x, out, s, e); break;
    case SQRT: mapSimdF32(SQRT, x, out, s, e); break;
    case FLOOR: mapSimdF32(FLOOR, x, out, s, e); break;
    case CEIL: mapSimdF32(CEIL, x, out, s, e); break;
    case ROUND: mapSimdF32(ROUND, x, out, s, e); break;
    case RECIPROCAL: mapSimdF32(RECIPROCAL, x, out, s, e); break;
    case SIGN: mapF32(SIGN, x, out, s, e); break;
    case EXP: mapSimdMathF32(EXP, x, out, s, e); break;
    case EXPM1: mapF32(EXPM1, x, out, s, e); break;
    case LOG: mapF32(LOG, x, out, s, e); break;
    case LOG1P: mapF32(LOG1P, x, out, s, e); break;
    case SIN: mapF32(SIN, x, out, s, e); break;
    case COS: mapF32(COS, x, out, s, e); break;
    case TANH: mapSimdMathF32(TANH, x, out, s, e); break;
    case SIGMOID: mapSimdMathF32(SIGMOID, x, out, s, e); break;
    case ERF: mapF32(ERF, x, out, s, e); break;
  }
}
function unaryF64(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  switch (op) {
    case NEG: mapSimdF64(NEG, x, out, s, e); break;
    case ABS: mapSimdF64(ABS, x, out, s, e); break;
    case SQRT: mapSimdF64(SQRT, x, out, s, e); break;
    case FLOOR: mapSimdF64(FLOOR, x, out, s, e); break;
    case CEIL: mapSimdF64(CEIL, x, out, s, e); break;
    case ROUND: mapSimdF64(ROUND, x, out, s, e); break;
    case RECIPROCAL: mapSimdF64(RECIPROCAL, x, out, s, e); break;
    default: unaryGeneric<f64>(op, x, out, s, e);
  }
}
/** Scalar unary loops (integer dtypes; float64 transcendental ops). */
function unaryGeneric<T>(op: i32, x: usize, out: usize, s: i32, e: i32): void {
  switch (op) {
    case NEG: mapGeneric<T>(NEG, x, out, s, e); break;
    case ABS: mapGeneric<T>(ABS, x, out, s, e); break;
    case SIGN: mapGeneric<T>(SIGN, x, out, s, e); break;
    case FLOOR: mapGeneric<T>(FLOOR, x, out, s, e); break;
    case CEIL: mapGeneric<T>(CEIL, x, out, s, e); break;
    case ROUND: mapGeneric<T>(ROUND, x, out, s, e); break;
    case EXP: mapGeneric<T>(EXP, x, out, s, e); break;
    case EXPM1: mapGeneric<T>(EXPM1, x, out, s, e); break;
    case LOG: mapGeneric<T>(LOG, x, out, s, e); break;
    case LOG1P: mapGeneric<T>(LOG1P, x, out, s, e); break;
    case SQRT: mapGeneric<T>(SQRT, x, out, s, e); break;
    case SIN: mapGeneric<T>(SIN, x, out, s, e); break;
    case COS: mapGeneric<T>(COS, x, out, s, e); break;
    case TANH: mapGeneric<T>(TANH, x, out, s, e); break;
    case ERF: mapGeneric<T>(ERF, x, out, s, e); break;
    case RECIPROCAL: mapGeneric<T>(RECIPROCAL, x, out, s, e); break;
    case SIGMOID: mapGeneric<T>(SIGMOID, x, out, s, e); break;
  }
}

/** unary(op, dtype, x, out, n): out[i] = op(x[i]); `logicalNot` writes bool. */
export function unary(args: usize, tid: i32, nt: i32): void {
  const op = argI(args, 0);
  const dt = argI(args, 1);
  const x = argP(args, 2);
  const out = argP(args, 3);
  const n = argI(args, 4);
  const s = shareStart(n, tid, nt, 16);
  const e = shareEnd(n, tid, nt, 16);
  if (s >= e) return;
  if (op == LOGICAL_NOT) {
    switch (dt) {
      case F32: notGeneric<f32>(x, out, s, e); break;
      case F64: case I64: notGeneric<f64>(x, out, s, e); break;
      case I32: notGeneric<i32>(x, out, s, e); break;
      case I8: notGeneric<i8>(x, out, s, e); break;
      default: notGeneric<u8>(x, out, s, e);
    }
    return;
  }
  switch (dt) {
    case F32: unaryF32(op, x, out, s, e); break;
    case F64: case I64: unaryF64(op, x, out, s, e); break;
    case I32: unaryGeneric<i32>(op, x, out, s, e); break;
    case I8: unaryGeneric<i8>(op, x, out, s, e); break;
    default: unaryGeneric<u8>(op, x, out, s, e);
  }
}

// ---------------------------------------------------------------- binary

@inline function simdBinaryF32(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
  }
  return a;
}
@inline function simdBinaryF64(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f64x2.add(a, b);
    case SUB: return f64x2.sub(a, b);
    case MUL: return f64x2.mul(a, b);
    case DIV: return f64x2.div(a, b);
    case MAXIMUM: return f64x2.max(a, b);
    case MINIMUM: return f64x2.min(a, b);
  }
  return a;
}

/** One segment of a float32 SIMD op: out[j] = a[j·sa] op b[j·sb], j < len (pointers pre-offset). */
@inline function segSimdF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  let j = 0;
  if (sa == 1 && sb == 1) {
    for (; j + 8 <= len; j += 8) {
      const o = <usize>j << 2;
      v128.store(out + o, simdBinaryF32(op, v128.load(a + o), v128.load(b + o)));
      v128.store(out + o, simdBinaryF32(op, v128.load(a + o, 16), v128.load(b + o, 16)), 16);
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load32_splat(b);
    for (; j + 8 <= len; j += 8) {
      const o = <usize>j << 2;
      v128.store(out + o, simdBinaryF32(op, v128.load(a + o), bv));
      v128.store(out + o, simdBinaryF32(op, v128.load(a + o, 16), bv), 16);
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load32_splat(a);
    for (; j + 8 <= len; j += 8) {
      const o = <usize>j << 2;
      v128.store(out + o, simdBinaryF32(op, av, v128.load(b + o)));
      v128.store(out + o, simdBinaryF32(op, av, v128.load(b + o, 16)), 16);
    }
  }
  for (; j < len; j++) {
    const x = load<f32>(a + ((<usize>(j * sa)) << 2));
    const y = load<f32>(b + ((<usize>(j * sb)) << 2));
    store<f32>(out + (<usize>j << 2), <f32>applyBinary(op, <f64>x, <f64>y));
  }
}
@inline function segSimdF64(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  let j = 0;
  if (sa == 1 && sb == 1) {
    for (; j + 2 <= len; j += 2) {
      const o = <usize>j << 3;
      v128.store(out + o, simdBinaryF64(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const bv = v128.load64_splat(b);
    for (; j + 2 <= len; j += 2) {
      const o = <usize>j << 3;
      v128.store(out + o, simdBinaryF64(op, v128.load(a + o), bv));
    }
  } else if (sa == 0 && sb == 1) {
    const av = v128.load64_splat(a);
    for (; j + 2 <= len; j += 2) {
      const o = <usize>j << 3;
      v128.store(out + o, simdBinaryF64(op, av, v128.load(b + o)));
    }
  }
  for (; j < len; j++) {
    const x = load<f64>(a + ((<usize>(j * sa)) << 3));
    const y = load<f64>(b + ((<usize>(j * sb)) << 3));
    store<f64>(out + (<usize>j << 3), applyBinary(op, x, y));
  }
}

// Comparisons in SIMD: lane masks (all ones / zero) are narrowed to bytes and `& 1` gives the
// bool 0/1. IEEE lane compares match the scalar float64 ones (f32 → f64 is exact): NaN compares
// false, except `ne`, which is true.

@inline function simdCmpF32(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case EQ: return f32x4.eq(a, b);
    case NE: return f32x4.ne(a, b);
    case LT: return f32x4.lt(a, b);
    case LE: return f32x4.le(a, b);
    case GT: return f32x4.gt(a, b);
  }
  return f32x4.ge(a, b);
}
@inline function simdCmpF64(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case EQ: return f64x2.eq(a, b);
    case NE: return f64x2.ne(a, b);
    case LT: return f64x2.lt(a, b);
    case LE: return f64x2.le(a, b);
    case GT: return f64x2.gt(a, b);
  }
  return f64x2.ge(a, b);
}

/** Four i32x4 lane masks (16 lanes in order) as 16 bool bytes 0/1. */
@inline function masksToBool(m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  const lo = i16x8.narrow_i32x4_s(m0, m1);
  const hi = i16x8.narrow_i32x4_s(m2, m3);
  return v128.and(i8x16.narrow_i16x8_s(lo, hi), i8x16.splat(1));
}
/** Two i64x2 lane masks as one i32x4 mask (the low halves; each lane is all ones or zero). */
@inline function masks64To32(m0: v128, m1: v128): v128 {
  return i32x4.shuffle(m0, m1, 0, 2, 4, 6);
}

/** 16 float32 comparisons from `a + o` / `b + o` (or the splats when `aS` / `bS`), as bool bytes. */
@inline function cmp16F32(op: i32, a: usize, aS: bool, av: v128, b: usize, bS: bool, bv: v128, o: usize): v128 {
  const m0 = simdCmpF32(op, aS ? av : v128.load(a + o), bS ? bv : v128.load(b + o));
  const m1 = simdCmpF32(op, aS ? av : v128.load(a + o, 16), bS ? bv : v128.load(b + o, 16));
  const m2 = simdCmpF32(op, aS ? av : v128.load(a + o, 32), bS ? bv : v128.load(b + o, 32));
  const m3 = simdCmpF32(op, aS ? av : v128.load(a + o, 48), bS ? bv : v128.load(b + o, 48));
  return masksToBool(m0, m1, m2, m3);
}
/** The same for 16 float64 elements (eight f64x2 compares). */
@inline function cmp16F64(op: i32, a: usize, aS: bool, av: v128, b: usize, bS: bool, bv: v128, o: usize): v128 {
  const m0 = simdCmpF64(op, aS ? av : v128.load(a + o), bS ? bv : v128.load(b + o));
  const m1 = simdCmpF64(op, aS ? av : v128.load(a + o, 16), bS ? bv : v128.load(b + o, 16));
  const m2 = simdCmpF64(op, aS ? av : v128.load(a + o, 32), bS ? bv : v128.load(b + o, 32));
  const m3 = simdCmpF64(op, aS ? av : v128.load(a + o, 48), bS ? bv : v128.load(b + o, 48));
  const m4 = simdCmpF64(op, aS ? av : v128.load(a + o, 64), bS ? bv : v128.load(b + o, 64));
  const m5 = simdCmpF64(op, aS ? av : v128.load(a + o, 80), bS ? bv : v128.load(b + o, 80));
  const m6 = simdCmpF64(op, aS ? av : v128.load(a + o, 96), bS ? bv : v128.load(b + o, 96));
  const m7 = simdCmpF64(op, aS ? av : v128.load(a + o, 112), bS ? bv : v128.load(b + o, 112));
  return masksToBool(masks64To32(m0, m1), masks64To32(m2, m3), masks64To32(m4, m5), masks64To32(m6, m7));
}

/**
 * Comparison loop over 16-element steps (float64 when `wide`); `aS` / `bS` (constants) select a
 * broadcast scalar. Returns how many elements it wrote (a multiple of 16); the caller finishes
 * the tail.
 */
@inline function cmpLoop(op: i32, wide: bool, a: usize, aS: bool, b: usize, bS: bool, out: usize, len: i32): i32 {
  const av = wide ? v128.load64_splat(a) : v128.load32_splat(a);
  const bv = wide ? v128.load64_splat(b) : v128.load32_splat(b);
  let j = 0;
  for (; j + 16 <= len; j += 16) {
    const o = <usize>j << (wide ? 3 : 2);
    v128.store(out + <usize>j, wide ? cmp16F64(op, a, aS, av, b, bS, bv, o) : cmp16F32(op, a, aS, av, b, bS, bv, o));
  }
  return j;
}

/**
 * One segment of a float comparison, out[j] = a[j·sa] op b[j·sb] as bool: SIMD on contiguous
 * and scalar-broadcast operands (sa, sb ∈ {0, 1}), scalar for other strides and the tail.
 */
@inline function segCmp<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  const wide = sizeof<T>() == 8;
  let j = 0;
  if (sa == 1 && sb == 1) j = cmpLoop(op, wide, a, false, b, false, out, len);
  else if (sa == 1 && sb == 0) j = cmpLoop(op, wide, a, false, b, true, out, len);
  else if (sa == 0 && sb == 1) j = cmpLoop(op, wide, a, true, b, false, out, len);
  for (; j < len; j++) {
    const x = <f64>load<T>(a + (<usize>(j * sa)) * sizeof<T>());
    const y = <f64>load<T>(b + (<usize>(j * sb)) * sizeof<T>());
    store<u8>(out + <usize>j, <u8>applyBinary(op, x, y));
  }
}

/** Scalar segment for any op and storage type; comparisons write bool, `boolOut` normalises to 0/1. */
@inline function segGeneric<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32, boolOut: bool): void {
  if (op >= EQ) {
    for (let j = 0; j < len; j++) {
      const x = <f64>load<T>(a + (<usize>(j * sa)) * sizeof<T>());
      const y = <f64>load<T>(b + (<usize>(j * sb)) * sizeof<T>());
      store<u8>(out + <usize>j, <u8>applyBinary(op, x, y));
    }
    return;
  }
  for (let j = 0; j < len; j++) {
    const x = <f64>load<T>(a + (<usize>(j * sa)) * sizeof<T>());
    const y = <f64>load<T>(b + (<usize>(j * sb)) * sizeof<T>());
    let v = fromF64<T>(applyBinary(op, x, y));
    if (boolOut) v = <T>(v != 0 ? 1 : 0);
    store<T>(out + (<usize>j) * sizeof<T>(), v);
  }
}

/** Scalar segments with a constant op per case (every dtype; the non-SIMD ops of floats). */
function segGenericOps<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32, boolOut: bool): void {
  switch (op) {
    case ADD: segGeneric<T>(ADD, a, sa, b, sb, out, len, boolOut); break;
    case SUB: segGeneric<T>(SUB, a, sa, b, sb, out, len, boolOut); break;
    case MUL: segGeneric<T>(MUL, a, sa, b, sb, out, len, boolOut); break;
    case DIV: segGeneric<T>(DIV, a, sa, b, sb, out, len, boolOut); break;
    case POW: segGeneric<T>(POW, a, sa, b, sb, out, len, boolOut); break;
    case MAXIMUM: segGeneric<T>(MAXIMUM, a, sa, b, sb, out, len, boolOut); break;
    case MINIMUM: segGeneric<T>(MINIMUM, a, sa, b, sb, out, len, boolOut); break;
    case MOD: segGeneric<T>(MOD, a, sa, b, sb, out, len, boolOut); break;
    case EQ: segGeneric<T>(EQ, a, sa, b, sb, out, len, boolOut); break;
    case NE: segGeneric<T>(NE, a, sa, b, sb, out, len, boolOut); break;
    case LT: segGeneric<T>(LT, a, sa, b, sb, out, len, boolOut); break;
    case LE: segGeneric<T>(LE, a, sa, b, sb, out, len, boolOut); break;
    case GT: segGeneric<T>(GT, a, sa, b, sb, out, len, boolOut); break;
    case GE: segGeneric<T>(GE, a, sa, b, sb, out, len, boolOut); break;
    case LOGICAL_AND: segGeneric<T>(LOGICAL_AND, a, sa, b, sb, out, len, boolOut); break;
    case LOGICAL_OR: segGeneric<T>(LOGICAL_OR, a, sa, b, sb, out, len, boolOut); break;
    case LOGICAL_XOR: segGeneric<T>(LOGICAL_XOR, a, sa, b, sb, out, len, boolOut); break;
  }
}

/** SIMD comparison segments of a float type, one constant-op loop per comparison. */
function segCmpOps<T>(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  switch (op) {
    case EQ: segCmp<T>(EQ, a, sa, b, sb, out, len); break;
    case NE: segCmp<T>(NE, a, sa, b, sb, out, len); break;
    case LT: segCmp<T>(LT, a, sa, b, sb, out, len); break;
    case LE: segCmp<T>(LE, a, sa, b, sb, out, len); break;
    case GT: segCmp<T>(GT, a, sa, b, sb, out, len); break;
    case GE: segCmp<T>(GE, a, sa, b, sb, out, len); break;
  }
}

function segF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  switch (op) {
    case ADD: segSimdF32(ADD, a, sa, b, sb, out, len); break;
    case SUB: segSimdF32(SUB, a, sa, b, sb, out, len); break;
    case MUL: segSimdF32(MUL, a, sa, b, sb, out, len); break;
    case DIV: segSimdF32(DIV, a, sa, b, sb, out, len); break;
    case MAXIMUM: segSimdF32(MAXIMUM, a, sa, b, sb, out, len); break;
    case MINIMUM: segSimdF32(MINIMUM, a, sa, b, sb, out, len); break;
    case EQ: case NE: case LT: case LE: case GT: case GE: segCmpOps<f32>(op, a, sa, b, sb, out, len); break;
    default: segGenericOps<f32>(op, a, sa, b, sb, out, len, false);
  }
}
function segF64(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  switch (op) {
    case ADD: segSimdF64(ADD, a, sa, b, sb, out, len); break;
    case SUB: segSimdF64(SUB, a, sa, b, sb, out, len); break;
    case MUL: segSimdF64(MUL, a, sa, b, sb, out, len); break;
    case DIV: segSimdF64(DIV, a, sa, b, sb, out, len); break;
    case MAXIMUM: segSimdF64(MAXIMUM, a, sa, b, sb, out, len); break;
    case MINIMUM: segSimdF64(MINIMUM, a, sa, b, sb, out, len); break;
    case EQ: case NE: case LT: case LE: case GT: case GE: segCmpOps<f64>(op, a, sa, b, sb, out, len); break;
    default: segGenericOps<f64>(op, a, sa, b, sb, out, len, false);
  }
}

@inline function elemSize(dt: i32): usize {
  switch (dt) {
    case F32: case I32: return 4;
    case F64: case I64: return 8;
    case 7: return 2;
  }
  return 1;
}

/**
 * binary(op, dtype, a, b, out, plan): out (contiguous) = a op b, with a/b read through the
 * plan's two stride sets (0 where broadcast).
 */
export function binary(args: usize, tid: i32, nt: i32): void {
  const op = argI(args, 0);
  const dt = argI(args, 1);
  const a = argP(args, 2);
  const b = argP(args, 3);
  const out = argP(args, 4);
  const plan = argP(args, 5);
  const n = planSize(plan);
  const s = shareStart(n, tid, nt, 16);
  const e = shareEnd(n, tid, nt, 16);
  if (s >= e) return;
  const R = planRank(plan);
  const inner = planDim(plan, R - 1);
  const sa = planStride(plan, 0, R - 1);
  const sb = planStride(plan, 1, R - 1);
  const es = elemSize(dt);
  const os: usize = op >= EQ ? 1 : es;
  const st = threadState(tid);
  let row = s / inner;
  let col = s - row * inner;
  rowSeek(plan, st, 2, row);
  let f = s;
  while (f < e) {
    let len = inner - col;
    if (len > e - f) len = e - f;
    const pa = a + <usize>(rowOffset(st, 0) + col * sa) * es;
    const pb = b + <usize>(rowOffset(st, 1) + col * sb) * es;
    const po = out + <usize>f * os;
    switch (dt) {
      case F32: segF32(op, pa, sa, pb, sb, po, len); break;
      case F64: case I64: segF64(op, pa, sa, pb, sb, po, len); break;
      case I32: segGenericOps<i32>(op, pa, sa, pb, sb, po, len, false); break;
      case I8: segGenericOps<i8>(op, pa, sa, pb, sb, po, len, false); break;
      case BOOL: segGenericOps<u8>(op, pa, sa, pb, sb, po, len, true); break;
      default: segGenericOps<u8>(op, pa, sa, pb, sb, po, len, false);
    }
    f += len;
    col = 0;
    if (f < e) rowNext(plan, st, 2);
  }
}

// ---------------------------------------------------------------- where

/** Scalar segment of `where`: loads both sides and selects (no data-dependent branch). */
@inline function segWhere<T>(c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  for (let j = 0; j < len; j++) {
    const x = load<T>(a + (<usize>(j * sa)) * sizeof<T>());
    const y = load<T>(b + (<usize>(j * sb)) * sizeof<T>());
    store<T>(out + (<usize>j) * sizeof<T>(), select<T>(x, y, load<u8>(c + <usize>(j * sc)) != 0));
  }
}

/** 16 bytes `a[o..]` of one `where` operand, or the broadcast splat `v` when `scalar` (a constant). */
@inline function whereLanes(p: usize, scalar: bool, v: v128, o: usize): v128 {
  return scalar ? v : v128.load(p + o);
}

/** Stores `bitselect(a, b, mask)` for the 16 bytes at offset `o`. */
@inline function whereStore(out: usize, a: usize, aS: bool, av: v128, b: usize, bS: bool, bv: v128, o: usize, mask: v128): void {
  v128.store(out + o, v128.bitselect(whereLanes(a, aS, av, o), whereLanes(b, bS, bv, o), mask));
}

/** Stores 16 lanes of `bitselect(a, b, mask)` for elements of `es` bytes (16 / es per vector). */
@inline function whereStep(es: i32, c: usize, a: usize, aS: bool, av: v128, b: usize, bS: bool, bv: v128, out: usize, j: i32): void {
  const m = i8x16.ne(v128.load(c + <usize>j), i8x16.splat(0)); // 16 masks of one byte
  const o = <usize>j * <usize>es;
  if (es == 1) {
    whereStore(out, a, aS, av, b, bS, bv, o, m);
    return;
  }
  const h0 = i16x8.extend_low_i8x16_s(m);
  const h1 = i16x8.extend_high_i8x16_s(m);
  if (es == 2) {
    whereStore(out, a, aS, av, b, bS, bv, o, h0);
    whereStore(out, a, aS, av, b, bS, bv, o + 16, h1);
    return;
  }
  const w0 = i32x4.extend_low_i16x8_s(h0);
  const w1 = i32x4.extend_high_i16x8_s(h0);
  const w2 = i32x4.extend_low_i16x8_s(h1);
  const w3 = i32x4.extend_high_i16x8_s(h1);
  if (es == 4) {
    whereStore(out, a, aS, av, b, bS, bv, o, w0);
    whereStore(out, a, aS, av, b, bS, bv, o + 16, w1);
    whereStore(out, a, aS, av, b, bS, bv, o + 32, w2);
    whereStore(out, a, aS, av, b, bS, bv, o + 48, w3);
    return;
  }
  whereStore(out, a, aS, av, b, bS, bv, o, i64x2.extend_low_i32x4_s(w0));
  whereStore(out, a, aS, av, b, bS, bv, o + 16, i64x2.extend_high_i32x4_s(w0));
  whereStore(out, a, aS, av, b, bS, bv, o + 32, i64x2.extend_low_i32x4_s(w1));
  whereStore(out, a, aS, av, b, bS, bv, o + 48, i64x2.extend_high_i32x4_s(w1));
  whereStore(out, a, aS, av, b, bS, bv, o + 64, i64x2.extend_low_i32x4_s(w2));
  whereStore(out, a, aS, av, b, bS, bv, o + 80, i64x2.extend_high_i32x4_s(w2));
  whereStore(out, a, aS, av, b, bS, bv, o + 96, i64x2.extend_low_i32x4_s(w3));
  whereStore(out, a, aS, av, b, bS, bv, o + 112, i64x2.extend_high_i32x4_s(w3));
}

/** An element of `es` bytes at `p`, splat over a vector. */
@inline function splatElem(es: i32, p: usize): v128 {
  switch (es) {
    case 1: return v128.load8_splat(p);
    case 2: return v128.load16_splat(p);
    case 4: return v128.load32_splat(p);
  }
  return v128.load64_splat(p);
}

/** `where` over 16-element steps with contiguous cond; returns how many elements it wrote. */
@inline function whereLoop(es: i32, c: usize, a: usize, aS: bool, b: usize, bS: bool, out: usize, len: i32): i32 {
  const av = splatElem(es, a);
  const bv = splatElem(es, b);
  let j = 0;
  for (; j + 16 <= len; j += 16) whereStep(es, c, a, aS, av, b, bS, bv, out, j);
  return j;
}

/**
 * One `where` segment for elements of `es` bytes: when cond is contiguous and a, b are each
 * contiguous or a broadcast scalar, 16 elements a step (cond bytes widened to lane masks,
 * `v128.bitselect`); the scalar loop for other strides and the tail.
 */
@inline function segWhereSimd<T>(c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, len: i32): void {
  const es = <i32>sizeof<T>();
  let j = 0;
  if (sc == 1 && (sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
    if (sa == 1 && sb == 1) j = whereLoop(es, c, a, false, b, false, out, len);
    else if (sa == 1) j = whereLoop(es, c, a, false, b, true, out, len);
    else if (sb == 1) j = whereLoop(es, c, a, true, b, false, out, len);
    else j = whereLoop(es, c, a, true, b, true, out, len);
  }
  if (j < len) {
    const at = (<usize>(j * sa)) * sizeof<T>();
    const bt = (<usize>(j * sb)) * sizeof<T>();
    segWhere<T>(c + <usize>(j * sc), sc, a + at, sa, b + bt, sb, out + (<usize>j) * sizeof<T>(), len - j);
  }
}

/** where(esize, cond, a, b, out, plan): out = cond ? a : b (three stride sets: cond, a, b). */
export function where(args: usize, tid: i32, nt: i32): void {
  const es = argI(args, 0);
  const c = argP(args, 1);
  const a = argP(args, 2);
  const b = argP(args, 3);
  const out = argP(args, 4);
  const plan = argP(args, 5);
  const n = planSize(plan);
  const s = shareStart(n, tid, nt, 16);
  const e = shareEnd(n, tid, nt, 16);
  if (s >= e) return;
  const R = planRank(plan);
  const inner = planDim(plan, R - 1);
  const sc = planStride(plan, 0, R - 1);
  const sa = planStride(plan, 1, R - 1);
  const sb = planStride(plan, 2, R - 1);
  const st = threadState(tid);
  let row = s / inner;
  let col = s - row * inner;
  rowSeek(plan, st, 3, row);
  let f = s;
  const esz = <usize>es;
  while (f < e) {
    let len = inner - col;
    if (len > e - f) len = e - f;
    const pc = c + <usize>(rowOffset(st, 0) + col * sc);
    const pa = a + <usize>(rowOffset(st, 1) + col * sa) * esz;
    const pb = b + <usize>(rowOffset(st, 2) + col * sb) * esz;
    const po = out + <usize>f * esz;
    switch (es) {
      case 8: segWhereSimd<u64>(pc, sc, pa, sa, pb, sb, po, len); break;
      case 4: segWhereSimd<u32>(pc, sc, pa, sa, pb, sb, po, len); break;
      case 2: segWhereSimd<u16>(pc, sc, pa, sa, pb, sb, po, len); break;
      default: segWhereSimd<u8>(pc, sc, pa, sa, pb, sb, po, len);
    }
    f += len;
    col = 0;
    if (f < e) rowNext(plan, st, 3);
  }
}

/**
 * Scalar definitions of the unary and binary ops, in float64 (as the cpu backend computes),
 * with `erf` from erf.ts (fdlibm's rational approximations).
 * Op codes must match src/kernels/op-codes.ts.
 */
import { truthy } from './common';
import { erf } from './erf';

// unary op codes
export const NEG: i32 = 0;
export const ABS: i32 = 1;
export const SIGN: i32 = 2;
export const FLOOR: i32 = 3;
export const CEIL: i32 = 4;
export const ROUND: i32 = 5;
export const NOT: i32 = 6;
export const EXP: i32 = 7;
export const EXPM1: i32 = 8;
export const LOG: i32 = 9;
export const LOG1P: i32 = 10;
export const SQRT: i32 = 11;
export const SIN: i32 = 12;
export const COS: i32 = 13;
export const TANH: i32 = 14;
export const ERF: i32 = 15;
export const RECIP: i32 = 16;
/** logistic 1/(1 + e^-x) from e^-|x| (the optional `sigmoid` kernel). */
export const SIGMOID: i32 = 17;

// binary op codes (EQ and above give bool)
export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;
export const DIV: i32 = 3;
export const POW: i32 = 4;
export const MAX: i32 = 5;
export const MIN: i32 = 6;
export const MOD: i32 = 7;
export const EQ: i32 = 8;
export const NE: i32 = 9;
export const LT: i32 = 10;
export const LE: i32 = 11;
export const GT: i32 = 12;
export const GE: i32 = 13;
export const AND: i32 = 14;
export const OR: i32 = 15;
export const XOR: i32 = 16;

@inline export function applyUnary(op: i32, x: f64): f64 {
  switch (op) {
    case NEG: return -x;
    case ABS: return Math.abs(x);
    case SIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : NaN;
    case FLOOR: return Math.floor(x);
    case CEIL: return Math.ceil(x);
    case ROUND: return nearest<f64>(x);
    case NOT: return truthy(x) ? 0.0 : 1.0;
    case EXP: return Math.exp(x);
    case EXPM1: return Math.expm1(x);
    case LOG: return Math.log(x);
    case LOG1P: return Math.log1p(x);
    case SQRT: return Math.sqrt(x);
    case SIN: return Math.sin(x);
    case COS: return Math.cos(x);
    case TANH: return Math.tanh(x);
    case ERF: return erf(x);
    case RECIP: return 1.0 / x;
    case SIGMOID: {
      const e = Math.exp(-Math.abs(x));
      const r = 1.0 / (1.0 + e);
      return x >= 0 ? r : e * r;
    }
  }
  return NaN;
}

/** float32 versions of the transcendental unary ops (Mathf, within an ulp or two). */
@inline export function applyUnaryF32(op: i32, x: f32): f32 {
  switch (op) {
    case EXP: return Mathf.exp(x);
    case EXPM1: return Mathf.expm1(x);
    case LOG: return Mathf.log(x);
    case LOG1P: return Mathf.log1p(x);
    case SIN: return Mathf.sin(x);
    case COS: return Mathf.cos(x);
    case TANH: return Mathf.tanh(x);
    case SIGMOID: {
      const e = Mathf.exp(-Mathf.abs(x));
      const r: f32 = 1.0 / (1.0 + e);
      return x >= 0 ? r : e * r;
    }
  }
  return <f32>applyUnary(op, <f64>x);
}

@inline export function applyBinary(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case POW: return Math.pow(a, b);
    case MAX: return a != a || b != b ? NaN : a > b ? a : b;
    case MIN: return a != a || b != b ? NaN : a < b ? a : b;
    case MOD: return a - Math.floor(a / b) * b;
    case EQ: return a == b ? 1.0 : 0.0;
    case NE: return a != b ? 1.0 : 0.0;
    case LT: return a < b ? 1.0 : 0.0;
    case LE: return a <= b ? 1.0 : 0.0;
    case GT: return a > b ? 1.0 : 0.0;
    case GE: return a >= b ? 1.0 : 0.0;
    case AND: return truthy(a) && truthy(b) ? 1.0 : 0.0;
    case OR: return truthy(a) || truthy(b) ? 1.0 : 0.0;
    case XOR: return truthy(a) != truthy(b) ? 1.0 : 0.0;
  }
  return NaN;
}

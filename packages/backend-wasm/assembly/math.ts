/**
 * Scalar definitions of the unary and binary ops, in float64 (as the cpu backend computes),
 * with `erf` from erf.ts (fdlibm's rational approximations).
 * The op codes are generated (op-codes.ts, from src/kernels/op-codes.ts).
 */
import { truthy } from './common';
import { erf } from './erf';
import {
  NEG, ABS, SIGN, FLOOR, CEIL, ROUND, LOGICAL_NOT, EXP, EXPM1, LOG, LOG1P, SQRT, SIN, COS, TANH, ERF, RECIPROCAL, SIGMOID,
  ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, MOD, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR,
} from './op-codes';

@inline export function applyUnary(op: i32, x: f64): f64 {
  switch (op) {
    case NEG: return -x;
    case ABS: return Math.abs(x);
    case SIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : NaN;
    case FLOOR: return Math.floor(x);
    case CEIL: return Math.ceil(x);
    case ROUND: return nearest<f64>(x);
    case LOGICAL_NOT: return truthy(x) ? 0.0 : 1.0;
    case EXP: return Math.exp(x);
    case EXPM1: return Math.expm1(x);
    case LOG: return Math.log(x);
    case LOG1P: return Math.log1p(x);
    case SQRT: return Math.sqrt(x);
    case SIN: return Math.sin(x);
    case COS: return Math.cos(x);
    case TANH: return Math.tanh(x);
    case ERF: return erf(x);
    case RECIPROCAL: return 1.0 / x;
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
    case MAXIMUM: return a != a || b != b ? NaN : a > b ? a : b;
    case MINIMUM: return a != a || b != b ? NaN : a < b ? a : b;
    case MOD: return a - Math.floor(a / b) * b;
    case EQ: return a == b ? 1.0 : 0.0;
    case NE: return a != b ? 1.0 : 0.0;
    case LT: return a < b ? 1.0 : 0.0;
    case LE: return a <= b ? 1.0 : 0.0;
    case GT: return a > b ? 1.0 : 0.0;
    case GE: return a >= b ? 1.0 : 0.0;
    case LOGICAL_AND: return truthy(a) && truthy(b) ? 1.0 : 0.0;
    case LOGICAL_OR: return truthy(a) || truthy(b) ? 1.0 : 0.0;
    case LOGICAL_XOR: return truthy(a) != truthy(b) ? 1.0 : 0.0;
  }
  return NaN;
}

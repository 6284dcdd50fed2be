// Elementwise arithmetic and math: Add Sub Mul Div Pow Mod Neg Abs Reciprocal Sqrt Exp Log
// Floor Ceil Round Sign Erf, trigonometric and hyperbolic functions, Min Max Sum Mean, BitShift,
// IsNaN IsInf.
import {
  abs, add, cast, ceil, cos, div, eq, erf, exp, floor, isFloat, log, logicalAnd, logicalNot, lt, maximum, minimum, mod, mul, ne, neg, pow,
  reciprocal, reshape, round, sign, sin, sqrt, sub, tanh, where, type Tensor,
} from '@mapnn/core';
import { registerBuiltinOp, type OnnxConverter, type OnnxNode } from '../converter.js';
import { castIf, fail, hostBinary, hostUnary, need, passThrough } from './util.js';

/** Opset < 7 `broadcast`/`axis` attributes: aligns `b` to `a` starting at `axis`. */
export function legacyBroadcast(node: OnnxNode, a: Tensor, b: Tensor): Tensor {
  if (node.opset >= 7 || node.attrs.int('broadcast', 0) !== 1 || !node.attrs.has('axis')) return b;
  let axis = node.attrs.int('axis', 0);
  if (axis < 0) axis += a.rank;
  const trailing = a.rank - axis - b.rank;
  return trailing > 0 ? reshape(b, [...b.shape, ...new Array<number>(trailing).fill(1)]) : b;
}

function binary(fn: (a: Tensor, b: Tensor, node: OnnxNode) => Tensor): OnnxConverter {
  return (node) => (ins) => {
    const a = need(ins, 0, node);
    const b = legacyBroadcast(node, a, need(ins, 1, node));
    return fn(a, b, node);
  };
}

export function unary(fn: (x: Tensor, node: OnnxNode) => Tensor): OnnxConverter {
  return (node) => (ins) => fn(need(ins, 0, node), node);
}

/** Float-only math on an int/bool input computes in float32 and keeps the float result. */
const floatOut = (fn: (x: Tensor) => Tensor) => unary((x) => fn(x));

/** Integer division truncating toward zero (C semantics, as ONNX Runtime). */
function intDiv(a: Tensor, b: Tensor): Tensor {
  const q = div(cast(a, 'float64'), cast(b, 'float64'));
  return cast(q, a.dtype);
}

function fmod(a: Tensor, b: Tensor): Tensor {
  // a - trunc(a / b) * b, sign of the dividend
  if (!isFloat(a.dtype)) {
    const a64 = cast(a, 'float64');
    const b64 = cast(b, 'float64');
    const q = div(a64, b64);
    const t = where(lt(q, 0), ceil(q), floor(q));
    return cast(sub(a64, mul(t, b64)), a.dtype);
  }
  const q = div(a, b);
  const t = where(lt(q, 0), ceil(q), floor(q));
  return sub(a, mul(t, b));
}

function variadic(fn: (a: Tensor, b: Tensor) => Tensor, finish?: (acc: Tensor, n: number) => Tensor): OnnxConverter {
  return (node) => (ins) => {
    const xs = ins.filter((t): t is Tensor => !!t);
    if (xs.length === 0) fail(node, 'needs at least one input');
    let acc = xs[0]!;
    for (let i = 1; i < xs.length; i++) acc = castIf(fn(acc, xs[i]!), xs[0]!.dtype);
    if (xs.length === 1) acc = passThrough(acc);
    return finish ? finish(acc, xs.length) : acc;
  };
}

/** NaN-propagating maximum/minimum (ONNX Max/Min follow IEEE: NaN wins). */
function nanAware(fn: (a: Tensor, b: Tensor) => Tensor): (a: Tensor, b: Tensor) => Tensor {
  return (a, b) => {
    const r = fn(a, b);
    if (!isFloat(a.dtype)) return r;
    return where(ne(a, a), a, where(ne(b, b), b, r));
  };
}

const asinF = (v: number) => Math.asin(v);

export function registerElementwiseOps(): void {
  registerBuiltinOp('Add', binary((a, b) => castIf(add(a, b), a.dtype)));
  registerBuiltinOp('Sub', binary((a, b) => castIf(sub(a, b), a.dtype)));
  registerBuiltinOp('Mul', binary((a, b) => castIf(mul(a, b), a.dtype)));
  registerBuiltinOp('Div', binary((a, b) => (isFloat(a.dtype) ? div(a, b) : intDiv(a, b))));
  registerBuiltinOp('Pow', binary((a, b) => castIf(pow(a, b), a.dtype)));
  registerBuiltinOp('Mod', (node) => {
    const f = node.attrs.int('fmod', 0);
    return (ins) => {
      const a = need(ins, 0, node);
      const b = need(ins, 1, node);
      if (f === 1) return fmod(a, b);
      if (isFloat(a.dtype)) fail(node, 'fmod must be 1 for float inputs');
      return castIf(mod(a, b), a.dtype);
    };
  });
  registerBuiltinOp('Neg', unary((x) => neg(x)));
  registerBuiltinOp('Abs', unary((x) => abs(x)));
  registerBuiltinOp('Reciprocal', floatOut((x) => reciprocal(x)));
  registerBuiltinOp('Sqrt', floatOut((x) => sqrt(x)));
  registerBuiltinOp('Exp', floatOut((x) => exp(x)));
  registerBuiltinOp('Log', floatOut((x) => log(x)));
  registerBuiltinOp('Floor', unary((x) => floor(x)));
  registerBuiltinOp('Ceil', unary((x) => ceil(x)));
  registerBuiltinOp('Round', unary((x) => round(x)));
  registerBuiltinOp('Sign', unary((x) => castIf(sign(x), x.dtype)));
  registerBuiltinOp('Erf', floatOut((x) => erf(x)));
  registerBuiltinOp('Sin', floatOut((x) => sin(x)));
  registerBuiltinOp('Cos', floatOut((x) => cos(x)));
  registerBuiltinOp('Tan', floatOut((x) => div(sin(x), cos(x))));
  registerBuiltinOp('Sinh', floatOut((x) => mul(sub(exp(x), exp(neg(x))), 0.5)));
  registerBuiltinOp('Cosh', floatOut((x) => mul(add(exp(x), exp(neg(x))), 0.5)));
  registerBuiltinOp('Tanh', floatOut((x) => tanh(x)));
  registerBuiltinOp('Asinh', floatOut((x) => log(add(x, sqrt(add(mul(x, x), 1))))));
  registerBuiltinOp('Acosh', floatOut((x) => log(add(x, sqrt(sub(mul(x, x), 1))))));
  registerBuiltinOp('Atanh', floatOut((x) => mul(log(div(add(1, x), sub(1, x))), 0.5)));
  registerBuiltinOp('Asin', unary((x) => hostUnary(x, asinF, isFloat(x.dtype) ? x.dtype : 'float32')));
  registerBuiltinOp('Acos', unary((x) => hostUnary(x, Math.acos, isFloat(x.dtype) ? x.dtype : 'float32')));
  registerBuiltinOp('Atan', unary((x) => hostUnary(x, Math.atan, isFloat(x.dtype) ? x.dtype : 'float32')));
  registerBuiltinOp('Max', variadic(nanAware(maximum)));
  registerBuiltinOp('Min', variadic(nanAware(minimum)));
  registerBuiltinOp('Sum', variadic(add));
  registerBuiltinOp('Mean', variadic(add, (acc, n) => castIf(div(acc, n), acc.dtype)));
  registerBuiltinOp('BitShift', (node) => {
    const dir = node.attrs.string('direction', '');
    if (dir !== 'LEFT' && dir !== 'RIGHT') throw new Error(`direction must be LEFT or RIGHT, got '${dir}'`);
    return (ins) => {
      const a = need(ins, 0, node);
      const b = need(ins, 1, node);
      const bits = a.dtype === 'uint8' ? 8 : a.dtype === 'int32' ? 16 : a.dtype === 'int64' ? 64 : 32;
      const wrap = bits >= 53 ? Number.MAX_SAFE_INTEGER + 1 : 2 ** bits;
      return hostBinary(node, a, b, (x, y) => (dir === 'LEFT' ? (x * 2 ** y) % wrap : Math.floor(x / 2 ** y)));
    };
  });
  registerBuiltinOp('IsNaN', unary((x) => ne(x, x)));
  registerBuiltinOp('IsInf', (node) => {
    const pos = node.attrs.int('detect_positive', 1);
    const negv = node.attrs.int('detect_negative', 1);
    return (ins) => {
      const x = need(ins, 0, node);
      const p = pos ? eq(x, Infinity) : null;
      const n = negv ? eq(x, -Infinity) : null;
      if (p && n) return logicalNot(logicalAnd(logicalNot(p), logicalNot(n)));
      return p ?? n ?? logicalAnd(ne(x, x), eq(x, x));
    };
  });
}

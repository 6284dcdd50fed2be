/**
 * Elementwise kernels: unary, binary (broadcasting), `where`, and the optional `sigmoid`.
 * Float semantics follow the cpu backend (PyTorch): NaN propagates through maximum/minimum,
 * `mod` is floor-mod, `pow` of a negative base needs an integral exponent, `round` is
 * half-to-even. Integer results wrap (8-bit dtypes to 8 bits), bool arithmetic stays 0/1.
 */
import { broadcastShapes, type DType, type KernelName } from '@mapnn/core/backend';
import { kindOf } from '../dtype.js';
import { mapKernel } from './map.js';
import { gpuKernel, type GpuKernelDef, type GpuKernels } from './register.js';

type Ex1 = (x: string) => string;
type Ex2 = (a: string, b: string) => string;

const FUNCS = /* wgsl */ `
fn expm1f(x: f32) -> f32 {
  if (x > 20.0) { return exp(x); }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  return um1 * x / log(u);
}
fn logf(x: f32) -> f32 {
  if (x < 0.0) { return nan(); }
  if (x == 0.0) { return inf(true); }
  return log(x);
}
fn log1pf(x: f32) -> f32 {
  if (x <= -1.0) { return select(nan(), inf(true), x == -1.0); }
  if (x > 1e6) { return log(x); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn erff(x: f32) -> f32 {
  // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7)
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(select(y, -y, x < 0.0), x, isNan(x));
}
// sin/cos with Cody–Waite reduction to [-π/4, π/4] and Cephes polynomials: Vulkan lets the
// builtins be off by 2^-11 absolute (SwiftShader is), too coarse for float32 gradients.
fn sinPoly(r: f32) -> f32 {
  let z = r * r;
  return r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
}
fn cosPoly(r: f32) -> f32 {
  let z = r * r;
  return 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
}
fn sincosf(x: f32, cosine: bool) -> f32 {
  if (isNan(x) || abs(x) > 1.0e5) { return select(sin(x), cos(x), cosine); }
  let q = round(x * 0.636619772367581);
  let r = ((x - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.549789948768648e-8;
  let k = (i32(q) + select(0, 1, cosine)) & 3;
  let v = select(sinPoly(r), cosPoly(r), (k & 1) == 1);
  return select(v, -v, k >= 2);
}
fn sigmoidf(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn powf(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isNan(a) || isNan(b)) { return nan(); }
  if (a == 0.0) { return select(0.0, inf(false), b < 0.0); }
  let r = pow(abs(a), b);
  if (a < 0.0) {
    if (floor(b) != b) { return nan(); }
    if (abs(b) < 16777216.0 && fract(b * 0.5) != 0.0) { return -r; }
  }
  return r;
}
fn modf_(a: f32, b: f32) -> f32 {
  var r = a - floor(a / b) * b;
  if (r != 0.0 && !isNan(r) && abs(r) < 3.0e38 && ((r < 0.0) != (b < 0.0))) { r = r + b; }
  return r;
}
fn ipow(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, (b & 1) == 0), a == -1), 1, a == 1); }
  var r = 1; var base = a; var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}
fn imod(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  return select(r, r + b, r != 0 && ((r < 0) != (b < 0)));
}
fn truthy(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }
`;

const bool = (c: string) => `select(0, 1, ${c})`;

/**
 * Unary kernel `op`: `fx` computes it for float dtypes, `ix` for integer and bool ones (the
 * table's float-only kernels have none: core promotes their integer inputs first).
 */
function unary<K extends KernelName>(op: K, fx: Ex1, ix?: Ex1): GpuKernelDef<K> {
  return gpuKernel(op, ([x], _attrs, be) => {
    const out: DType = op === 'logicalNot' ? 'bool' : x!.dtype;
    const e = kindOf(x!.dtype) === 'f32' ? fx : ix;
    if (!e) throw new Error(`${op} (webgpu): float-only kernel called with ${x!.dtype} [${x!.shape}], expected a float dtype`);
    return mapKernel(be, op, [x!], x!.shape, out, ([v]) => e(v!), FUNCS);
  });
}

const unaryKernels = {
  neg: unary('neg', (x) => `-${x}`, (x) => `-${x}`),
  abs: unary('abs', (x) => `abs(${x})`, (x) => `abs(${x})`),
  sign: unary('sign', (x) => `select(select(select(0.0, -1.0, ${x} < 0.0), 1.0, ${x} > 0.0), nan(), isNan(${x}))`, (x) => `sign(${x})`),
  floor: unary('floor', (x) => `floor(${x})`, (x) => x),
  ceil: unary('ceil', (x) => `ceil(${x})`, (x) => x),
  round: unary('round', (x) => `round(${x})`, (x) => x),
  logicalNot: unary('logicalNot', (x) => bool(`!truthy(${x})`), (x) => bool(`${x} == 0`)),
  exp: unary('exp', (x) => `exp(${x})`),
  expm1: unary('expm1', (x) => `expm1f(${x})`),
  log: unary('log', (x) => `logf(${x})`),
  log1p: unary('log1p', (x) => `log1pf(${x})`),
  sqrt: unary('sqrt', (x) => `select(sqrt(${x}), nan(), ${x} < 0.0)`),
  sin: unary('sin', (x) => `sincosf(${x}, false)`),
  cos: unary('cos', (x) => `sincosf(${x}, true)`),
  tanh: unary('tanh', (x) => `select(tanh(clamp(${x}, -15.0, 15.0)), ${x}, isNan(${x}))`),
  erf: unary('erf', (x) => `erff(${x})`),
  reciprocal: unary('reciprocal', (x) => `1.0 / ${x}`),
  sigmoid: unary('sigmoid', (x) => `sigmoidf(${x})`),
} satisfies GpuKernels;

/** Binary (broadcasting) kernel `op`: `fx` for float dtypes, `ix` for integer and bool ones; `toBool` for comparisons and logic. */
function binary<K extends KernelName>(op: K, fx: Ex2, ix: Ex2, toBool = false): GpuKernelDef<K> {
  return gpuKernel(op, ([a, b], _attrs, be) => {
    const shape = broadcastShapes(op, a!.shape, b!.shape);
    const e = kindOf(a!.dtype) === 'f32' ? fx : ix;
    return mapKernel(be, op, [a!, b!], shape, toBool ? 'bool' : a!.dtype, ([x, y]) => e(x!, y!), FUNCS);
  });
}

/** A comparison: the same expression for float and integer operands, a bool result. */
function compare<K extends KernelName>(op: K, o: string): GpuKernelDef<K> {
  const e: Ex2 = (a, b) => bool(`${a} ${o} ${b}`);
  return binary(op, e, e, true);
}

const binaryKernels = {
  add: binary('add', (a, b) => `${a} + ${b}`, (a, b) => `${a} + ${b}`),
  sub: binary('sub', (a, b) => `${a} - ${b}`, (a, b) => `${a} - ${b}`),
  mul: binary('mul', (a, b) => `${a} * ${b}`, (a, b) => `${a} * ${b}`),
  div: binary('div', (a, b) => `${a} / ${b}`, (a, b) => `select(${a} / ${b}, 0, ${b} == 0)`),
  pow: binary('pow', (a, b) => `powf(${a}, ${b})`, (a, b) => `ipow(${a}, ${b})`),
  maximum: binary('maximum', (a, b) => `select(max(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`, (a, b) => `max(${a}, ${b})`),
  minimum: binary('minimum', (a, b) => `select(min(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`, (a, b) => `min(${a}, ${b})`),
  mod: binary('mod', (a, b) => `modf_(${a}, ${b})`, (a, b) => `imod(${a}, ${b})`),
  eq: compare('eq', '=='),
  ne: compare('ne', '!='),
  lt: compare('lt', '<'),
  le: compare('le', '<='),
  gt: compare('gt', '>'),
  ge: compare('ge', '>='),
  logicalAnd: binary('logicalAnd', (a, b) => bool(`truthy(${a}) && truthy(${b})`), (a, b) => bool(`${a} != 0 && ${b} != 0`), true),
  logicalOr: binary('logicalOr', (a, b) => bool(`truthy(${a}) || truthy(${b})`), (a, b) => bool(`${a} != 0 || ${b} != 0`), true),
  logicalXor: binary('logicalXor', (a, b) => bool(`truthy(${a}) != truthy(${b})`), (a, b) => bool(`(${a} != 0) != (${b} != 0)`), true),
} satisfies GpuKernels;

const where = gpuKernel('where', ([c, a, b], _attrs, be) => {
  const shape = broadcastShapes('where', c!.shape, a!.shape, b!.shape);
  const cond = kindOf(c!.dtype) === 'f32' ? (v: string) => `truthy(${v})` : (v: string) => `${v} != 0`;
  return mapKernel(be, 'where', [c!, a!, b!], shape, a!.dtype, ([k, x, y]) => `select(${y}, ${x}, ${cond(k!)})`, FUNCS);
});

export const elementwiseKernels = { ...unaryKernels, ...binaryKernels, where } satisfies GpuKernels;

/**
 * Reductions: `sum prod max min` over sorted axes, `argmax argmin` over one axis.
 *
 * The input's kept and reduced dims are collapsed separately; each output's elements are then
 * `base(o) + off(r)` for r < R. Short reductions (R ≤ 64) run one thread per output looping
 * over r; longer ones one workgroup per output: its threads stride over r and combine in
 * workgroup memory (a tree), so a full sum of a large tensor is not one long serial loop.
 * max/min propagate NaN; argmax/argmin return the first index on ties (a NaN wins).
 */
import { sizeOf } from '@mapnn/core/backend';
import { kindOf, wrapExpr } from '../dtype.js';
import { collapse, contiguous, grid, header, main1d, offsets, Uniforms } from '../wgsl.js';
import { fillKernel } from './map.js';
import { gpuKernel, type GpuKernelDef, type GpuKernels } from './register.js';

const RWG = 64;

interface Red {
  init: { f32: string; i32: string };
  /** Value of an empty reduction (cpu backend: the identity converted to the dtype). */
  empty: { f32: number; i32: number };
  combine: { f32: (a: string, b: string) => string; i32: (a: string, b: string) => string };
}

type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

const REDUCE: Record<ReduceOp, Red> = {
  sum: { init: { f32: '0.0', i32: '0' }, empty: { f32: 0, i32: 0 }, combine: { f32: (a, b) => `${a} + ${b}`, i32: (a, b) => `${a} + ${b}` } },
  prod: { init: { f32: '1.0', i32: '1' }, empty: { f32: 1, i32: 1 }, combine: { f32: (a, b) => `${a} * ${b}`, i32: (a, b) => `${a} * ${b}` } },
  max: {
    init: { f32: 'inf(true)', i32: 'i32(-2147483647 - 1)' },
    empty: { f32: -Infinity, i32: 0 },
    combine: { f32: (a, b) => `select(max(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`, i32: (a, b) => `max(${a}, ${b})` },
  },
  min: {
    init: { f32: 'inf(false)', i32: '2147483647' },
    empty: { f32: Infinity, i32: 0 },
    combine: { f32: (a, b) => `select(min(${a}, ${b}), nan(), isNan(${a}) || isNan(${b}))`, i32: (a, b) => `min(${a}, ${b})` },
  },
};

function reduceKernel(op: ReduceOp): GpuKernelDef<'sum'> { // all four take ReduceAttrs, for the same dtypes
  const r = REDUCE[op];
  return gpuKernel(
    op,
    ([x], attrs, be) => {
      const axes = attrs.axes;
      const shape = x!.shape;
      const outShape = shape.filter((_, i) => !axes.includes(i));
      const nOut = sizeOf(outShape);
      const kind = kindOf(x!.dtype);
      const R = sizeOf(axes.map((a) => shape[a]!));
      if (nOut === 0 || R === 0) return fillKernel(be, outShape, x!.dtype, r.empty[kind]);
      const input = be.buffer(x!, op);
      const inStr = contiguous(shape);
      const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
      const keptCol = collapse(kept.map((d) => shape[d]!), [contiguous(outShape), kept.map((d) => inStr[d]!)]);
      const redCol = collapse(axes.map((a) => shape[a]!), [axes.map((a) => inStr[a]!)]);
      const kr = keptCol.shape.length;
      const rr = redCol.shape.length;
      const u = new Uniforms().u32(nOut, R);
      const KS = u.length;
      u.u32(...keptCol.shape);
      const KI = u.length;
      u.u32(...keptCol.strides[1]!);
      const RS = u.length;
      u.u32(...redCol.shape);
      const RI = u.length;
      u.u32(...redCol.strides[0]!);
      const flat = rr === 1 && redCol.strides[0]![0] === 1; // reduced elements contiguous
      const T = kind;
      const comb = r.combine[kind];
      const readAt = (rv: string) =>
        flat ? `in0[base + ${rv}]` : `in0[base + ro]`;
      const roCode = (rv: string) => (flat ? '' : offsets(rv, rr, RS, [['ro', RI]]));
      const baseCode = (ov: string) => offsets(ov, kr, KS, [['base', KI]]);
      const { info, buffer } = be.output(outShape, x!.dtype);
      let code: string;
      let groups: [number, number, number];
      if (R <= 64) {
        const body = `${baseCode('i')}
  var acc: ${T} = ${r.init[kind]};
  for (var rr = 0u; rr < m(1u); rr = rr + 1u) {
    ${roCode('rr')}
    acc = ${comb('acc', readAt('rr'))};
  }
  out[i] = ${wrapExpr(x!.dtype, 'acc')};`;
        code = header(u.length, T, [T]) + main1d(body);
        groups = grid(nOut);
      } else {
        code = `${header(u.length, T, [T])}
var<workgroup> sh: array<${T}, ${RWG}>;
@compute @workgroup_size(${RWG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x + wid.y * nwg.x;
  if (o >= m(0u)) { return; }
  ${baseCode('o')}
  var acc: ${T} = ${r.init[kind]};
  for (var rr = lid; rr < m(1u); rr = rr + ${RWG}u) {
    ${roCode('rr')}
    acc = ${comb('acc', readAt('rr'))};
  }
  sh[lid] = acc;
  workgroupBarrier();
  for (var s = ${RWG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { sh[lid] = ${comb('sh[lid]', 'sh[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u) { out[o] = ${wrapExpr(x!.dtype, 'sh[0]')}; }
}`;
        groups = grid(nOut, 1);
      }
      be.runtime.dispatch({ code, buffers: [buffer, input], uniforms: u.build(), groups });
      return info;
    },
  );
}

function argKernel(op: 'argmax' | 'argmin'): GpuKernelDef<'argmax'> { // both take AxisAttrs, for the same dtypes
  const better = op === 'argmax' ? '>' : '<';
  return gpuKernel(
    op,
    ([x], attrs, be) => {
      const axis = attrs.axis;
      const shape = x!.shape;
      const outShape = shape.filter((_, i) => i !== axis);
      const M = shape[axis] ?? 1;
      const nOut = sizeOf(outShape);
      if (nOut === 0 || M === 0) return fillKernel(be, outShape, 'int64', 0);
      const inner = sizeOf(shape.slice(axis + 1));
      const isF = kindOf(x!.dtype) === 'f32';
      const nanCheck = (v: string) => (isF ? `isNan(${v})` : 'false');
      const u = new Uniforms().u32(nOut, M, inner);
      const body = `
  let base = (i / m(2u)) * m(1u) * m(2u) + i % m(2u);
  var best = in0[base];
  var bi = 0u;
  if (!${nanCheck('best')}) {
    for (var j = 1u; j < m(1u); j = j + 1u) {
      let v = in0[base + j * m(2u)];
      if (v ${better} best || ${nanCheck('v')}) {
        best = v;
        bi = j;
        if (${nanCheck('v')}) { break; }
      }
    }
  }
  out[i] = i32(bi);`;
      const { info, buffer } = be.output(outShape, 'int64');
      const code = header(u.length, 'i32', [kindOf(x!.dtype)]) + main1d(body);
      be.runtime.dispatch({ code, buffers: [buffer, be.buffer(x!, op)], uniforms: u.build(), groups: grid(nOut) });
      return info;
    },
  );
}
export const reduceKernels = {
  sum: reduceKernel('sum'),
  prod: reduceKernel('prod'),
  max: reduceKernel('max'),
  min: reduceKernel('min'),
  argmax: argKernel('argmax'),
  argmin: argKernel('argmin'),
} satisfies GpuKernels;


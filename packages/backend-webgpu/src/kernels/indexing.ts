/**
 * Index kernels: `gather indexSelect scatter scatterAdd`.
 *
 * Scatter is written as a gather, deterministically and without atomics: each output element
 * scans the index entries along `axis` that could point at it (same other coordinates) and
 * applies the matching `src` values in index order — the last write wins for `scatter`, and
 * `scatterAdd` sums in the same order as the cpu backend. Cost: |x| · index.shape[axis].
 *
 * Out-of-range indices: when the index tensor still has its host copy (small uploads, see
 * backend.ts) it is checked first, a RangeError as on the cpu backend. Otherwise the shader
 * flags it (gather reads 0, scatter ignores it) and the next read throws a RangeError.
 */
import { checkGatherShapes, checkIndexDType, checkIndexRange, checkScatterArgs, indexSelectShape, sizeOf, type AxisAttrs, type DType, type TensorInfo } from '@mapnn/core/backend';
import type { WebGPUBackend } from '../backend.js';
import { kindOf, wrapExpr } from '../dtype.js';
import { GPU_ERRORS } from '../runtime.js';
import { contiguous, errorDecl, grid, header, main1d, Uniforms } from '../wgsl.js';
import { gpuKernel, type GpuKernels } from './register.js';

/** Checks the index dtype, and the values when the index tensor still has its host copy. */
function checkIndex(op: string, be: WebGPUBackend, index: TensorInfo, axis: number, dim: number): void {
  checkIndexDType(op, index);
  const host = be.host(index);
  if (host) checkIndexRange(op, host, axis, dim);
}

const atLeast1 = (s: readonly number[]) => (s.length ? s : [1]);

const gather = gpuKernel('gather', ([x, index], attrs, be) => {
  const axis = attrs.axis;
  checkGatherShapes(x!.shape, index!.shape, axis);
  const xs = atLeast1(x!.shape);
  const is = atLeast1(index!.shape);
  const dim = xs[axis]!;
  checkIndex('gather', be, index!, axis, dim);
  const { info, buffer } = be.output(index!.shape, x!.dtype);
  const total = sizeOf(is);
  if (total === 0) return info;
  const xStr = contiguous(xs);
  const u = new Uniforms().u32(total, dim, xStr[axis]!);
  const lines = ['var r_ = i;', 'var o = 0u;'];
  for (let d = xs.length - 1; d >= 0; d--) {
    const at = u.length;
    u.u32(is[d]!, d === axis ? 0 : xStr[d]!);
    lines.push(`{ let c = r_ % m(${at}u); r_ = r_ / m(${at}u); o = o + c * m(${at + 1}u); }`);
  }
  lines.push(
    'let k = in1[i];',
    'let inside = k >= 0 && u32(k) < m(1u);',
    `if (!inside) { atomicOr(&err[0], ${GPU_ERRORS.gather!.bit}u); }`,
    'out[i] = select(0u, in0[o + u32(max(k, 0)) * m(2u)], inside);',
  );
  const code = header(u.length, 'u32', ['u32', 'i32']) + errorDecl(4) + main1d(lines.join('\n'));
  const bufs = [buffer, be.buffer(x!, 'gather'), be.buffer(index!, 'gather')];
  be.runtime.dispatch({ code, buffers: bufs, uniforms: u.build(), groups: grid(total), errors: true });
  return info;
});

const indexSelect = gpuKernel('indexSelect', ([x, indices], attrs, be) => {
  const axis = attrs.axis;
  const outShape = indexSelectShape(x!.shape, indices!.shape, axis);
  const xs = atLeast1(x!.shape);
  const dim = xs[axis]!;
  checkIndex('indexSelect', be, indices!, axis, dim);
  const n = sizeOf(indices!.shape);
  const { info, buffer } = be.output(outShape, x!.dtype);
  const total = sizeOf(outShape);
  if (total === 0) return info;
  const inner = sizeOf(xs.slice(axis + 1));
  const u = new Uniforms().u32(total, n, inner, dim).build();
  const body = `
  let o = i / (m(1u) * m(2u));
  let t = (i / m(2u)) % m(1u);
  let k = in1[t];
  let inside = k >= 0 && u32(k) < m(3u);
  if (!inside) { atomicOr(&err[0], ${GPU_ERRORS.indexSelect!.bit}u); }
  out[i] = select(0u, in0[(o * m(3u) + u32(max(k, 0))) * m(2u) + i % m(2u)], inside);`;
  const code = header(4, 'u32', ['u32', 'i32']) + errorDecl(4) + main1d(body);
  const bufs = [buffer, be.buffer(x!, 'indexSelect'), be.buffer(indices!, 'indexSelect')];
  be.runtime.dispatch({ code, buffers: bufs, uniforms: u, groups: grid(total), errors: true });
  return info;
});

function scatter(op: 'scatter' | 'scatterAdd', [x, index, src]: TensorInfo[], { axis }: AxisAttrs, be: WebGPUBackend): TensorInfo {
  checkScatterArgs(op, x!, index!.shape, src!, axis);
  const xs = atLeast1(x!.shape);
  const is = atLeast1(index!.shape);
  const ss = atLeast1(src!.shape);
  checkIndex(op, be, index!, axis, xs[axis]!);
  const dtype: DType = x!.dtype;
  const { info, buffer } = be.output(x!.shape, dtype);
  const total = sizeOf(xs);
  if (total === 0) return info;
  const kind = kindOf(dtype);
  const iStr = contiguous(is);
  const sStr = contiguous(ss);
  const u = new Uniforms().u32(total, sizeOf(is) === 0 ? 0 : is[axis]!, iStr[axis]!, sStr[axis]!, xs[axis]!);
  const lines = ['var r_ = i;', 'var io = 0u;', 'var so = 0u;', 'var ok = true;', 'var ca = 0;'];
  for (let d = xs.length - 1; d >= 0; d--) {
    const at = u.length;
    u.u32(xs[d]!, is[d]!, iStr[d]!, sStr[d]!);
    lines.push(`{ let c = r_ % m(${at}u); r_ = r_ / m(${at}u);`);
    lines.push(d === axis ? '  ca = i32(c); }' : `  ok = ok && c < m(${at + 1}u); io = io + c * m(${at + 2}u); so = so + c * m(${at + 3}u); }`);
  }
  const combine = op === 'scatter' ? 's' : kind === 'f32' || dtype !== 'bool' ? 'acc + s' : 'select(acc, 1, s != 0)';
  lines.push(
    'var acc = in0[i];',
    'if (ok) {',
    '  for (var j = 0u; j < m(1u); j = j + 1u) {',
    '    let k = in1[io + j * m(2u)];',
    `    if (k < 0 || u32(k) >= m(4u)) { atomicOr(&err[0], ${GPU_ERRORS[op]!.bit}u); }`,
    '    if (k == ca) { let s = in2[so + j * m(3u)]; acc = ' + combine + '; }',
    '  }',
    '}',
    `out[i] = ${op === 'scatter' ? 'acc' : wrapExpr(dtype, 'acc')};`,
  );
  const code = header(u.length, kind, [kind, 'i32', kind]) + errorDecl(5) + main1d(lines.join('\n'));
  const bufs = [buffer, be.buffer(x!, op), be.buffer(index!, op), be.buffer(src!, op)];
  be.runtime.dispatch({ code, buffers: bufs, uniforms: u.build(), groups: grid(total), errors: true });
  return info;
}

export const indexingKernels = {
  gather,
  indexSelect,
  scatter: gpuKernel('scatter', (inputs, attrs, be) => scatter('scatter', inputs, attrs, be)),
  scatterAdd: gpuKernel('scatterAdd', (inputs, attrs, be) => scatter('scatterAdd', inputs, attrs, be)),
} satisfies GpuKernels;

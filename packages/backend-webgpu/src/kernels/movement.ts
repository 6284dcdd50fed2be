/**
 * Movement kernels: `broadcastTo transpose slice pad concat`. They move 32-bit words, so one
 * shader serves every dtype (float16 included).
 */
import { checkPadDim, concatShape, float16BitsToFloat32, fromNumbers, padAttrs, sizeOf, sliceAttrs, sliceOffset, type Shape, type TensorInfo } from '@mapnn/core/backend';
import { kindOf } from '../dtype.js';
import type { WebGPUBackend } from '../backend.js';
import { broadcastStridesOf, collapse, contiguous, grid, header, main1d, offsets, Uniforms } from '../wgsl.js';
import { gpuKernel, type GpuKernels } from './register.js';

/**
 * `out[i] = x[base + Σ coord_d(i)·strides[d]]` over `shape` (strides may be negative or 0).
 * The workhorse of broadcastTo, transpose and slice.
 */
export function stridedCopy(be: WebGPUBackend, op: string, x: TensorInfo, shape: Shape, strides: readonly number[], base = 0): TensorInfo {
  const { info, buffer } = be.output(shape, x.dtype);
  const total = sizeOf(shape);
  if (total === 0) return info;
  const input = be.buffer(x, op);
  const col = collapse(shape, [contiguous(shape), strides]);
  const rank = col.shape.length;
  const u = new Uniforms().u32(total).i32(base).u32(...col.shape);
  const at = u.length;
  u.i32(...col.strides[1]!);
  const body = `${offsets('i', rank, 2, [['o', at]], true)}
  out[i] = in0[u32(mi(1u) + o)];`;
  const code = header(u.length, 'u32', ['u32']) + main1d(body);
  be.runtime.dispatch({ code, buffers: [buffer, input], uniforms: u.build(), groups: grid(total) });
  return info;
}

const broadcastTo = gpuKernel('broadcastTo', ([x], attrs, be) => {
  const shape = attrs.shape;
  return stridedCopy(be, 'broadcastTo', x!, shape, broadcastStridesOf(x!.shape, shape));
});

const transpose = gpuKernel('transpose', ([x], attrs, be) => {
  const perm = attrs.perm;
  const inStr = contiguous(x!.shape);
  return stridedCopy(be, 'transpose', x!, perm.map((d) => x!.shape[d]!), perm.map((d) => inStr[d]!));
});

const slice = gpuKernel('slice', ([x], attrs, be) => {
  const shape = x!.shape;
  const spec = sliceAttrs(attrs, shape);
  const { size, step } = spec;
  const inStr = contiguous(shape);
  const base = sizeOf(size) > 0 ? sliceOffset(shape, spec, inStr) : 0;
  return stridedCopy(be, 'slice', x!, size, inStr.map((v, d) => v * step[d]!), base);
});

// pad: per dim, out coordinate p reads p - before (constant: outside → value; edge: clamped;
// reflect: mirrored without repeating the edge).
const pad = gpuKernel('pad', ([x], attrs, be) => {
  const shape = x!.shape;
  const rank = shape.length;
  const { pads, mode, outShape } = padAttrs(attrs, shape);
  if (mode !== 'constant') shape.forEach((n, d) => checkPadDim(n, pads[2 * d]!, pads[2 * d + 1]!, mode, d));
  const { info, buffer } = be.output(outShape, x!.dtype);
  const total = sizeOf(outShape);
  if (total === 0) return info;
  // the fill value converted as the dtype stores it (float16 rounded, 8-bit integers wrapped)
  const stored = fromNumbers([attrs.value ?? 0], x!.dtype)[0]!;
  const u = new Uniforms().u32(total);
  if (x!.dtype === 'float16') u.f32(float16BitsToFloat32(stored));
  else if (kindOf(x!.dtype) === 'f32') u.f32(stored);
  else u.i32(stored);
  // per dim: out size, in size, before, in stride
  const inStr = contiguous(shape);
  for (let d = 0; d < rank; d++) u.u32(outShape[d]!, shape[d]!, pads[2 * d]!, inStr[d]!);
  const lines = ['var r_ = i;', 'var o = 0u;', 'var inside = true;'];
  for (let d = rank - 1; d >= 0; d--) {
    const k = 2 + 4 * d;
    lines.push(`{ let p = i32(r_ % m(${k}u)); r_ = r_ / m(${k}u);`);
    lines.push(`  let n = i32(m(${k + 1}u)); var c = p - i32(m(${k + 2}u));`);
    if (mode === 'constant') lines.push('  if (c < 0 || c >= n) { inside = false; }');
    else if (mode === 'edge') lines.push('  c = clamp(c, 0, n - 1);');
    else lines.push('  if (c < 0) { c = -c; } if (c >= n) { c = 2 * (n - 1) - c; }');
    lines.push(`  o = o + u32(max(c, 0)) * m(${k + 3}u); }`);
  }
  lines.push('if (inside) { out[i] = in0[o]; } else { out[i] = m(1u); }');
  const code = header(u.length, 'u32', ['u32']) + main1d(lines.join('\n'));
  be.runtime.dispatch({ code, buffers: [buffer, be.buffer(x!, 'pad')], uniforms: u.build(), groups: grid(total) });
  return info;
});

// concat: one dispatch per input, each writing its slab of every outer row.
const concat = gpuKernel('concat', (xs, attrs, be) => {
  const axis = attrs.axis;
  const { outShape, total } = concatShape(xs, axis);
  const first = xs[0]!;
  const { info, buffer } = be.output(outShape, first.dtype);
  if (sizeOf(outShape) === 0) return info;
  const inner = sizeOf(first.shape.slice(axis + 1));
  const outRow = total * inner;
  const code = header(4, 'u32', ['u32']) + main1d('out[(i / m(1u)) * m(2u) + m(3u) + i % m(1u)] = in0[i];');
  let pos = 0;
  for (const t of xs) {
    const n = sizeOf(t.shape);
    const row = t.shape[axis]! * inner;
    if (n > 0) {
      const u = new Uniforms().u32(n, row, outRow, pos).build();
      be.runtime.dispatch({ code, buffers: [buffer, be.buffer(t, 'concat')], uniforms: u, groups: grid(n) });
    }
    pos += row;
  }
  return info;
});

export const movementKernels = { broadcastTo, transpose, slice, pad, concat } satisfies GpuKernels;

/**
 * The broadcasting elementwise engine: one thread per output element; each input is read
 * contiguously (`in[i]`), as a scalar (`in[0]`) or through broadcast strides held in uniforms
 * (shapes collapsed first, so `[N,C,H,W] + [C,1,1]` costs two dims of index arithmetic).
 */
import { sizeOf, type DType, type Shape, type TensorInfo } from '@mapnn/core/backend';
import type { WebGPUBackend } from '../backend.js';
import { kindOf, wrapExpr } from '../dtype.js';
import { broadcastStridesOf, collapse, contiguous, errorDecl, grid, header, main1d, offsets, Uniforms } from '../wgsl.js';

/**
 * Computes `out[i] = wrap(expr(v0, v1, …))` over the broadcast of `inputs` to `shape`, where
 * `vk` is input k's element (of its dtype's kind) and `wrap` brings the value into `outDtype`.
 * `helpers` is extra WGSL (functions used by `expr`); with `errors` the GPU error word `err` is
 * bound for them (see GPU_ERRORS).
 */
export function mapKernel(
  be: WebGPUBackend,
  op: string,
  inputs: readonly TensorInfo[],
  shape: Shape,
  outDtype: DType,
  expr: (v: string[]) => string,
  helpers = '',
  errors = false,
): TensorInfo {
  const { info, buffer } = be.output(shape, outDtype);
  const total = sizeOf(shape);
  if (total === 0) return info;
  const bufs = inputs.map((t) => be.buffer(t, op));
  const outStrides = contiguous(shape);
  const col = collapse(shape, [outStrides, ...inputs.map((t) => broadcastStridesOf(t.shape, shape))]);
  const rank = col.shape.length;
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const modes = inputs.map((t, k) => (sizeOf(t.shape) === 1 ? 's' : same(col.strides[k + 1]!, col.strides[0]!) ? 'c' : 'g'));
  const u = new Uniforms().u32(total, ...col.shape);
  const sets: [string, number][] = [];
  modes.forEach((md, k) => {
    if (md !== 'g') return;
    sets.push([`o${k}`, u.length]);
    u.u32(...col.strides[k + 1]!);
  });
  const reads = modes.map((md, k) => `in${k}[${md === 'c' ? 'i' : md === 's' ? '0u' : `o${k}`}]`);
  const body = [
    sets.length ? offsets('i', rank, 1, sets) : '',
    ...reads.map((r, k) => `let v${k} = ${r};`),
    `out[i] = ${wrapExpr(outDtype, expr(inputs.map((_, k) => `v${k}`)))};`,
  ].join('\n');
  const code =
    header(u.length, kindOf(outDtype), inputs.map((t) => kindOf(t.dtype))) + (errors ? errorDecl(inputs.length + 2) : '') + helpers + main1d(body);
  be.runtime.dispatch({ code, buffers: [buffer, ...bufs], uniforms: u.build(), groups: grid(total), errors });
  return info;
}

/** A new tensor of `shape` filled with `value` (converted to the dtype's kind). */
export function fillKernel(be: WebGPUBackend, shape: Shape, dtype: DType, value: number): TensorInfo {
  const { info, buffer } = be.output(shape, dtype);
  const total = sizeOf(shape);
  if (total === 0) return info;
  const kind = kindOf(dtype);
  const u = new Uniforms().u32(total);
  if (kind === 'f32') u.f32(value);
  else u.i32(value);
  const code = header(2, kind, []) + main1d(`out[i] = ${kind === 'f32' ? 'mf' : 'mi'}(1u);`);
  be.runtime.dispatch({ code, buffers: [buffer], uniforms: u.build(), groups: grid(total) });
  return info;
}

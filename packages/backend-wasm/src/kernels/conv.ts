/** unfold2d (im2col) and fold2d (col2im), float32/float64, split over N·C planes. */
import type { KernelAttrs } from '@mapnn/core';
import { DTYPE_CODE, FLOATS } from '../dtype-codes.js';
import { wasmKernel } from './register.js';

interface Geometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  dh: number;
  dw: number;
  oh: number;
  ow: number;
}

function pair(v: unknown, name: string, def?: number): [number, number] {
  if (v === undefined && def !== undefined) return [def, def];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0] as number, v[1] as number];
  throw new Error(`conv kernel: attr '${name}' must be a number or a pair, got ${JSON.stringify(v)}`);
}

function geometry(attrs: KernelAttrs, H: number, W: number, op: string): Geometry {
  const [kh, kw] = pair(attrs.kernel, 'kernel');
  const [sh, sw] = pair(attrs.stride, 'stride', 1);
  const [dh, dw] = pair(attrs.dilation, 'dilation', 1);
  const pads = (attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  const [pt, pb, pl, pr] = pads as [number, number, number, number];
  const oh = Math.floor((H + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((W + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  if (oh <= 0 || ow <= 0) throw new Error(`${op}: kernel ${kh}×${kw} (dilation ${dh}×${dw}) does not fit the padded ${H}×${W} input`);
  return { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow };
}

const geomArgs = (H: number, W: number, g: Geometry) => [H, W, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow];

wasmKernel(
  'unfold2d',
  ([x], attrs, be) => {
    const [N, C, H, W] = x!.shape as [number, number, number, number];
    const g = geometry(attrs, H, W, 'unfold2d');
    const padValue = (attrs.padValue as number | undefined) ?? 0;
    const L = g.oh * g.ow;
    const outShape = [N, C * g.kh * g.kw, L];
    const out = be.alloc(outShape, x!.dtype);
    if (N * C * L * g.kh * g.kw === 0) return be.output(out, outShape, x!.dtype);
    be.run('unfold2d', [DTYPE_CODE[x!.dtype], be.ptr(x!), out.ptr, N * C, ...geomArgs(H, W, g), padValue], N * C * g.kh * g.kw * L);
    return be.output(out, outShape, x!.dtype);
  },
  FLOATS,
);

wasmKernel(
  'fold2d',
  ([cols], attrs, be) => {
    const [H, W] = attrs.outputSize as [number, number];
    const [N, rows, L] = cols!.shape as [number, number, number];
    const g = geometry(attrs, H, W, 'fold2d');
    if (rows % (g.kh * g.kw) !== 0) throw new Error(`fold2d: ${rows} rows are not a multiple of the kernel size ${g.kh}×${g.kw}`);
    if (L !== g.oh * g.ow) throw new Error(`fold2d: ${L} columns, expected ${g.oh}×${g.ow} = ${g.oh * g.ow} for output ${H}×${W}`);
    const C = rows / (g.kh * g.kw);
    const outShape = [N, C, H, W];
    const out = be.alloc(outShape, cols!.dtype);
    if (N * C * H * W === 0) return be.output(out, outShape, cols!.dtype);
    be.run('fold2d', [DTYPE_CODE[cols!.dtype], be.ptr(cols!), out.ptr, N * C, ...geomArgs(H, W, g)], N * rows * L);
    return be.output(out, outShape, cols!.dtype);
  },
  FLOATS,
);

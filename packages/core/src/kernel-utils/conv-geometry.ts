// Kernel utilities: the geometry of the `unfold2d` / `fold2d` / `conv2d` kernel attributes.
import type { KernelAttrs } from '../backend.js';

/**
 * Resolved geometry of a 2-D convolution kernel call: kernel size, stride, top/left padding,
 * dilation and the output size.
 */
export interface ConvGeometry {
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

/** A conv kernel attribute given as one number or a pair, as `[h, w]` (`def` when absent). */
export function convAttrPair(v: unknown, name: string, def?: number): [number, number] {
  if (v === undefined && def !== undefined) return [def, def];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0] as number, v[1] as number];
  throw new Error(`conv kernel: attr '${name}' must be a number or a pair, got ${JSON.stringify(v)}`);
}

/**
 * The geometry of a conv kernel over an `H`×`W` input from its attrs (`kernel`, `stride`,
 * `dilation`, `pads` = [top, bottom, left, right]); throws, naming `op`, when the dilated
 * kernel does not fit the padded input.
 */
export function convGeometry(attrs: KernelAttrs, H: number, W: number, op: string): ConvGeometry {
  const [kh, kw] = convAttrPair(attrs.kernel, 'kernel');
  const [sh, sw] = convAttrPair(attrs.stride, 'stride', 1);
  const [dh, dw] = convAttrPair(attrs.dilation, 'dilation', 1);
  const pads = (attrs.pads as number[] | undefined) ?? [0, 0, 0, 0];
  const [pt, pb, pl, pr] = pads as [number, number, number, number];
  const oh = Math.floor((H + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((W + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  if (oh <= 0 || ow <= 0) throw new Error(`${op}: kernel ${kh}×${kw} (dilation ${dh}×${dw}) does not fit the padded ${H}×${W} input`);
  return { kh, kw, sh, sw, pt, pl, dh, dw, oh, ow };
}

/**
 * The output columns `[ox0, ox1)` whose input column `ox·sw + off` lies inside `[0, W)`, for a
 * kernel column offset `off` (= kj·dw − left padding).
 */
export function convValidRange(off: number, sw: number, W: number, ow: number): [number, number] {
  const ox0 = Math.min(ow, Math.max(0, Math.ceil(-off / sw))); // a kernel column entirely in the left padding
  const ox1 = Math.min(ow, Math.floor((W - 1 - off) / sw) + 1);
  return [ox0, Math.max(ox0, ox1)];
}

/** `convValidRange` of every kernel column kj < kw of `g` over an input `W` wide. */
export function convColumnRanges(g: ConvGeometry, W: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let kj = 0; kj < g.kw; kj++) ranges.push(convValidRange(kj * g.dw - g.pl, g.sw, W, g.ow));
  return ranges;
}

/**
 * The channel count C of `fold2d` columns [N, rows = C·kh·kw, L] for an `H`×`W` output of
 * geometry `g`; throws unless rows is a multiple of the kernel size and L = oh·ow.
 */
export function fold2dChannels(g: ConvGeometry, rows: number, L: number, H: number, W: number): number {
  if (rows % (g.kh * g.kw) !== 0) throw new Error(`fold2d: ${rows} rows are not a multiple of the kernel size ${g.kh}×${g.kw}`);
  if (L !== g.oh * g.ow) throw new Error(`fold2d: ${L} columns, expected ${g.oh}×${g.ow} = ${g.oh * g.ow} for output ${H}×${W}`);
  return rows / (g.kh * g.kw);
}

// Internal helpers shared by the convolution and pooling ops (not part of the public API).
import { noGrad } from '../autograd/node.js';
import { promoteTypes, toFloatDType } from '../dtypes.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { castTo } from './helpers.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { toTensor, type TensorLike } from './tensor-factory.js';

/** A number used for both spatial dims, or one per dim (`[h, w]`). */
export type Pair = number | readonly [number, number];

/** Padding of a 2-D convolution: one number, `[ph, pw]`, `[top, bottom, left, right]`, 'same' or 'valid'. */
export type Padding2d = number | readonly [number, number] | readonly [number, number, number, number] | 'same' | 'valid';

/** Options of `conv2d`, `conv2dBackpropInput` and `conv2dBackpropFilter`. */
export interface Conv2dOptions {
  /** Stride (default 1). */
  stride?: Pair;
  /**
   * Zero padding (default 0): a number, `[ph, pw]` (symmetric), `[top, bottom, left, right]`,
   * `'valid'` (none) or `'same'` (output size = input size; stride must be 1; an odd total
   * puts the extra row/column at the bottom/right, as PyTorch).
   */
  padding?: Padding2d;
  /** Dilation (default 1). */
  dilation?: Pair;
  /** Number of groups (default 1): input and output channels must both be divisible by it. */
  groups?: number;
  /**
   * `conv2d` only: activation applied to the result (after the bias), fused into the
   * convolution where the backend has a `fusedConv2d` kernel (default 'none').
   */
  activation?: 'none' | 'relu';
}

/** Resolved geometry of a 2-D convolution. */
export interface ConvParams {
  stride: [number, number];
  pads: [number, number, number, number];
  dilation: [number, number];
  groups: number;
}

/** `Pair` → `[h, w]`, checking positive integers (non-negative with `allowZero`). */
export function pair(v: Pair | undefined, def: number, name: string, op: string, allowZero = false): [number, number] {
  const p: [number, number] = v === undefined ? [def, def] : typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if ((typeof v === 'object' && v.length !== 2) || p.some((d) => !Number.isInteger(d) || d < (allowZero ? 0 : 1))) {
    throw new Error(`${op}: ${name} must be ${allowZero ? 'a non-negative' : 'a positive'} integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** Padding → `[top, bottom, left, right]` for a kernel of size `k` (dilation `d`). */
export function resolvePads(padding: Padding2d | undefined, k: [number, number], d: [number, number], stride: [number, number], op: string): [number, number, number, number] {
  if (padding === undefined || padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new Error(`${op}: padding 'same' requires stride 1, got [${stride.join(',')}]`);
    const th = d[0] * (k[0] - 1);
    const tw = d[1] * (k[1] - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  let p: number[];
  if (typeof padding === 'number') p = [padding, padding, padding, padding];
  else if (padding.length === 2) p = [padding[0], padding[0], padding[1], padding[1]];
  else if (padding.length === 4) p = [...padding];
  else p = [NaN];
  if (p.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new Error(`${op}: padding must be non-negative integers (a number, [ph, pw] or [top, bottom, left, right]), 'same' or 'valid', got ${JSON.stringify(padding)}`);
  }
  return p as [number, number, number, number];
}

/** Resolves conv options for a kernel of spatial size `k`. */
export function convParams(opts: Conv2dOptions, k: [number, number], op: string): ConvParams {
  const stride = pair(opts.stride, 1, 'stride', op);
  const dilation = pair(opts.dilation, 1, 'dilation', op);
  const pads = resolvePads(opts.padding, k, dilation, stride, op);
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${groups}`);
  return { stride, pads, dilation, groups };
}

/** The options that reproduce resolved params exactly (for the ops a gradient calls). */
export function paramsAsOptions(p: ConvParams): Conv2dOptions {
  return { stride: p.stride, padding: p.pads, dilation: p.dilation, groups: p.groups };
}

/** Output length of a sliding window: floor((n + padding − d·(k−1) − 1) / s) + 1. */
export function outLen(n: number, padTotal: number, k: number, s: number, d: number): number {
  return Math.floor((n + padTotal - d * (k - 1) - 1) / s) + 1;
}

/** Output spatial size `[oh, ow]` of a convolution; throws when the kernel does not fit. */
export function convOutSize(H: number, W: number, k: [number, number], p: { stride: [number, number]; pads: readonly number[]; dilation: [number, number] }, op: string): [number, number] {
  const oh = outLen(H, p.pads[0]! + p.pads[1]!, k[0], p.stride[0], p.dilation[0]);
  const ow = outLen(W, p.pads[2]! + p.pads[3]!, k[1], p.stride[1], p.dilation[1]);
  if (oh <= 0 || ow <= 0) {
    throw new Error(`${op}: kernel ${k[0]}×${k[1]} (dilation ${p.dilation.join('×')}) is larger than the padded input ${H}×${W} (pads [${p.pads.join(',')}])`);
  }
  return [oh, ow];
}

/** Throws unless `t` has `rank` dims. */
export function checkRank(t: { shape: readonly number[] }, rank: number, what: string, op: string): void {
  if (t.shape.length !== rank) throw new Error(`${op}: ${what} must be ${rank}-D, got shape ${fmtShape(t.shape)}`);
}

/** Operands converted to one float dtype (int/bool promote to float32). */
export function floatOperands(...xs: TensorLike[]): Tensor[] {
  const ts = xs.map((x) => toTensor(x));
  const dt = toFloatDType(ts.map((t) => t.dtype).reduce(promoteTypes));
  return ts.map((t) => castTo(t, dt));
}

/**
 * Runs a forward computation without recording it and frees its temporaries at once: the op
 * that calls it attaches its own (closed-form) gradient to the result.
 */
export function untracked(fn: () => Tensor): Tensor {
  return noGrad(() => opScope(fn));
}

/**
 * @internal [N, A, L] → [A, N·L]: puts the batch next to the spatial positions so that a whole
 * batch's convolution is one large matrix product instead of N small ones.
 */
export function batchToColumns(t: Tensor): Tensor {
  const [N, A, L] = t.shape as [number, number, number];
  return N === 1 ? reshape(t, [A, L]) : reshape(transpose(t, [1, 0, 2]), [A, N * L]);
}

/** @internal Inverse of `batchToColumns`: [A, N·L] → [N, A, L]. */
export function columnsToBatch(t: Tensor, N: number): Tensor {
  const [A, NL] = t.shape as [number, number];
  const L = NL / N;
  return N === 1 ? reshape(t, [1, A, L]) : transpose(reshape(t, [A, N, L]), [1, 0, 2]);
}

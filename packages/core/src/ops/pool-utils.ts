// Internal helpers shared by the pooling ops (not part of the public API).
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { pair, type Pair } from './conv-utils.js';

/** Options of `maxPool2d` / `avgPool2d` (PyTorch names and defaults). */
export interface Pool2dOptions {
  /** Window size. */
  kernelSize: Pair;
  /** Stride (default: `kernelSize`). */
  stride?: Pair | null;
  /** Implicit padding on both sides (default 0; at most half the window). */
  padding?: Pair;
  /** Output size rounds up instead of down (windows may then run past the bottom/right padding). */
  ceilMode?: boolean;
}

/** One spatial dim of a pooling window: output length and extra bottom/right padding for ceil mode. */
export interface PoolDim {
  k: number;
  s: number;
  p: number;
  d: number;
  out: number;
  /** Padding beyond `p` needed on the far side so that every window fits (ceil mode). */
  extra: number;
}

/** PyTorch's pooling output size: `⌊ or ⌈ (n + 2p − d·(k−1) − 1)/s ⌉ + 1`, the last window starting inside input or left padding. */
export function poolDim(n: number, k: number, s: number, p: number, d: number, ceilMode: boolean, op: string): PoolDim {
  if (2 * p > k) throw new Error(`${op}: padding ${p} must be at most half the kernel size ${k}`);
  const eff = d * (k - 1) + 1;
  const span = n + 2 * p - eff;
  if (span < 0) throw new Error(`${op}: window ${k} (dilation ${d}) is larger than the padded input size ${n + 2 * p}`);
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= n + p) out--;
  const extra = Math.max(0, (out - 1) * s + eff - (n + 2 * p));
  return { k, s, p, d, out, extra };
}

/** The geometry of a 2-D pooling of spatial size H × W. */
export function poolGeometry(
  H: number,
  W: number,
  opts: Pool2dOptions & { dilation?: Pair },
  op: string,
): [PoolDim, PoolDim] {
  const k = pair(opts.kernelSize, 1, 'kernelSize', op);
  const s = opts.stride === undefined || opts.stride === null ? k : pair(opts.stride, 1, 'stride', op);
  const p = pair(opts.padding, 0, 'padding', op, true);
  const d = pair(opts.dilation, 1, 'dilation', op);
  const c = !!opts.ceilMode;
  return [poolDim(H, k[0], s[0], p[0], d[0], c, op), poolDim(W, k[1], s[1], p[1], d[1], c, op)];
}

/** Unfold options covering every pooling window (padding plus the ceil-mode extra). */
export function poolUnfold(gh: PoolDim, gw: PoolDim, padValue: number) {
  return {
    kernel: [gh.k, gw.k] as [number, number],
    stride: [gh.s, gw.s] as [number, number],
    pads: [gh.p, gh.p + gh.extra, gw.p, gw.p + gw.extra] as [number, number, number, number],
    dilation: [gh.d, gw.d] as [number, number],
    padValue,
  };
}

/** Checks a pooling input is [N, C, H, W] or [C, H, W]; returns whether it is unbatched. */
export function checkPoolInput(t: Tensor, op: string, rank = 4): boolean {
  if (t.rank !== rank && t.rank !== rank - 1) {
    throw new Error(`${op}: input must be ${rank}-D (batched) or ${rank - 1}-D (unbatched), got ${fmtShape(t.shape)}`);
  }
  return t.rank === rank - 1;
}

/** A 1-D pooling parameter (number or `[n]`) as the width of a 2-D one (height 1 / 0 for padding). */
export function widthOnly(v: number | readonly [number] | undefined | null, h: number): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  return [h, typeof v === 'number' ? v : v[0]];
}

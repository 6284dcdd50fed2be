import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { checkRank, convOutSize, pair, untracked, type Pair } from './conv-utils.js';
import { fold2d } from './fold2d.js';
import { hasKernel, runKernel } from './kernel.js';
import { reshape } from './reshape.js';
import { fromStorage, toTensor, type TensorLike } from './tensor-factory.js';

/** Options of `unfold2d`. */
export interface Unfold2dOptions {
  /** Kernel size `[kh, kw]` (or one number for both). */
  kernel: Pair;
  /** Stride (default 1). */
  stride?: Pair;
  /** Padding `[top, bottom, left, right]` (or one number for all four; default 0). */
  pads?: number | readonly [number, number, number, number];
  /** Dilation (default 1). */
  dilation?: Pair;
  /** Value of the padded border (default 0; max pooling uses -Infinity). */
  padValue?: number;
}

/** @internal Resolved kernel attrs of `unfold2d`/`fold2d`. */
export interface UnfoldAttrs {
  kernel: [number, number];
  stride: [number, number];
  pads: [number, number, number, number];
  dilation: [number, number];
  padValue: number;
}

/** @internal Resolves `Unfold2dOptions`. */
export function unfoldAttrs(opts: Unfold2dOptions, op: string): UnfoldAttrs {
  const kernel = pair(opts.kernel, 1, 'kernel', op);
  const stride = pair(opts.stride, 1, 'stride', op);
  const dilation = pair(opts.dilation, 1, 'dilation', op);
  const p = opts.pads ?? 0;
  const pads = (typeof p === 'number' ? [p, p, p, p] : [...p]) as [number, number, number, number];
  if (pads.length !== 4 || pads.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new Error(`${op}: pads must be a non-negative integer or [top, bottom, left, right], got ${JSON.stringify(opts.pads)}`);
  }
  return { kernel, stride, pads, dilation, padValue: opts.padValue ?? 0 };
}

/**
 * @internal The composed (kernel-free) im2col: constant `pad`, then one `indexSelect` of the
 * flattened padded planes with window indices computed here. Used when the backend has no
 * `unfold2d` kernel (and by tests to check the kernel against it).
 */
export function unfold2dComposed(x: Tensor, a: UnfoldAttrs): Tensor {
  return untracked(() => {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const [kh, kw] = a.kernel;
    const [sh, sw] = a.stride;
    const [dh, dw] = a.dilation;
    const [pt, pb, pl, pr] = a.pads;
    const [oh, ow] = convOutSize(H, W, a.kernel, a, 'unfold2d');
    const Wp = W + pl + pr;
    const Hp = H + pt + pb;
    const padded = pt || pb || pl || pr ? runKernel('pad', [x], { pads: [0, 0, 0, 0, pt, pb, pl, pr], mode: 'constant', value: a.padValue }) : x;
    const L = oh * ow;
    const idx = new Int32Array(kh * kw * L);
    let o = 0;
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        for (let oy = 0; oy < oh; oy++) {
          const rowBase = (oy * sh + ki * dh) * Wp + kj * dw;
          for (let ox = 0; ox < ow; ox++) idx[o++] = rowBase + ox * sw;
        }
      }
    }
    const sel = runKernel('indexSelect', [reshape(padded, [N, C, Hp * Wp]), fromStorage(idx, [idx.length], 'int32')], { axis: 2 });
    return reshape(sel, [N, C * kh * kw, L]);
  });
}

/**
 * im2col: extracts the sliding `kernel` windows of `x` [N, C, H, W] (zero- or
 * `padValue`-padded by `pads` = [top, bottom, left, right]) as columns:
 * `out[n, (c·kh + ki)·kw + kj, oy·ow + ox] = xpad[n, c, oy·sh + ki·dh, ox·sw + kj·dw]`,
 * shape [N, C·kh·kw, oh·ow] (PyTorch's `F.unfold`, which pads symmetrically).
 * Uses the backend's `unfold2d` kernel when it has one, else `pad` + `indexSelect`.
 * Gradient: `fold2d` of the incoming gradient (the padded border gets none).
 *
 * @example unfold2d(x, { kernel: 3, pads: 1 }).shape // x [1,2,5,5] → [1, 18, 25]
 */
export function unfold2d(x: TensorLike, opts: Unfold2dOptions): Tensor {
  return opScope(() => {
    const t = toTensor(x);
    checkRank(t, 4, 'input', 'unfold2d');
    const a = unfoldAttrs(opts, 'unfold2d');
    convOutSize(t.shape[2]!, t.shape[3]!, a.kernel, a, 'unfold2d');
    const out = hasKernel('unfold2d', t.dtype) ? runKernel('unfold2d', [t], { ...a }) : unfold2dComposed(t, a);
    const outputSize: [number, number] = [t.shape[2]!, t.shape[3]!];
    return withGrad('unfold2d', [t], out, (dy) => [
      fold2d(dy, { outputSize, kernel: a.kernel, stride: a.stride, pads: a.pads, dilation: a.dilation }),
    ]);
  });
}

import { opScope } from '../memory/scope.js';
import type { Tensor } from '../tensor.js';
import { conv2d } from './conv2d.js';
import { floatOperands, type Padding2d } from './conv-utils.js';
import { reshape } from './reshape.js';
import { fmtShape } from '../shape.js';
import type { TensorLike } from './tensor-factory.js';

/** Options of `conv1d`. */
export interface Conv1dOptions {
  /** Stride (default 1). */
  stride?: number;
  /** Zero padding: a number, `[p]`, `[left, right]`, `'valid'` or `'same'` (stride 1). Default 0. */
  padding?: number | readonly [number] | readonly [number, number] | 'same' | 'valid';
  /** Dilation (default 1). */
  dilation?: number;
  /** Number of groups (default 1). */
  groups?: number;
}

/**
 * 1-D convolution (PyTorch's `F.conv1d`) of `x` [N, Cin, L] (or unbatched [Cin, L]) with `w`
 * [Cout, Cin/groups, k] and optional bias [Cout]; computed as `conv2d` with height 1.
 * Gradient: that of `conv2d`.
 *
 * @example conv1d(x, w, null, { padding: 'same' }) // x [2,4,10], w [8,4,3] → [2,8,10]
 */
export function conv1d(x: TensorLike, w: TensorLike, b?: TensorLike | null, opts: Conv1dOptions = {}): Tensor {
  return opScope(() => {
    const [xt, wt] = floatOperands(x, w) as [Tensor, Tensor];
    if (xt.rank !== 2 && xt.rank !== 3) throw new Error(`conv1d: input must be [N, C, L] or [C, L], got ${fmtShape(xt.shape)}`);
    if (wt.rank !== 3) throw new Error(`conv1d: weight must be [Cout, Cin/groups, k], got ${fmtShape(wt.shape)}`);
    const pd = opts.padding ?? 0;
    let padding: Padding2d;
    if (pd === 'same' || pd === 'valid') padding = pd;
    else if (typeof pd === 'number') padding = [0, 0, pd, pd];
    else if (pd.length === 1) padding = [0, 0, pd[0], pd[0]];
    else padding = [0, 0, pd[0], pd[1]!];
    const x4 = reshape(xt, [...xt.shape.slice(0, -1), 1, xt.shape[xt.rank - 1]!]);
    const w4 = reshape(wt, [wt.shape[0]!, wt.shape[1]!, 1, wt.shape[2]!]);
    const y = conv2d(x4, w4, b, {
      stride: [1, opts.stride ?? 1],
      padding,
      dilation: [1, opts.dilation ?? 1],
      groups: opts.groups ?? 1,
    });
    return reshape(y, [...y.shape.slice(0, -2), y.shape[y.rank - 1]!]);
  });
}

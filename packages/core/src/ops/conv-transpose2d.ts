import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { floatOperands, pair, type Pair } from './conv-utils.js';
import { reshape } from './reshape.js';
import type { TensorLike } from './tensor-factory.js';

/** Options of `convTranspose2d` (PyTorch's `F.conv_transpose2d`). */
export interface ConvTranspose2dOptions {
  /** Stride (default 1). */
  stride?: Pair;
  /** Implicit zero padding removed from both sides of the output: a number or `[ph, pw]` (default 0). */
  padding?: Pair;
  /** Extra size added to one side (bottom/right) of the output (default 0; must be < stride). */
  outputPadding?: Pair;
  /** Dilation (default 1). */
  dilation?: Pair;
  /** Number of groups (default 1). */
  groups?: number;
}

/**
 * Transposed 2-D convolution ("deconvolution") of `x` [N, Cin, H, W] (or unbatched) with `w`
 * in PyTorch's layout [Cin, Cout/groups, kh, kw], plus optional bias [Cout]. Output
 * [N, Cout, Hout, Wout] with `Hout = (H−1)·sh − 2·ph + dh·(kh−1) + outputPadding + 1`.
 * It is `conv2dBackpropInput` (the gradient of a conv2d from the output to the input).
 * Gradient: that of `conv2dBackpropInput`.
 *
 * @example convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: 1 }) // doubles H, W for k = 3
 */
export function convTranspose2d(x: TensorLike, w: TensorLike, b?: TensorLike | null, opts: ConvTranspose2dOptions = {}): Tensor {
  return opScope(() => {
    const op = 'convTranspose2d';
    const [xt0, wt, bt] = floatOperands(x, w, ...(b === undefined || b === null ? [] : [b])) as [Tensor, Tensor, Tensor?];
    const unbatched = xt0.rank === 3;
    const xt = unbatched ? reshape(xt0, [1, ...xt0.shape]) : xt0;
    if (xt.rank !== 4) throw new Error(`${op}: input must be [N, Cin, H, W] or [Cin, H, W], got ${fmtShape(xt0.shape)}`);
    if (wt.rank !== 4) throw new Error(`${op}: weight must be [Cin, Cout/groups, kh, kw], got ${fmtShape(wt.shape)}`);
    const stride = pair(opts.stride, 1, 'stride', op);
    const padding = pair(opts.padding, 0, 'padding', op, true);
    const outPad = pair(opts.outputPadding, 0, 'outputPadding', op, true);
    const dilation = pair(opts.dilation, 1, 'dilation', op);
    const groups = opts.groups ?? 1;
    if (outPad[0] >= stride[0] || outPad[1] >= stride[1]) {
      throw new Error(`${op}: outputPadding [${outPad.join(',')}] must be smaller than stride [${stride.join(',')}]`);
    }
    const [N, Cin, H, W] = xt.shape as [number, number, number, number];
    const [Cw, Cog, kh, kw] = wt.shape as [number, number, number, number];
    if (Cw !== Cin || Cin % groups !== 0) throw new Error(`${op}: weight ${fmtShape(wt.shape)} does not match input ${fmtShape(xt.shape)} with groups=${groups}`);
    const Cout = Cog * groups;
    const Hout = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outPad[0] + 1;
    const Wout = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outPad[1] + 1;
    if (Hout <= 0 || Wout <= 0) throw new Error(`${op}: output size ${Hout}×${Wout} is not positive`);
    if (bt && (bt.rank !== 1 || bt.shape[0] !== Cout)) throw new Error(`${op}: bias must have shape [${Cout}], got ${fmtShape(bt.shape)}`);
    let y = conv2dBackpropInput(xt, wt, [N, Cout, Hout, Wout], {
      stride,
      padding: [padding[0], padding[0], padding[1], padding[1]],
      dilation,
      groups,
    });
    if (bt) y = add(y, reshape(bt, [1, Cout, 1, 1]));
    return unbatched ? reshape(y, y.shape.slice(1)) : y;
  });
}

import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkConv, conv2d } from './conv2d.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { checkRank, convParams, floatOperands, paramsAsOptions, untracked, type Conv2dOptions } from './conv-utils.js';
import { fold2d } from './fold2d.js';
import { hasKernel, runKernel } from './kernel.js';
import { batchMatmul, matmul } from './matmul.js';
import { reshape } from './reshape.js';
import type { TensorLike } from './tensor-factory.js';
import { swapAxes } from './transpose.js';

/**
 * The gradient of `conv2d` with respect to its input: given `dy` [N, Cout, oh, ow] and the
 * weights `w` [Cout, Cin/groups, kh, kw] of a convolution of an input of shape `xShape`
 * [N, Cin, H, W] with options `opts`, returns dx [N, Cin, H, W] (a transposed convolution).
 * Uses a backend `conv2dBackpropInput` kernel (inputs dy, w; attrs stride, pads, dilation,
 * groups, inputShape) when one is registered, else `matmul` (wᵀ·dy) + `fold2d`.
 * Gradient (it is linear in each argument): for an incoming `g` [N, Cin, H, W],
 * `d dy = conv2d(g, w)` and `dw = conv2dBackpropFilter(g, dy)`.
 *
 * @example conv2dBackpropInput(dy, w, [1, 3, 8, 8], { padding: 1 })
 */
export function conv2dBackpropInput(dy: TensorLike, w: TensorLike, xShape: readonly number[], opts: Conv2dOptions = {}): Tensor {
  return opScope(() => {
    const [d, wt] = floatOperands(dy, w) as [Tensor, Tensor];
    checkRank(d, 4, 'dy', 'conv2dBackpropInput');
    checkRank(wt, 4, 'weight', 'conv2dBackpropInput');
    if (xShape.length !== 4) throw new Error(`conv2dBackpropInput: xShape must be 4-D, got ${fmtShape(xShape)}`);
    const [kh, kw] = [wt.shape[2]!, wt.shape[3]!];
    const p = convParams(opts, [kh, kw], 'conv2dBackpropInput');
    const [oh, ow] = checkConv(xShape, wt.shape, p, 'conv2dBackpropInput');
    const [N, Cin, H, W] = xShape as [number, number, number, number];
    const [Cout, Cg] = wt.shape as [number, number];
    if (d.shape[0] !== N || d.shape[1] !== Cout || d.shape[2] !== oh || d.shape[3] !== ow) {
      throw new Error(`conv2dBackpropInput: dy ${fmtShape(d.shape)} does not match the output [${N},${Cout},${oh},${ow}] of a conv of ${fmtShape(xShape)} with weight ${fmtShape(wt.shape)}`);
    }
    const out = untracked(() => {
      if (hasKernel('conv2dBackpropInput', d.dtype)) {
        return runKernel('conv2dBackpropInput', [d, wt], { stride: p.stride, pads: p.pads, dilation: p.dilation, groups: p.groups, inputShape: [...xShape] });
      }
      const g = p.groups;
      const K = Cg * kh * kw;
      const L = oh * ow;
      const cols =
        g === 1
          ? batchMatmul(reshape(wt, [1, Cout, K]), reshape(d, [N, Cout, L]), true) // Wᵀ·dy[n] for each n → [N, K, L], no transposes
          : matmul(swapAxes(reshape(wt, [g, Cout / g, K]), 1, 2), reshape(d, [N, g, Cout / g, L])); // [N, g, K, L]
      return fold2d(reshape(cols, [N, Cin * kh * kw, L]), { outputSize: [H, W], kernel: [kh, kw], stride: p.stride, pads: p.pads, dilation: p.dilation });
    });
    const po = paramsAsOptions(p);
    return withGrad('conv2dBackpropInput', [d, wt], out, (g) => [
      d.requiresGrad ? conv2d(g, wt, null, po) : null,
      wt.requiresGrad ? conv2dBackpropFilter(g, d, wt.shape, po) : null,
    ]);
  });
}

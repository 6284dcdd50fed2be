import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkConv, conv2d } from './conv2d.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { batchToColumns, checkRank, columnsToBatch, convParams, floatOperands, paramsAsOptions, untracked, type Conv2dOptions } from './conv-utils.js';
import { hasKernel, runKernel } from './kernel.js';
import { batchMatmul } from './matmul.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';
import { unfold2d } from './unfold2d.js';

/**
 * The gradient of `conv2d` with respect to its weights: given the input `x` [N, Cin, H, W]
 * and `dy` [N, Cout, oh, ow] of a convolution with options `opts` and weights of shape
 * `wShape` [Cout, Cin/groups, kh, kw], returns dw of shape `wShape`.
 * Uses a backend `conv2dBackpropFilter` kernel (inputs x, dy; attrs stride, pads, dilation,
 * groups, filterShape) when one is registered, else `unfold2d` + batched `matmul` (dy·colsᵀ)
 * summed over the batch.
 * Gradient (it is linear in each argument): for an incoming `g` of shape `wShape`,
 * `dx = conv2dBackpropInput(dy, g)` and `d dy = conv2d(x, g)`.
 *
 * @example conv2dBackpropFilter(x, dy, [16, 3, 3, 3], { padding: 1 })
 */
export function conv2dBackpropFilter(x: TensorLike, dy: TensorLike, wShape: readonly number[], opts: Conv2dOptions = {}): Tensor {
  return opScope(() => {
    const [xt, d] = floatOperands(x, dy) as [Tensor, Tensor];
    checkRank(xt, 4, 'input', 'conv2dBackpropFilter');
    checkRank(d, 4, 'dy', 'conv2dBackpropFilter');
    if (wShape.length !== 4) throw new Error(`conv2dBackpropFilter: wShape must be 4-D, got ${fmtShape(wShape)}`);
    const [Cout, Cg, kh, kw] = wShape as [number, number, number, number];
    const p = convParams(opts, [kh, kw], 'conv2dBackpropFilter');
    const [oh, ow] = checkConv(xt.shape, wShape, p, 'conv2dBackpropFilter');
    const N = xt.shape[0]!;
    if (d.shape[0] !== N || d.shape[1] !== Cout || d.shape[2] !== oh || d.shape[3] !== ow) {
      throw new Error(`conv2dBackpropFilter: dy ${fmtShape(d.shape)} does not match the output [${N},${Cout},${oh},${ow}] of a conv of ${fmtShape(xt.shape)} with weight ${fmtShape(wShape)}`);
    }
    const out = untracked(() => {
      if (hasKernel('conv2dBackpropFilter', xt.dtype)) {
        return runKernel('conv2dBackpropFilter', [xt, d], { stride: p.stride, pads: p.pads, dilation: p.dilation, groups: p.groups, filterShape: [...wShape] });
      }
      const g = p.groups;
      const K = Cg * kh * kw;
      const L = oh * ow;
      const cols = unfold2d(xt, { kernel: [kh, kw], stride: p.stride, pads: p.pads, dilation: p.dilation }); // [N, Cin·K', L]
      if (g === 1) {
        // one GEMM over the whole batch: dy [Cout, N·L] · colsᵀ [N·L, K]
        const dyc = reshape(batchToColumns(reshape(d, [N, Cout, L])), [1, Cout, N * L]);
        const cc = reshape(batchToColumns(cols), [1, K, N * L]);
        return reshape(batchMatmul(dyc, cc, false, true), [...wShape]);
      }
      const prod = batchMatmul(reshape(d, [N * g, Cout / g, L]), reshape(cols, [N * g, K, L]), false, true); // [N·g, Cout/g, K]
      const total = N === 1 ? prod : sum(reshape(prod, [N, Cout * K]), 0);
      return reshape(total, [...wShape]);
    });
    const po = paramsAsOptions(p);
    return withGrad('conv2dBackpropFilter', [xt, d], out, (g) => [
      xt.requiresGrad ? conv2dBackpropInput(d, g, xt.shape, po) : null,
      d.requiresGrad ? conv2d(xt, g, null, po) : null,
    ]);
  });
}

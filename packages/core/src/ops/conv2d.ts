import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { batchToColumns, checkRank, columnsToBatch, convOutSize, convParams, floatOperands, paramsAsOptions, untracked, type Conv2dOptions, type ConvParams } from './conv-utils.js';
import { hasKernel, runKernel } from './kernel.js';
import { matmul } from './matmul.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import type { TensorLike } from './tensor-factory.js';
import { unfold2d } from './unfold2d.js';
import { gt } from './gt.js';
import { relu } from './relu.js';
import { where } from './where.js';

export type { Conv2dOptions, Pair, Padding2d } from './conv-utils.js';

/** @internal Checks x [N,Cin,H,W] against w [Cout, Cin/groups, kh, kw]; returns [oh, ow]. */
export function checkConv(xShape: readonly number[], wShape: readonly number[], p: ConvParams, op: string): [number, number] {
  const [, Cin, H, W] = xShape as [number, number, number, number];
  const [Cout, Cg, kh, kw] = wShape as [number, number, number, number];
  const g = p.groups;
  if (Cin !== Cg * g || Cout % g !== 0) {
    throw new Error(`${op}: input ${fmtShape(xShape)} and weight ${fmtShape(wShape)} do not match with groups=${g} (need Cin = weight.shape[1]·groups and Cout divisible by groups)`);
  }
  return convOutSize(H, W, [kh, kw], p, op);
}

/**
 * @internal The forward convolution, bias added and the activation applied when given (no
 * gradient recorded). A backend's `fusedConv2d` kernel does all three; otherwise `conv2d`
 * (kernel or composition), `add` and `relu`.
 */
export function conv2dForward(x: Tensor, w: Tensor, b: Tensor | undefined, p: ConvParams, activation: 'none' | 'relu' = 'none'): Tensor {
  return untracked(() => {
    const [N, , H, W] = x.shape as [number, number, number, number];
    const [Cout, Cg, kh, kw] = w.shape as [number, number, number, number];
    const [oh, ow] = convOutSize(H, W, [kh, kw], p, 'conv2d');
    const attrs = { stride: p.stride, pads: p.pads, dilation: p.dilation, groups: p.groups };
    if ((b || activation !== 'none') && x.dtype !== 'float16' && hasKernel('fusedConv2d', x.dtype)) {
      return runKernel('fusedConv2d', b ? [x, w, b] : [x, w], { ...attrs, activation });
    }
    const biased = (y: Tensor) => (b ? add(y, reshape(b, [1, Cout, 1, 1])) : y);
    const withBias = (y: Tensor) => (activation === 'relu' ? relu(biased(y)) : biased(y));
    if (hasKernel('conv2d', x.dtype)) {
      return withBias(runKernel('conv2d', [x, w], attrs));
    }
    const g = p.groups;
    const K = Cg * kh * kw;
    const L = oh * ow;
    const cols = unfold2d(x, { kernel: [kh, kw], stride: p.stride, pads: p.pads, dilation: p.dilation }); // [N, Cin·kh·kw, L]
    const y =
      g === 1
        ? columnsToBatch(matmul(reshape(w, [Cout, K]), batchToColumns(cols)), N) // one GEMM → [N, Cout, L]
        : matmul(reshape(w, [g, Cout / g, K]), reshape(cols, [N, g, K, L])); // [N, g, Cout/g, L]
    return withBias(reshape(y, [N, Cout, oh, ow]));
  });
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`) of `x` [N, Cin, H, W] (or
 * unbatched [Cin, H, W]) with `w` [Cout, Cin/groups, kh, kw], plus optional bias `b` [Cout].
 * Output [N, Cout, oh, ow] with `oh = floor((H + top + bottom − dh·(kh−1) − 1)/sh) + 1`.
 * `padding` is a number, `[ph, pw]`, `[top, bottom, left, right]`, `'valid'` or `'same'`
 * (stride 1; an odd total padding puts the extra at the bottom/right). `groups` splits the
 * channels (`groups = Cin` with `w` [Cout, 1, kh, kw] is a depthwise convolution).
 * `activation: 'relu'` applies ReLU to the result (tfjs's fused conv2d).
 * Uses a backend `fusedConv2d` kernel (bias and activation in the kernel) or `conv2d` kernel
 * (inputs x, w; attrs stride, pads, dilation, groups) when registered, else `unfold2d` +
 * batched `matmul`.
 * Gradient (with `dz = dy`, or `dy` where the output is positive for relu):
 * `dx = conv2dBackpropInput(dz, w)`, `dw = conv2dBackpropFilter(x, dz)`, `db = Σ dz` over
 * N, H, W — each differentiable again.
 *
 * @example conv2d(x, w, b, { padding: 'same' }) // x [1,3,8,8], w [16,3,3,3] → [1,16,8,8]
 */
export function conv2d(x: TensorLike, w: TensorLike, b?: TensorLike | null, opts: Conv2dOptions = {}): Tensor {
  return opScope(() => {
    const [xt0, wt, bt] = floatOperands(x, w, ...(b === undefined || b === null ? [] : [b])) as [Tensor, Tensor, Tensor?];
    const unbatched = xt0.rank === 3;
    const xt = unbatched ? reshape(xt0, [1, ...xt0.shape]) : xt0;
    checkRank(xt, 4, 'input', 'conv2d');
    checkRank(wt, 4, 'weight', 'conv2d');
    const p = convParams(opts, [wt.shape[2]!, wt.shape[3]!], 'conv2d');
    checkConv(xt.shape, wt.shape, p, 'conv2d');
    const Cout = wt.shape[0]!;
    if (bt && (bt.rank !== 1 || bt.shape[0] !== Cout)) throw new Error(`conv2d: bias must have shape [${Cout}], got ${fmtShape(bt.shape)}`);
    const activation = opts.activation ?? 'none';
    if (activation !== 'none' && activation !== 'relu') throw new Error(`conv2d: activation must be 'none' or 'relu', got '${String(activation)}'`);
    const out = conv2dForward(xt, wt, bt, p, activation);
    const po = paramsAsOptions(p);
    const inputs = bt ? [xt, wt, bt] : [xt, wt];
    const y = withGrad('conv2d', inputs, out, (dy) => {
      // relu: the gradient passes where the output is positive
      const dz = activation === 'relu' ? where(gt(out, 0), dy, 0) : dy;
      return [
        xt.requiresGrad ? conv2dBackpropInput(dz, wt, xt.shape, po) : null,
        wt.requiresGrad ? conv2dBackpropFilter(xt, dz, wt.shape, po) : null,
        bt?.requiresGrad ? sum(dz, [0, 2, 3]) : null,
      ];
    });
    return unbatched ? reshape(y, y.shape.slice(1)) : y;
  });
}

import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkConv, conv2d } from './conv2d.js';
import { checkRank, convOutSize, convParams, paramsAsOptions, type Conv2dOptions, type ConvParams } from './conv-utils.js';
import { add } from './add.js';
import { zeros } from './creation.js';
import { hasKernel, runKernel } from './kernel.js';
import {
  centered, checkActivation, checkQuantDType, checkZeroPoint, noGradient, perChannel, perTensor, requantize, scaleTensor, uint8ToInt8,
} from './quant-utils.js';
import { reshape } from './reshape.js';
import type { TensorLike } from './tensor-factory.js';

/** Options of `qlinearConv2d`: conv2d's geometry; `activation: 'relu'` clamps at yZeroPoint. */
export type QLinearConv2dOptions = Conv2dOptions;

const OP = 'qlinearConv2d';

/**
 * Quantized 2-D convolution (ONNX QLinearConv, as ONNX Runtime computes it) of `x` [N, C, H, W]
 * (int8 or uint8) with `w` [O, C/groups, kh, kw] (int8; uint8 is shifted to int8 exactly):
 * `acc = Σ (x − xZeroPoint)(w − wZeroPoint[o]) (+ bias[o])` exactly (the padding is xZeroPoint,
 * int32 `bias` [O] has scale xScale·wScale[o]), then requantized in float32,
 * `y = roundHalfEven(fround(acc) · fround(fround(xScale·wScale[o]) / yScale)) + yZeroPoint`,
 * `max(y, yZeroPoint)` for relu, saturated to yZeroPoint's dtype (the output dtype). Scales are
 * float32 scalars; `wScale` / `wZeroPoint` may be 1-D [O] (per output channel). Stride,
 * padding, dilation and groups as `conv2d`. Uses a backend `qlinearConv2d` kernel when
 * registered, else a float64 `conv2d` of the centered operands (exact below 2^53) and float32
 * ops. No gradient (inference only).
 *
 * @example qlinearConv2d(x, 0.02, xZp, w, wScales, wZps, 0.05, yZp, bias, { padding: 1 }) // x [1,3,8,8] uint8, w [16,3,3,3] int8 → [1,16,8,8]
 */
export function qlinearConv2d(
  x: Tensor, xScale: TensorLike, xZeroPoint: Tensor,
  w: Tensor, wScale: TensorLike, wZeroPoint: Tensor,
  yScale: TensorLike, yZeroPoint: Tensor,
  bias: Tensor | null = null, opts: QLinearConv2dOptions = {},
): Tensor {
  return opScope(() => {
    const activation = checkActivation(opts.activation ?? 'none', OP);
    checkQuantDType(x, 'x', OP);
    checkQuantDType(w, 'w', OP);
    checkQuantDType(yZeroPoint, 'yZeroPoint (the output dtype)', OP);
    checkRank(x, 4, 'x', OP);
    checkRank(w, 4, 'w', OP);
    const p = convParams(opts, [w.shape[2]!, w.shape[3]!], OP);
    checkConv(x.shape, w.shape, p, OP);
    const O = w.shape[0]!;
    const xS = perTensor(scaleTensor(xScale, 'xScale', OP), 'xScale', OP);
    const xZp = perTensor(xZeroPoint, 'xZeroPoint', OP);
    checkZeroPoint(xZp, xS, x.dtype, 'xZeroPoint', OP);
    const wS = perChannel(scaleTensor(wScale, 'wScale', OP), O, 'wScale', () => `O, the output channels of w ${fmtShape(w.shape)}`, OP);
    const wZp0 = wZeroPoint.rank === 1 && wZeroPoint.size === 1 && wS.rank === 0 ? reshape(wZeroPoint, []) : wZeroPoint;
    checkZeroPoint(wZp0, wS, w.dtype, 'wZeroPoint', OP);
    const yS = perTensor(scaleTensor(yScale, 'yScale', OP), 'yScale', OP);
    const yZp = perTensor(yZeroPoint, 'yZeroPoint', OP);
    if (bias && (bias.dtype !== 'int32' || bias.rank !== 1 || bias.shape[0] !== O)) {
      throw new Error(`${OP}: bias must be [${O}] int32 for w ${fmtShape(w.shape)}, got ${fmtShape(bias.shape)} ${bias.dtype}`);
    }
    const [wq, wZp] = [uint8ToInt8(w), uint8ToInt8(wZp0)];
    const inputs = [x, xS, xZp, wq, wS, wZp, yS, yZp, ...(bias ? [bias] : [])];
    const attrs = { stride: p.stride, pads: p.pads, dilation: p.dilation, groups: p.groups, activation };
    let out: Tensor;
    if (hasKernel(OP, x.dtype)) {
      out = runKernel(OP, inputs, attrs);
    } else {
      out = requantize(exactAccumulator(x, xZp, wq, wZp, bias, p), xS, wS, yS, yZp, activation, [1, O, 1, 1]);
    }
    return withGrad(OP, [xS, wS, yS], out, noGradient(OP));
  });
}

/** Σ (x − xZp)(w − wZp) + bias in float64 (exact below 2^53): a float64 conv2d, or bias alone without input channels. */
function exactAccumulator(x: Tensor, xZp: Tensor, w: Tensor, wZp: Tensor, bias: Tensor | null, p: ConvParams): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, , kh, kw] = w.shape as [number, number, number, number];
  const [oh, ow] = convOutSize(H, W, [kh, kw], p, OP);
  const biasF = bias ? cast(bias, 'float64') : null;
  if (N * O * oh * ow === 0 || C === 0) {
    const zero = zeros([N, O, oh, ow], 'float64');
    return biasF ? add(zero, reshape(biasF, [1, O, 1, 1])) : zero;
  }
  return conv2d(centered(x, xZp, []), centered(w, wZp, wZp.rank === 0 ? [] : [O, 1, 1, 1]), biasF, paramsAsOptions(p));
}

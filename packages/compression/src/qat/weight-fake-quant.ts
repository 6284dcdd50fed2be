import { abs, div, lt, max, mul, noGrad, reshape, tidy, where, zerosLike, type Tensor } from '@mapnn/core';
import { quantRange } from '../quantization/qparams.js';
import { fakeQuantizePerChannelSte } from './ste.js';

const SMALLEST_SCALE = 1.1754943508222875e-38;

/**
 * Per-output-channel symmetric int8 scales of a weight (axis 0), as `quantizeWeightPerChannel`
 * computes them: s_c = (max|w_c| − (−max|w_c|)) / (qmax − qmin) in float32 ([−127, 127], or
 * [−64, 64] with `reduceRange`), 1 for an all-zero channel. From the current weight, no gradient.
 */
export function weightScales(weight: Tensor, reduceRange = false): Tensor {
  const [qmin, qmax] = quantRange('int8', true, reduceRange);
  return noGrad(() =>
    tidy(() => {
      const c = weight.shape[0]!;
      const m = max(abs(reshape(weight, [c, weight.size / Math.max(c, 1)])), 1);
      const s = div(mul(m, 2), qmax - qmin);
      return where(lt(s, SMALLEST_SCALE), 1, s);
    }),
  );
}

/**
 * The weight as its per-channel symmetric int8 version stands for it (exactly the values
 * `quantizeModel` / `convertQat` store, 7-bit with `reduceRange`), with the straight-through gradient.
 */
export function fakeQuantizeWeight(weight: Tensor, reduceRange = false): Tensor {
  const [qmin, qmax] = quantRange('int8', true, reduceRange);
  const scales = weightScales(weight, reduceRange);
  return fakeQuantizePerChannelSte(weight, scales, noGrad(() => zerosLike(scales)), 0, { qmin, qmax });
}

import { withGrad } from '../autograd/node.js';
import { opScope } from '../memory/scope.js';
import { broadcastShapes, fmtShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './add.js';
import { broadcastTo } from './broadcast-to.js';
import { cast } from './cast.js';
import { zeros } from './creation.js';
import { hasKernel, runKernel } from './kernel.js';
import { matmul } from './matmul.js';
import {
  centered, checkActivation, checkQuantDType, checkZeroPoint, noGradient, perChannel, perTensor, requantize, scaleTensor, uint8ToInt8,
  type QuantActivation,
} from './quant-utils.js';
import { reshape } from './reshape.js';
import { stack } from './stack.js';
import type { TensorLike } from './tensor-factory.js';
import { unbind } from './unbind.js';

/** Options of `qlinearMatmul`. */
export interface QLinearMatmulOptions {
  /** Applied on the requantized output: 'relu' clamps at yZeroPoint (default 'none'). */
  activation?: QuantActivation;
}

const OP = 'qlinearMatmul';

/**
 * Quantized matrix product (ONNX QLinearMatMul, as ONNX Runtime computes it) of `a` [..., M, K]
 * (int8 or uint8) and `b` [K, N] or [..., K, N] (int8; uint8 is shifted to int8 exactly),
 * leading batch dims broadcast: `acc = Σ_k (a − aZeroPoint)(b − bZeroPoint) (+ bias[n])` exactly
 * (int32 `bias` [N], scale aScale·bScale[n]), then requantized in float32,
 * `y = roundHalfEven(fround(acc) · fround(fround(aScale·bScale[n]) / yScale)) + yZeroPoint`,
 * `max(y, yZeroPoint)` for relu, saturated to yZeroPoint's dtype (the output dtype). Scales are
 * float32 scalars; `bScale` / `bZeroPoint` may be 1-D [N] (per output column). Uses a backend
 * `qlinearMatmul` kernel (2-D) when registered, else float64 `matmul` of the centered operands
 * (exact below 2^53) and float32 ops. No gradient (inference only).
 *
 * @example qlinearMatmul(a, 0.02, aZp, w, 0.01, wZp, 0.05, yZp) // a [4,8] uint8, w [8,3] int8 → [4,3] yZp.dtype
 */
export function qlinearMatmul(
  a: Tensor, aScale: TensorLike, aZeroPoint: Tensor,
  b: Tensor, bScale: TensorLike, bZeroPoint: Tensor,
  yScale: TensorLike, yZeroPoint: Tensor,
  bias: Tensor | null = null, opts: QLinearMatmulOptions = {},
): Tensor {
  return opScope(() => {
    const activation = checkActivation(opts.activation ?? 'none', OP);
    checkQuantDType(a, 'a', OP);
    checkQuantDType(b, 'b', OP);
    checkQuantDType(yZeroPoint, 'yZeroPoint (the output dtype)', OP);
    if (a.rank < 2 || b.rank < 2) throw new Error(`${OP}: a and b must be at least 2-D, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    const [M, K] = a.shape.slice(-2) as [number, number];
    const [K2, N] = b.shape.slice(-2) as [number, number];
    if (K !== K2) throw new Error(`${OP}: a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)} are not aligned (K ${K} vs ${K2})`);
    const aS = perTensor(scaleTensor(aScale, 'aScale', OP), 'aScale', OP);
    const aZp = perTensor(aZeroPoint, 'aZeroPoint', OP);
    checkZeroPoint(aZp, aS, a.dtype, 'aZeroPoint', OP);
    const bS = perChannel(scaleTensor(bScale, 'bScale', OP), N, 'bScale', () => `N, the columns of b ${fmtShape(b.shape)}`, OP);
    const bZp = bZeroPoint.rank === 1 && bZeroPoint.size === 1 && bS.rank === 0 ? reshape(bZeroPoint, []) : bZeroPoint;
    checkZeroPoint(bZp, bS, b.dtype, 'bZeroPoint', OP);
    const yS = perTensor(scaleTensor(yScale, 'yScale', OP), 'yScale', OP);
    const yZp = perTensor(yZeroPoint, 'yZeroPoint', OP);
    if (bias && (bias.dtype !== 'int32' || bias.rank !== 1 || bias.shape[0] !== N)) {
      throw new Error(`${OP}: bias must be [${N}] int32 for b ${fmtShape(b.shape)}, got ${fmtShape(bias.shape)} ${bias.dtype}`);
    }
    const params: Params = { aS, aZp, bS, bZp: uint8ToInt8(bZp), yS, yZp, bias, activation };
    const bq = uint8ToInt8(b);
    const out = b.rank === 2 ? flatMatmul(a, bq, M, N, params) : batchedMatmul(a, bq, M, K, N, params);
    return withGrad(OP, [aS, bS, yS].filter((t) => t.dtype === 'float32'), out, noGradient(OP));
  });
}

type Params = { aS: Tensor; aZp: Tensor; bS: Tensor; bZp: Tensor; yS: Tensor; yZp: Tensor; bias: Tensor | null; activation: QuantActivation };

/** a [..., M, K] @ b [K, N]: the leading dims of a folded into the rows. */
function flatMatmul(a: Tensor, b: Tensor, M: number, N: number, p: Params): Tensor {
  if (a.rank === 2) return matmul2d(a, b, p);
  const lead = a.shape.slice(0, -2);
  const rows = reshape(a, [sizeOf(lead) * M, a.shape[a.rank - 1]!]);
  return reshape(matmul2d(rows, b, p), [...lead, M, N]);
}

/** a [..., M, K] @ b [..., K, N] (batch dims broadcast): one 2-D product per batch entry. */
function batchedMatmul(a: Tensor, b: Tensor, M: number, K: number, N: number, p: Params): Tensor {
  const batch = broadcastShapes(OP, a.shape.slice(0, -2), b.shape.slice(0, -2));
  const B = sizeOf(batch);
  if (B === 0) return zeros([...batch, M, N], p.yZp.dtype);
  const as = unbind(reshape(broadcastTo(a, [...batch, M, K]), [B, M, K]));
  const bs = unbind(reshape(broadcastTo(b, [...batch, K, N]), [B, K, N]));
  return reshape(stack(as.map((ai, i) => matmul2d(ai, bs[i]!, p))), [...batch, M, N]);
}

/** The 2-D product: the backend kernel, or the exact float64 composition then float32 requantization. */
function matmul2d(a: Tensor, b: Tensor, p: Params): Tensor {
  const inputs = [a, p.aS, p.aZp, b, p.bS, p.bZp, p.yS, p.yZp, ...(p.bias ? [p.bias] : [])];
  if (hasKernel(OP, a.dtype)) return runKernel(OP, inputs, { activation: p.activation });
  const N = b.shape[1]!;
  const product = matmul(centered(a, p.aZp, []), centered(b, p.bZp, p.bZp.rank === 0 ? [] : [1, N]));
  const acc = p.bias ? add(product, cast(p.bias, 'float64')) : product;
  return requantize(acc, p.aS, p.bS, p.yS, p.yZp, p.activation, [1, N]);
}

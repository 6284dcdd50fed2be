import { fmtShape, tensor, type Tensor, type TensorLike } from '@mapnn/core';
import { Module } from '../module.js';
import { checkIndexDType, checkReduction, describeOpts, floatInput, indexTarget, reduce, tryRead, type Reduction } from './util.js';

export interface MultiLabelMarginLossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/**
 * Multi-label margin loss (`F.multilabel_margin_loss`): `target` (int32/int64, the input's
 * shape `[N, C]` or `[C]`) lists each sample's positive classes, ended by the first −1; per
 * sample the loss is `Σ_{j ∈ positives} Σ_{i ∉ positives} max(0, 1 − (x[j] − x[i])) / C`.
 * The target is read on the host (the backend must read synchronously).
 *
 * @example
 * // positives 3 and 0 of sample 0:
 * multilabelMarginLoss(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([[3, 0, -1, 1]], undefined, 'int64')); // 0.85
 */
export function multilabelMarginLoss(input: TensorLike, target: TensorLike, options: MultiLabelMarginLossOptions = {}): Tensor {
  const name = 'multilabelMarginLoss';
  const reduction = options.reduction ?? 'mean';
  checkReduction(name, reduction);
  const x0 = floatInput(input);
  const t0 = indexTarget(target);
  if (x0.rank < 1 || x0.rank > 2) throw new Error(`${name}: input must have shape [C] or [N, C], got ${fmtShape(x0.shape)}`);
  if (t0.rank !== x0.rank || t0.shape.some((d, i) => d !== x0.shape[i])) {
    throw new Error(
      `${name}: target shape ${fmtShape(t0.shape)} does not match input shape ${fmtShape(x0.shape)}; ` +
        `expected target of shape ${fmtShape(x0.shape)} (class indices padded with -1)`,
    );
  }
  checkIndexDType(name, t0);
  const unbatched = x0.rank === 1;
  const x = unbatched ? x0.unsqueeze(0) : x0;
  const [N, C] = x.shape as [number, number];
  const data = tryRead(t0);
  if (!data) throw new Error(`${name}: the backend must read the target synchronously`);
  // pair mask [N, C(j), C(i)]: 1 where j is a positive class and i is not
  const mask = new Float64Array(N * C * C);
  for (let n = 0; n < N; n++) {
    const isPos = new Array<boolean>(C).fill(false);
    const pos: number[] = [];
    for (let k = 0; k < C; k++) {
      const v = data[n * C + k]!;
      if (v === -1) break;
      if (!(v >= 0 && v < C) || !Number.isInteger(v)) {
        throw new RangeError(
          `${name}: target class index ${v} (sample ${n}, position ${k} of target ${fmtShape(t0.shape)}) is out of range ` +
            `for ${C} classes; expected 0 ≤ index ≤ ${C - 1}, or -1 to end the list`,
        );
      }
      if (!isPos[v]) pos.push(v);
      isPos[v] = true;
    }
    for (const j of pos) for (let i = 0; i < C; i++) if (!isPos[i]) mask[(n * C + j) * C + i] = 1;
  }
  const m = tensor(mask, [N, C, C], x.dtype);
  // margin term for every (j, i): 1 − x[j] + x[i]
  const z = x.unsqueeze(1).sub(x.unsqueeze(2)).add(1).relu();
  const loss = z.mul(m).sum([1, 2]).div(C);
  return reduce(unbatched ? loss.squeeze(0) : loss, reduction);
}

/**
 * Module form of `multilabelMarginLoss` (`nn.MultiLabelMarginLoss`).
 *
 * @example
 * const loss = new MultiLabelMarginLoss().call(scores, paddedLabels);
 */
export class MultiLabelMarginLoss extends Module<[Tensor, TensorLike], Tensor> {
  readonly reduction: Reduction;
  constructor(options: MultiLabelMarginLossOptions = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    checkReduction('MultiLabelMarginLoss', this.reduction);
  }
  forward(input: Tensor, target: TensorLike): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
  override describe(): string {
    return describeOpts('MultiLabelMarginLoss', { reduction: this.reduction });
  }
}

import { mul, tidy, type Tensor } from '@mapnn/core';

export interface AccumulateOptions {
  /**
   * Factor each micro-batch loss is multiplied by before `backward` (default `1 / n` for n
   * micro-batches, which turns per-micro-batch means into the mean over the whole batch).
   */
  scale?: number;
}

/**
 * Gradient accumulation: for each micro-batch, computes `lossFn(batch, i)`, multiplies it by
 * `scale` (default 1/n) and back-propagates, each in its own `tidy`, so the parameters' `.grad`
 * add up to the gradient of the scaled sum. With equal-size micro-batches and a mean loss this is
 * exactly the gradient of the mean loss over the large batch, so one optimizer step afterwards
 * matches one step on the large batch. Returns the accumulated (scaled) loss.
 *
 * The same pattern by hand:
 * ```
 * opt.zeroGrad();
 * for (const mb of microBatches) tidy(() => lossFn(mb).mul(1 / microBatches.length).backward());
 * opt.step();
 * ```
 *
 * @example
 * opt.zeroGrad();
 * const loss = accumulateGradients(split(batch, 4), (mb) => mse(model.forward(mb.x), mb.y));
 * opt.step();
 */
export function accumulateGradients<B>(
  microBatches: readonly B[],
  lossFn: (batch: B, index: number) => Tensor,
  options: AccumulateOptions = {},
): number {
  const n = microBatches.length;
  if (n === 0) throw new Error('accumulateGradients: no micro-batches');
  const scale = options.scale ?? 1 / n;
  let total = 0;
  microBatches.forEach((batch, i) => {
    total += tidy(() => {
      const loss = lossFn(batch, i);
      if (loss.size !== 1) throw new Error(`accumulateGradients: the loss of micro-batch ${i} is not a scalar (shape [${loss.shape.join(',')}])`);
      const scaled = mul(loss, scale);
      scaled.backward();
      return scaled.item();
    });
  });
  return total;
}

import type { Tensor } from '@mapnn/core';
import type { Callback, Logs, TrainingContext } from '@mapnn/train';

/** Where training diverged: 0-based epoch, and the epoch-local batch (-1: at the epoch's end). */
export class DivergedError extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    /** What became non-finite, e.g. "loss became NaN" or "2 weights became Infinity". */
    readonly what: string,
  ) {
    super(`${what} at epoch ${epoch + 1}${batch >= 0 ? `, batch ${batch + 1}` : ''}`);
    this.name = 'DivergedError';
  }
}

const describeValue = (v: number) => (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');

/**
 * Stops training with a DivergedError at the first batch whose loss is NaN or infinite, and at
 * an epoch's end when a weight is (a step after the last batch can overflow), so that the
 * checkpoint callbacks after it never see a diverged model. Reads are awaited (WebGPU works).
 */
export class NaNGuard implements Callback {
  private ctx?: TrainingContext;
  private epoch = 0;

  setContext(ctx: TrainingContext): void {
    this.ctx = ctx;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss!;
    if (!Number.isFinite(loss)) throw new DivergedError(this.epoch, batch, `loss became ${describeValue(loss)}`);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const [k, v] of Object.entries(logs)) {
      if (/loss$/.test(k) && !Number.isFinite(v)) throw new DivergedError(epoch, -1, `${k} became ${describeValue(v)}`);
    }
    const bad = await countNonFinite(this.ctx!.model.parameters() as Tensor[]);
    if (bad) throw new DivergedError(epoch, -1, `${bad} weight${bad === 1 ? '' : 's'} became NaN or infinite`);
  }
}

/** How many values of the floating-point tensors are NaN or infinite (awaited reads). */
export async function countNonFinite(tensors: readonly Tensor[]): Promise<number> {
  let n = 0;
  for (const t of tensors) {
    if (!t.dtype.startsWith('float')) continue;
    const v = await t.data();
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) n++;
  }
  return n;
}

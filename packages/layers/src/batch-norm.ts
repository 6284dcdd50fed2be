import { add, cast, mean, mul, noGrad, ones, reshape, rsqrt, sub, tidy, variance, zeros, type DType, type Tensor } from '@mapnn/core';
import { buffer, Module, parameter } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /**
   * Weight of the new batch statistic in the running averages (default 0.1, PyTorch's
   * convention: `running = (1 − momentum)·running + momentum·batch`); `null` gives the
   * cumulative average (factor 1/num_batches_tracked).
   */
  momentum?: number | null;
  /** Learn per-channel `weight` (ones) and `bias` (zeros) (default true). */
  affine?: boolean;
  /** Keep running statistics (buffers) for eval mode (default true); without them batch statistics are always used. */
  trackRunningStats?: boolean;
  dtype?: DType;
}

/**
 * Shared implementation of `BatchNorm1d`/`BatchNorm2d` (`torch.nn.modules.batchnorm._BatchNorm`).
 * Buffers use PyTorch's state-dict names: `running_mean`, `running_var`, `num_batches_tracked`.
 */
export abstract class BatchNormBase extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Tensor | null;
  bias: Tensor | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.affine ? parameter(ones([numFeatures], dtype)) : null;
    this.bias = this.affine ? parameter(zeros([numFeatures], dtype)) : null;
    this.running_mean = this.trackRunningStats ? buffer(zeros([numFeatures], dtype)) : null;
    this.running_var = this.trackRunningStats ? buffer(ones([numFeatures], dtype)) : null;
    this.num_batches_tracked = this.trackRunningStats ? buffer(zeros([], 'int64')) : null;
  }

  /** `running_mean` (camelCase alias). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  /** `running_var` (camelCase alias). */
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  /** `num_batches_tracked` (camelCase alias). */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  /** Throws unless `x` has a rank this layer accepts. */
  protected abstract checkInput(x: Tensor): void;

  /** Resets the running statistics (mean 0, var 1, count 0). */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() =>
      tidy(() => {
        this.running_mean!.assign(zeros([this.numFeatures], this.running_mean!.dtype));
        this.running_var!.assign(ones([this.numFeatures], this.running_var!.dtype));
        this.num_batches_tracked!.assign(zeros([], 'int64'));
      }),
    );
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum, affine: this.affine, trackRunningStats: this.trackRunningStats,
      dtype: floatDType(this),
    });
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    const C = this.numFeatures;
    if (x.shape[1] !== C) throw new Error(`${this.constructor.name}: expected ${C} channels (dim 1), got input [${x.shape.join(', ')}]`);
    const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
    const bshape = [1, C, ...Array.from({ length: x.rank - 2 }, () => 1)];
    const useBatchStats = this.training || !this.trackRunningStats;
    let mu: Tensor;
    let v: Tensor;
    if (useBatchStats) {
      const n = x.size / C;
      if (this.training && n <= 1) {
        throw new Error(`${this.constructor.name}: expected more than 1 value per channel when training, got input [${x.shape.join(', ')}]`);
      }
      mu = mean(x, axes, true);
      v = variance(x, axes, { correction: 0, keepDims: true });
      if (this.training && this.trackRunningStats) this.updateRunningStats(mu, v, n);
    } else {
      mu = reshape(this.running_mean!, bshape);
      v = reshape(this.running_var!, bshape);
    }
    let y = mul(sub(x, mu), rsqrt(add(v, this.eps)));
    if (this.weight) y = mul(y, reshape(this.weight, bshape));
    if (this.bias) y = add(y, reshape(this.bias, bshape));
    return y;
  }

  private updateRunningStats(mu: Tensor, v: Tensor, n: number): void {
    noGrad(() =>
      tidy(() => {
        const C = this.numFeatures;
        const nbt = this.num_batches_tracked!;
        const count = add(nbt, 1);
        nbt.assign(count.dtype === nbt.dtype ? count : cast(count, nbt.dtype));
        const f = this.momentum ?? 1 / nbt.item();
        const rm = this.running_mean!;
        const rv = this.running_var!;
        const batchMean = cast(reshape(mu, [C]), rm.dtype);
        const unbiased = cast(mul(reshape(v, [C]), n / (n - 1)), rv.dtype);
        rm.assign(add(mul(rm, 1 - f), mul(batchMean, f)));
        rv.assign(add(mul(rv, 1 - f), mul(unbiased, f)));
      }),
    );
  }

  override describe(): string {
    return `${this.constructor.name}(${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats})`;
  }
}

/**
 * Batch normalization over [N, C] or [N, C, L] (`torch.nn.BatchNorm1d`): per channel,
 * `y = (x − mean)/√(var + eps)·weight + bias`. In training the batch mean and biased variance
 * normalise, and the running averages are updated with the batch mean and the *unbiased*
 * variance (`momentum` weights the new value; `num_batches_tracked` counts batches); in eval
 * the running statistics are used.
 *
 * @example
 * const bn = new BatchNorm1d(8);
 * bn.call(randn([16, 8]));     // training: batch statistics, running stats updated
 * bn.eval().call(randn([1, 8])); // eval: running statistics
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.rank !== 2 && x.rank !== 3) throw new Error(`BatchNorm1d: expected 2-D or 3-D input [N, C(, L)], got [${x.shape.join(', ')}]`);
  }
}

/**
 * Batch normalization over [N, C, H, W] (`torch.nn.BatchNorm2d`), per channel; see
 * `BatchNorm1d` for the train/eval semantics and `BatchNormOptions`.
 *
 * @example
 * const bn = new BatchNorm2d(16, { momentum: 0.01 });
 * bn.call(randn([4, 16, 8, 8])).shape // [4, 16, 8, 8]
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.rank !== 4) throw new Error(`BatchNorm2d: expected 4-D input [N, C, H, W], got [${x.shape.join(', ')}]`);
  }
}


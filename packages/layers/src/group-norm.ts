import { add, mean, mul, ones, reshape, rsqrt, sub, variance, zeros, type DType, type Tensor } from '@mapnn/core';
import { Module, parameter } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn per-channel `weight` (ones) and `bias` (zeros) (default true). */
  affine?: boolean;
  dtype?: DType;
}

/**
 * Group normalization (`torch.nn.GroupNorm`): the channels of [N, C, *] are split into
 * `numGroups` groups, each normalised over its channels and spatial positions with the biased
 * variance, then a per-channel affine. Independent of the batch size (same in train and eval).
 *
 * @example
 * const gn = new GroupNorm(4, 16);
 * gn.call(randn([2, 16, 8, 8])).shape // [2, 16, 8, 8]
 */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: GroupNormOptions = {},
  ) {
    super();
    if (numChannels % numGroups !== 0) throw new Error(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    this.weight = this.affine ? parameter(ones([numChannels], options.dtype)) : null;
    this.bias = this.affine ? parameter(zeros([numChannels], options.dtype)) : null;
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({ numGroups: this.numGroups, numChannels: this.numChannels, eps: this.eps, affine: this.affine, dtype: floatDType(this) });
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 2 || x.shape[1] !== this.numChannels) {
      throw new Error(`GroupNorm: expected input [N, ${this.numChannels}, *], got [${x.shape.join(', ')}]`);
    }
    const N = x.shape[0]!;
    const g = reshape(x, [N, this.numGroups, -1]);
    const mu = mean(g, 2, true);
    const v = variance(g, 2, { correction: 0, keepDims: true });
    let y = reshape(mul(sub(g, mu), rsqrt(add(v, this.eps))), x.shape);
    const bshape = [1, this.numChannels, ...Array.from({ length: x.rank - 2 }, () => 1)];
    if (this.weight) y = mul(y, reshape(this.weight, bshape));
    if (this.bias) y = add(y, reshape(this.bias, bshape));
    return y;
  }

  override describe(): string {
    return `GroupNorm(${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine})`;
  }
}

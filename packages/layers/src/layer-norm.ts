import { add, mean, mul, ones, rsqrt, sub, variance, zeros, type DType, type Tensor } from '@mapnn/core';
import { Module, parameter } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn per-element `weight` (ones) and `bias` (zeros) of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, learn the bias too (default true). */
  bias?: boolean;
  dtype?: DType;
}

/**
 * Layer normalization (`torch.nn.LayerNorm`): normalises over the last `normalizedShape.length`
 * dims with the biased variance, `y = (x − mean)/√(var + eps)·weight + bias`.
 *
 * @example
 * const ln = new LayerNorm(16);
 * ln.call(randn([2, 5, 16])).shape // [2, 5, 16]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? parameter(ones(this.normalizedShape, options.dtype)) : null;
    this.bias = affine && options.bias !== false ? parameter(zeros(this.normalizedShape, options.dtype)) : null;
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({
      normalizedShape: this.normalizedShape, eps: this.eps, elementwiseAffine: this.weight !== null, bias: this.bias !== null, dtype: floatDType(this),
    });
  }

  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new Error(`LayerNorm: input [${x.shape.join(', ')}] does not end with normalizedShape [${this.normalizedShape.join(', ')}]`);
    }
    const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
    const mu = mean(x, axes, true);
    const v = variance(x, axes, { correction: 0, keepDims: true });
    let y = mul(sub(x, mu), rsqrt(add(v, this.eps)));
    if (this.weight) y = mul(y, this.weight);
    if (this.bias) y = add(y, this.bias);
    return y;
  }

  override describe(): string {
    return `LayerNorm([${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.weight !== null})`;
  }
}

import { linear, type DType, type Generator, type Tensor } from '@mapnn/core';
import { defaultLayerInit } from './init.js';
import { Module, parameter } from './module.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the default init (PyTorch's: weight and bias U(±1/√in)). */
  generator?: Generator;
  dtype?: DType;
}

/**
 * Fully connected layer `y = x·Wᵀ + b` (`torch.nn.Linear`): `weight` [out, in], `bias` [out].
 * Input [..., in] → output [..., out]. Default init as PyTorch: weight kaiming_uniform(a=√5),
 * i.e. U(±1/√in), bias U(±1/√in).
 *
 * @example
 * const fc = new Linear(4, 2, { generator: new Generator(0) });
 * fc.call(randn([8, 4])).shape // [8, 2]
 */
export class Linear extends Module {
  weight: Tensor;
  bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    const [w, b] = defaultLayerInit([outFeatures, inFeatures], options.bias === false ? null : [outFeatures], options.generator, options.dtype);
    this.weight = parameter(w);
    this.bias = b ? parameter(b) : null;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override describe(): string {
    return `Linear(in=${this.inFeatures}, out=${this.outFeatures}, bias=${this.bias !== null})`;
  }
}

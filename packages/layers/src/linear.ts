import { linear, type DType, type FusedActivation, type Generator, type Tensor } from '@mapnn/core';
import { defaultLayerInit } from './init.js';
import type { ReluFusable } from './fusion.js';
import { Module, parameter } from './module.js';
import { compactConfig, floatDType, type ModuleConfig } from './serialization/config.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the default init (PyTorch's: weight and bias U(±1/√in)). */
  generator?: Generator;
  dtype?: DType;
  /**
   * Activation applied to the output, fused into the matmul where the backend can (Keras's
   * `Dense(activation=…)`; default 'none'). A `Linear` followed by a `ReLU` in a `Sequential`
   * is fused the same way without this option.
   */
  activation?: FusedActivation;
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
export class Linear extends Module implements ReluFusable {
  weight: Tensor;
  bias: Tensor | null;
  readonly activation: FusedActivation;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    const [w, b] = defaultLayerInit([outFeatures, inFeatures], options.bias === false ? null : [outFeatures], options.generator, options.dtype);
    this.weight = parameter(w);
    this.bias = b ? parameter(b) : null;
    this.activation = options.activation ?? 'none';
    if (this.activation !== 'none' && this.activation !== 'relu') throw new Error(`Linear: activation must be 'none' or 'relu', got '${String(this.activation)}'`);
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({ inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null, activation: this.activation, dtype: floatDType(this) });
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, { activation: this.activation });
  }

  /** `forward` followed by a ReLU, in one fused op (`ReluFusable`; used by `Sequential`). */
  forwardRelu(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias, { activation: 'relu' });
  }

  override describe(): string {
    const act = this.activation === 'none' ? '' : `, activation=${this.activation}`;
    return `Linear(in=${this.inFeatures}, out=${this.outFeatures}, bias=${this.bias !== null}${act})`;
  }
}

import { add, full, minimum, mul, relu, reshape, type DType, type Tensor } from '@mapnn/core';
import { Module, parameter } from '../module.js';
import { compactConfig, floatDType, type ModuleConfig } from '../serialization/config.js';

/**
 * `torch.nn.PReLU`: max(0, x) + weight·min(0, x) with a learnable slope `weight`, one shared
 * value (`numParameters = 1`, default) or one per channel (dim 1, `numParameters = C`),
 * initialised to `init` (default 0.25).
 *
 * @example
 * const act = new PReLU(16); // one slope per channel of [N, 16, H, W]
 * act.call(x);
 */
export class PReLU extends Module {
  weight: Tensor;
  /** Number of slopes (PyTorch's `num_parameters`). */
  readonly numWeights: number;

  constructor(
    numParameters = 1,
    init = 0.25,
    options: { dtype?: DType } = {},
  ) {
    super();
    this.numWeights = numParameters;
    this.weight = parameter(full([numParameters], init, options.dtype ?? 'float32'));
  }

  /** Constructor arguments as JSON, for `saveModel` (see `registerModule`). */
  getConfig(): ModuleConfig {
    return compactConfig({ numParameters: this.numWeights, dtype: floatDType(this) });
  }

  forward(x: Tensor): Tensor {
    let w = this.weight;
    if (this.numWeights > 1) {
      if (x.rank < 2 || x.shape[1] !== this.numWeights) {
        throw new Error(`PReLU: ${this.numWeights} parameters need input with ${this.numWeights} channels at dim 1, got [${x.shape.join(', ')}]`);
      }
      w = reshape(w, [1, this.numWeights, ...Array.from({ length: x.rank - 2 }, () => 1)]);
    } else if (x.rank > 0) {
      w = reshape(w, []);
    }
    return add(relu(x), mul(w, minimum(x, 0)));
  }

  override describe(): string {
    return `PReLU(numParameters=${this.numWeights})`;
  }
}

import { softmax, type Tensor } from '@mapnn/core';
import { AlongDim } from './along-dim.js';

/**
 * `torch.nn.Softmax` as a module: exp(x)/Σexp(x) along `dim` (default the last).
 *
 * @example new Softmax(1).call(logits) // rows sum to 1
 */
export class Softmax extends AlongDim {
  constructor(dim = -1) {
    super('Softmax', dim);
  }

  protected along(x: Tensor, dim: number): Tensor {
    return softmax(x, dim);
  }
}

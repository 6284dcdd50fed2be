import { logSoftmax, type Tensor } from '@mapnn/core';
import { AlongDim } from './along-dim.js';

/**
 * `torch.nn.LogSoftmax` as a module: log(softmax(x)) along `dim` (default the last), computed stably.
 *
 * @example new LogSoftmax(1).call(logits)
 */
export class LogSoftmax extends AlongDim {
  constructor(dim = -1) {
    super('LogSoftmax', dim);
  }

  protected along(x: Tensor, dim: number): Tensor {
    return logSoftmax(x, dim);
  }
}

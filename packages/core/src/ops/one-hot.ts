import { opScope } from '../memory/scope.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { ones, zeros } from './creation.js';
import { runKernel } from './kernel.js';
import { toIndex } from './movement-utils.js';
import { reshape } from './reshape.js';
import type { TensorLike } from './tensor-factory.js';

/**
 * One-hot encoding (`F.one_hot`): float32 of shape `[...indices.shape, numClasses]` with a 1
 * at each label. `indices` are int32/int64 (or a plain array); labels outside
 * `[0, numClasses)` throw. No gradient.
 *
 * @example oneHot([0, 2], 3) // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: TensorLike, numClasses: number): Tensor {
  return opScope(() => {
    const idx = toIndex(indices, 'oneHot', 'indices');
    if (!Number.isInteger(numClasses) || numClasses < 0) {
      throw new RangeError(`oneHot: numClasses must be a non-negative integer, got ${numClasses}`);
    }
    let data: ArrayLike<number> | null = null;
    try {
      data = idx.dataSync();
    } catch {
      data = null; // asynchronous backends: the scatter kernel checks the range
    }
    if (data) {
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (!(v >= 0 && v < numClasses)) {
          throw new RangeError(
            `oneHot: label ${v} (at flat index ${i} of indices ${fmtShape(idx.shape)}) is outside [0, ${numClasses - 1}] for numClasses ${numClasses}`,
          );
        }
      }
    }
    const col = [...idx.shape, 1];
    return runKernel('scatter', [zeros([...idx.shape, numClasses]), reshape(idx, col), ones(col)], { axis: idx.rank });
  });
}

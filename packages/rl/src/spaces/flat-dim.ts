import type { Space } from '../types.js';

/**
 * The length of a flattened value of `space` (Gymnasium's `flatdim`): the product of a Box's
 * shape, `n` for Discrete (one-hot), the sum of `nvec` for MultiDiscrete (one-hot per element).
 *
 * @example flatDim(new Discrete(4)) // 4
 */
export function flatDim(space: Space): number {
  switch (space.kind) {
    case 'box':
      return space.shape.reduce((a, b) => a * b, 1);
    case 'discrete':
      return space.n;
    case 'multi-discrete':
      return space.nvec.reduce((a, b) => a + b, 0);
  }
}

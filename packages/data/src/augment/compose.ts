import type { Tensor } from '@mapnn/core';

/**
 * Chains batch transforms left to right into one; intermediate results are disposed (the input
 * is not).
 *
 * @example
 * const g = new Generator(0);
 * const augment = composeAugmentations(
 *   (x) => randomCrop(x, { padding: 2, generator: g }),
 *   (x) => randomHorizontalFlip(x, { generator: g }),
 * );
 * const xb = augment(batch.x);
 */
export function composeAugmentations(...steps: ((x: Tensor) => Tensor)[]): (x: Tensor) => Tensor {
  return (x: Tensor) => {
    let cur = x;
    for (const step of steps) {
      const next = step(cur);
      if (cur !== x && next !== cur) cur.dispose();
      cur = next;
    }
    return cur === x ? x.detach() : cur;
  };
}

import type { Generator } from '@mapnn/core';
import { permutation, resolveRandom, type RandomSource } from '../util/random.js';

/**
 * A source of sample indices for one epoch (PyTorch's `Sampler`): each iteration is a new
 * epoch (random samplers draw new indices each time); `length` is the number of indices per epoch.
 */
export interface Sampler {
  readonly length: number;
  [Symbol.iterator](): Iterator<number>;
}

/**
 * `0, 1, …, n-1` in order.
 *
 * @example [...new SequentialSampler(3)] // [0, 1, 2]
 */
export class SequentialSampler implements Sampler {
  constructor(readonly length: number) {}
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

/**
 * A new random permutation of `0 … n-1` every epoch, drawn from a seeded `Generator`; with
 * `replacement`, `numSamples` indices drawn uniformly with replacement instead.
 *
 * @example
 * const s = new RandomSampler(5, { seed: 0 });
 * [...s]; // e.g. [3, 0, 4, 1, 2]; the next epoch is another permutation
 */
export class RandomSampler implements Sampler {
  readonly generator: Generator;
  readonly length: number;
  private readonly replacement: boolean;
  constructor(
    readonly size: number,
    options: RandomSource & { replacement?: boolean; numSamples?: number } = {},
  ) {
    this.generator = resolveRandom(options);
    this.replacement = options.replacement ?? false;
    this.length = options.numSamples ?? size;
    if (!this.replacement && this.length !== size) throw new Error('RandomSampler: numSamples needs replacement: true');
  }
  *[Symbol.iterator](): Iterator<number> {
    if (this.replacement) {
      for (let i = 0; i < this.length; i++) yield this.generator.nextBelow(this.size);
      return;
    }
    yield* permutation(this.size, this.generator);
  }
}

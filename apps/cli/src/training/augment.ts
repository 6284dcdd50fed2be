import { Generator, tensor, tidy, type Tensor } from '@mapnn/core';
import { gaussianNoise, permutation, randomCrop, randomHorizontalFlip } from '@mapnn/data';
import { deriveSeed, type Batch } from '@mapnn/train';

export interface AugmentOptions {
  batchSize: number;
  seed: number;
  /** Flip left–right too (only for data whose labels survive a flip). */
  flip: boolean;
  /** Padding of the random crop in pixels. */
  padding: number;
  /** Standard deviation of the Gaussian noise (on inputs in [0, 1]). */
  noise: number;
}

/**
 * Mini-batches of images with fresh random augmentation every epoch (@mapnn/data): a random
 * crop after zero padding, an optional horizontal flip, and Gaussian noise on half the images.
 * Shuffling and augmentation derive from (seed, epoch), so a resumed run sees the same batches.
 */
export class AugmentedBatches implements Iterable<Batch> {
  private epoch = 0;

  constructor(
    private readonly x: Tensor,
    private readonly y: Tensor,
    private readonly o: AugmentOptions,
  ) {}

  /** Batches per epoch (fit reads it for the progress bar). */
  get length(): number {
    return Math.ceil(this.x.shape[0]! / this.o.batchSize);
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const n = this.x.shape[0]!;
    const g = new Generator(deriveSeed(this.o.seed, this.epoch, 17));
    const order = permutation(n, g);
    for (let s = 0; s < n; s += this.o.batchSize) {
      const idx = order.slice(s, Math.min(n, s + this.o.batchSize));
      yield tidy(() => {
        const rows = tensor(idx, [idx.length], 'int32');
        let xb = randomCrop(this.x.indexSelect(0, rows), { padding: this.o.padding, generator: g });
        if (this.o.flip) xb = randomHorizontalFlip(xb, { generator: g });
        if (this.o.noise > 0) xb = gaussianNoise(xb, { std: this.o.noise, p: 0.5, clip: [0, 1], generator: g });
        return { x: xb, y: this.y.indexSelect(0, rows) };
      });
    }
  }
}

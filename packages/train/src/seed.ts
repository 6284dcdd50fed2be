/**
 * Derives an independent 32-bit seed from (seed, epoch, stream) with a splitmix-style hash, so
 * each epoch's randomness depends only on the run's seed and the epoch number: a resumed run
 * draws exactly what the uninterrupted one would have.
 */
export function deriveSeed(seed: number, epoch: number, stream: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

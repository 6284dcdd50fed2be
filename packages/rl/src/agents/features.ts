import type { Space } from '../types.js';

/**
 * The width of the feature vector an agent's network reads for one observation: the flat size
 * of a `Box`, `n` for a `Discrete` observation (one-hot), the sum of `nvec` for `MultiDiscrete`.
 *
 * @example featureSize(new Discrete(16)) // 16
 */
export function featureSize(space: Space): number {
  if (space.kind === 'discrete') return space.n;
  if (space.kind === 'multi-discrete') return Array.from(space.nvec).reduce((a, b) => a + b, 0);
  return space.shape.reduce((a, b) => a * b, 1);
}

/**
 * Turns a batch of observations (`count` rows, as a vector env returns them) into float32
 * features, `count × featureSize(space)`: Box values copied, discrete values one-hot.
 *
 * @example toFeatures(new Int32Array([2]), new Discrete(4), 1) // [0, 0, 1, 0]
 */
export function toFeatures(obs: ArrayLike<number>, space: Space, count: number): Float32Array {
  const width = featureSize(space);
  if (space.kind === 'box') {
    if (obs.length !== count * width) throw new Error(`toFeatures: expected ${count} × ${width} observation values for ${space.toString()}, got ${obs.length}`);
    return Float32Array.from(obs); // a copy: vector envs may reuse their buffers
  }
  const out = new Float32Array(count * width);
  if (space.kind === 'discrete') {
    for (let i = 0; i < count; i++) out[i * width + (obs[i]! - space.start)] = 1;
    return out;
  }
  const k = space.nvec.length;
  for (let i = 0; i < count; i++) {
    let offset = 0;
    for (let j = 0; j < k; j++) {
      out[i * width + offset + obs[i * k + j]!] = 1;
      offset += space.nvec[j]!;
    }
  }
  return out;
}

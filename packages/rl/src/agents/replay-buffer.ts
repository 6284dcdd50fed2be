import { Generator } from '@mapnn/core';

/** A batch drawn from a replay buffer, as flat typed arrays (`batch × width`). */
export interface ReplayBatch {
  size: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  /** The bootstrap factor of each transition: γ^k for a k-step return, 0 where it terminated. */
  discounts: Float32Array;
  /** Where in the buffer each row came from (for prioritized replay updates). */
  indices: Int32Array;
  /** Importance-sampling weights (1 for uniform replay). */
  weights: Float32Array;
}

export interface ReplayBufferState {
  capacity: number;
  obsSize: number;
  actionSize: number;
  size: number;
  next: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  discounts: Float32Array;
}

/**
 * A ring buffer of transitions `(s, a, R, s', discount)` in preallocated float32 arrays, sampled
 * uniformly with a seeded generator. `discount` is the factor `R + discount · V(s')` uses, so
 * one buffer serves 1-step and n-step returns, and truncated episodes keep their bootstrap.
 *
 * @example
 * const buf = new ReplayBuffer(10_000, 4, 1);
 * buf.add(obs, [action], reward, nextObs, terminated ? 0 : 0.99);
 * const batch = buf.sample(64, generator);
 */
export class ReplayBuffer {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly discounts: Float32Array;
  size = 0;
  next = 0;

  constructor(readonly capacity: number, readonly obsSize: number, readonly actionSize: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new Error(`ReplayBuffer: capacity must be a positive integer, got ${capacity}`);
    this.obs = new Float32Array(capacity * obsSize);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.actions = new Float32Array(capacity * actionSize);
    this.rewards = new Float32Array(capacity);
    this.discounts = new Float32Array(capacity);
  }

  /** Stores one transition, overwriting the oldest when full; returns its slot. */
  add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, discount: number): number {
    if (obs.length !== this.obsSize || nextObs.length !== this.obsSize || action.length !== this.actionSize) {
      throw new Error(`ReplayBuffer.add: expected observations of ${this.obsSize} and actions of ${this.actionSize} values, got ${obs.length}, ${nextObs.length} and ${action.length}`);
    }
    const i = this.next;
    this.obs.set(obs, i * this.obsSize);
    this.nextObs.set(nextObs, i * this.obsSize);
    this.actions.set(action, i * this.actionSize);
    this.rewards[i] = reward;
    this.discounts[i] = discount;
    this.next = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    return i;
  }

  /** `batchSize` transitions drawn uniformly with replacement. */
  sample(batchSize: number, generator: Generator): ReplayBatch {
    if (this.size === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    const indices = new Int32Array(batchSize);
    for (let b = 0; b < batchSize; b++) indices[b] = generator.nextBelow(this.size);
    return this.gather(indices, new Float32Array(batchSize).fill(1));
  }

  /** The transitions at `indices`. */
  gather(indices: Int32Array, weights: Float32Array): ReplayBatch {
    const n = indices.length;
    const o = this.obsSize;
    const a = this.actionSize;
    const batch: ReplayBatch = {
      size: n, indices, weights,
      obs: new Float32Array(n * o), nextObs: new Float32Array(n * o), actions: new Float32Array(n * a),
      rewards: new Float32Array(n), discounts: new Float32Array(n),
    };
    for (let b = 0; b < n; b++) {
      const i = indices[b]!;
      batch.obs.set(this.obs.subarray(i * o, (i + 1) * o), b * o);
      batch.nextObs.set(this.nextObs.subarray(i * o, (i + 1) * o), b * o);
      batch.actions.set(this.actions.subarray(i * a, (i + 1) * a), b * a);
      batch.rewards[b] = this.rewards[i]!;
      batch.discounts[b] = this.discounts[i]!;
    }
    return batch;
  }

  /** The buffer's contents (only the filled part), for checkpoints. */
  getState(): ReplayBufferState {
    const s = this.size;
    return {
      capacity: this.capacity, obsSize: this.obsSize, actionSize: this.actionSize, size: s, next: this.next,
      obs: this.obs.slice(0, s * this.obsSize), nextObs: this.nextObs.slice(0, s * this.obsSize),
      actions: this.actions.slice(0, s * this.actionSize), rewards: this.rewards.slice(0, s), discounts: this.discounts.slice(0, s),
    };
  }

  /** Restores contents saved by `getState` (same capacity and widths). */
  setState(state: ReplayBufferState): void {
    if (state.capacity !== this.capacity || state.obsSize !== this.obsSize || state.actionSize !== this.actionSize) {
      throw new Error(`ReplayBuffer.setState: saved buffer has capacity ${state.capacity}, widths ${state.obsSize}/${state.actionSize}; this one ${this.capacity}, ${this.obsSize}/${this.actionSize}`);
    }
    this.obs.set(state.obs);
    this.nextObs.set(state.nextObs);
    this.actions.set(state.actions);
    this.rewards.set(state.rewards);
    this.discounts.set(state.discounts);
    this.size = state.size;
    this.next = state.next;
  }
}

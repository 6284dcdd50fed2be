import { Generator } from '@mapnn/core';
import { ReplayBuffer, type ReplayBatch, type ReplayBufferState } from './replay-buffer.js';

/** A prioritized buffer's state: the contents, the priorities `p^α` of the filled slots and the largest `p` seen. */
export interface PrioritizedReplayState extends ReplayBufferState {
  priorities: Float64Array;
  maxPriority: number;
}

export interface PrioritizedReplayOptions {
  /** How much prioritization is used (0 = uniform; default 0.6). */
  alpha?: number;
  /** Added to |δ| so that no transition gets priority 0 (default 1e-6). */
  epsilon?: number;
}

/**
 * Proportional prioritized experience replay (Schaul et al. 2016): transition i is drawn with
 * probability `p_i^α / Σ p^α` through a sum tree (O(log n) draw and update), new transitions
 * get the largest priority seen so far, and `sample` returns importance-sampling weights
 * `(N · P(i))^−β` normalised by their maximum. Call `updatePriorities` with the TD errors.
 *
 * @example
 * const buf = new PrioritizedReplayBuffer(50_000, 4, 1, { alpha: 0.6 });
 * const batch = buf.sample(64, generator, 0.4);
 * buf.updatePriorities(batch.indices, tdErrors);
 */
export class PrioritizedReplayBuffer extends ReplayBuffer {
  readonly alpha: number;
  readonly epsilon: number;
  private readonly leaves: number;
  private readonly tree: Float64Array;
  private maxPriority = 1;

  constructor(capacity: number, obsSize: number, actionSize: number, options: PrioritizedReplayOptions = {}) {
    super(capacity, obsSize, actionSize);
    this.alpha = options.alpha ?? 0.6;
    this.epsilon = options.epsilon ?? 1e-6;
    let leaves = 1;
    while (leaves < capacity) leaves *= 2;
    this.leaves = leaves;
    this.tree = new Float64Array(2 * leaves);
  }

  override add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, discount: number): number {
    const i = super.add(obs, action, reward, nextObs, discount);
    this.setPriority(i, this.maxPriority ** this.alpha);
    return i;
  }

  /** Draws by priority (stratified over `batchSize` equal segments of the total), with IS weights for `beta`. */
  override sample(batchSize: number, generator: Generator, beta = 0.4): ReplayBatch {
    if (this.size === 0) throw new Error('PrioritizedReplayBuffer.sample: the buffer is empty');
    const total = this.tree[1]!;
    const indices = new Int32Array(batchSize);
    const weights = new Float32Array(batchSize);
    const segment = total / batchSize;
    let maxWeight = 0;
    for (let b = 0; b < batchSize; b++) {
      const i = Math.min(this.find((b + generator.nextFloat()) * segment), this.size - 1);
      indices[b] = i;
      const p = this.tree[this.leaves + i]! / total;
      const w = (this.size * p) ** -beta;
      weights[b] = w;
      maxWeight = Math.max(maxWeight, w);
    }
    for (let b = 0; b < batchSize; b++) weights[b] = weights[b]! / maxWeight;
    return this.gather(indices, weights);
  }

  /** Sets the priorities of sampled transitions to `|δ| + ε`. */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    for (let b = 0; b < indices.length; b++) {
      const p = Math.abs(tdErrors[b]!) + this.epsilon;
      if (!Number.isFinite(p)) throw new Error(`PrioritizedReplayBuffer.updatePriorities: TD error ${tdErrors[b]} at row ${b} is not finite`);
      this.maxPriority = Math.max(this.maxPriority, p);
      this.setPriority(indices[b]!, p ** this.alpha);
    }
  }

  /** The contents and the priorities of the filled slots, for checkpoints. */
  override getState(): PrioritizedReplayState {
    return { ...super.getState(), priorities: this.tree.slice(this.leaves, this.leaves + this.size), maxPriority: this.maxPriority };
  }

  /** Restores contents and priorities saved by `getState` (plain `ReplayBufferState`s get the largest priority). */
  override setState(state: ReplayBufferState | PrioritizedReplayState): void {
    super.setState(state);
    const p = 'priorities' in state ? state.priorities : null;
    if (p && p.length !== state.size) throw new Error(`PrioritizedReplayBuffer.setState: expected ${state.size} priorities, got ${p.length}`);
    this.maxPriority = 'maxPriority' in state ? state.maxPriority : 1;
    this.tree.fill(0);
    for (let i = 0; i < state.size; i++) this.tree[this.leaves + i] = p ? p[i]! : this.maxPriority ** this.alpha;
    for (let node = this.leaves - 1; node >= 1; node--) this.tree[node] = this.tree[2 * node]! + this.tree[2 * node + 1]!;
  }

  /** The sampling probability of slot i (for tests and inspection). */
  probability(i: number): number {
    return this.tree[this.leaves + i]! / this.tree[1]!;
  }

  private setPriority(i: number, value: number): void {
    let node = this.leaves + i;
    this.tree[node] = value;
    for (node >>= 1; node >= 1; node >>= 1) this.tree[node] = this.tree[2 * node]! + this.tree[2 * node + 1]!;
  }

  /** The leaf where the running sum of priorities passes `mass`. */
  private find(mass: number): number {
    let node = 1;
    while (node < this.leaves) {
      const left = 2 * node;
      if (mass <= this.tree[left]! || this.tree[left + 1] === 0) node = left;
      else {
        mass -= this.tree[left]!;
        node = left + 1;
      }
    }
    return node - this.leaves;
  }
}

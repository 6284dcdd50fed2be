/** A transition ready for the replay buffer. */
export interface FoldedTransition {
  obs: Float32Array;
  action: Float32Array;
  /** Σ_{k<m} γ^k r_k over the m folded steps. */
  reward: number;
  nextObs: Float32Array;
  /** γ^m, or 0 when the episode terminated within the m steps. */
  discount: number;
}

interface Pending {
  obs: Float32Array;
  action: Float32Array;
  reward: number;
}

/**
 * Folds one env's steps into n-step transitions `(s_t, a_t, Σ γ^k r_{t+k}, s_{t+n}, γ^n)`. At
 * the end of an episode the remaining partial returns are flushed; a terminated episode gets
 * discount 0, a truncated one keeps `γ^m` so the target bootstraps from the final observation.
 *
 * @example
 * const acc = new NStepAccumulator(3, 0.99);
 * for (const t of acc.push(obs, action, reward, nextObs, terminated, truncated)) buffer.add(...);
 */
export class NStepAccumulator {
  private pending: Pending[] = [];

  constructor(readonly n: number, readonly gamma: number) {
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`NStepAccumulator: n must be an integer ≥ 1, got ${n}`);
  }

  push(obs: Float32Array, action: Float32Array, reward: number, nextObs: Float32Array, terminated: boolean, truncated: boolean): FoldedTransition[] {
    this.pending.push({ obs, action, reward });
    const out: FoldedTransition[] = [];
    if (terminated || truncated) {
      while (this.pending.length > 0) out.push(this.fold(nextObs, terminated));
    } else if (this.pending.length === this.n) {
      out.push(this.fold(nextObs, false));
    }
    return out;
  }

  /** Drops unfinished steps (e.g. after a reset from outside). */
  clear(): void {
    this.pending = [];
  }

  private fold(nextObs: Float32Array, terminated: boolean): FoldedTransition {
    let reward = 0;
    let factor = 1;
    for (const p of this.pending) {
      reward += factor * p.reward;
      factor *= this.gamma;
    }
    const first = this.pending.shift()!;
    return { obs: first.obs, action: first.action, reward, nextObs, discount: terminated ? 0 : factor };
  }
}

import { clip, maximum, minimum, tensor } from '@mapnn/core';
import { Adam } from '@mapnn/optimizers';
import { OnPolicyAgent, type OnPolicyOptions, type Rollout } from './on-policy.js';
import { scheduleValue, type Schedule } from './schedule.js';

export interface PPOOptions extends OnPolicyOptions {
  /** Minibatch size (default 64). */
  batchSize?: number;
  /** Passes over each rollout (default 10). */
  nEpochs?: number;
  /** Policy ratio clip ε (number or schedule, default 0.2). */
  clipRange?: Schedule;
  /** Clip of the value change around the rollout's values (default: none). */
  clipRangeVf?: Schedule | null;
  /** Stop an update's epochs early once the approximate KL passes this (default: never). */
  targetKl?: number | null;
}

const DEFAULTS = {
  nSteps: 2048, gamma: 0.99, gaeLambda: 0.95, learningRate: 3e-4 as Schedule, entCoef: 0, vfCoef: 0.5, maxGradNorm: 0.5,
  normalizeAdvantage: true,
};

/**
 * Proximal policy optimization (Schulman et al. 2017), Stable-Baselines3's variant: clipped
 * surrogate objective, GAE, several epochs of shuffled minibatches per rollout, entropy bonus,
 * optional value clipping and KL early stop, advantages normalised per minibatch, gradient
 * norm clipping. Categorical policies for Discrete actions (with action masks), diagonal
 * Gaussian ones for Box actions.
 *
 * @example
 * const agent = new PPO({ env: 'CartPole-v1', numEnvs: 8, seed: 0, nSteps: 32, batchSize: 256,
 *   gaeLambda: 0.8, gamma: 0.98, nEpochs: 20, learningRate: linearSchedule(1e-3, 0, 1),
 *   clipRange: linearSchedule(0.2, 0, 1) });
 * await agent.learn(100_000);
 */
export class PPO extends OnPolicyAgent {
  readonly name = 'PPO';
  readonly optimizer: Adam;
  readonly batchSize: number;
  readonly nEpochs: number;
  readonly clipRange: Schedule;
  readonly clipRangeVf: Schedule | null;
  readonly targetKl: number | null;

  constructor(options: PPOOptions) {
    super(options, DEFAULTS);
    this.batchSize = options.batchSize ?? 64;
    this.nEpochs = options.nEpochs ?? 10;
    this.clipRange = options.clipRange ?? 0.2;
    this.clipRangeVf = options.clipRangeVf ?? null;
    this.targetKl = options.targetKl ?? null;
    this.optimizer = new Adam(this.policy.parameters(), { lr: scheduleValue(this.base.learningRate, 0), eps: 1e-5 });
  }

  protected optimize(rollout: Rollout, fraction: number): void {
    const eps = Math.max(scheduleValue(this.clipRange, fraction), 1e-8);
    const epsVf = this.clipRangeVf === null ? null : scheduleValue(this.clipRangeVf, fraction);
    const { entCoef, vfCoef } = this.base;
    const valid = rollout.valid;
    let last = { policy: 0, value: 0, entropy: 0, approxKl: 0, clipFraction: 0 };
    for (let epoch = 0; epoch < this.nEpochs; epoch++) {
      const order = shuffled(valid, this.generator);
      let kls = 0;
      let batches = 0;
      for (let start = 0; start < order.length; start += this.batchSize) {
        const mb = this.minibatch(rollout, order.subarray(start, start + this.batchSize));
        const stats = { policy: 0, value: 0, entropy: 0, approxKl: 0, clipFraction: 0 };
        this.gradientStep(() => {
          const { logProbs, entropy, values } = this.policy.evaluate(mb.obs, mb.actions, mb.masks);
          const logRatio = logProbs.sub(tensor(mb.logProbs, [mb.size]));
          const ratio = logRatio.exp();
          const adv = tensor(mb.advantages, [mb.size]);
          const policyLoss = minimum(adv.mul(ratio), adv.mul(clip(ratio, 1 - eps, 1 + eps))).mean().neg();
          const returns = tensor(mb.returns, [mb.size]);
          let pred = values;
          if (epsVf !== null) {
            const old = tensor(mb.values, [mb.size]);
            pred = old.add(clip(values.sub(old), -epsVf, epsVf));
          }
          const valueLoss = pred.sub(returns).square().mean();
          const ent = entropy.mean();
          // SB3's approximate KL: mean((r − 1) − log r)
          const ratioHost = ratio.dataSync();
          const logRatioHost = logRatio.dataSync();
          let kl = 0;
          let clipped = 0;
          for (let i = 0; i < mb.size; i++) {
            kl += ratioHost[i]! - 1 - logRatioHost[i]!;
            if (Math.abs(ratioHost[i]! - 1) > eps) clipped++;
          }
          stats.approxKl = kl / mb.size;
          stats.clipFraction = clipped / mb.size;
          stats.policy = policyLoss.item();
          stats.value = valueLoss.item();
          stats.entropy = ent.item();
          return policyLoss.add(valueLoss.mul(vfCoef)).sub(ent.mul(entCoef));
        });
        last = stats;
        kls += stats.approxKl;
        batches++;
        if (this.targetKl !== null && stats.approxKl > 1.5 * this.targetKl) break;
      }
      if (this.targetKl !== null && kls / Math.max(batches, 1) > 1.5 * this.targetKl) break;
    }
    this.losses = { policy: last.policy, value: last.value, entropy: last.entropy, approxKl: last.approxKl, clipFraction: last.clipFraction };
  }
}

/** A seeded Fisher–Yates shuffle of `xs` (a copy). */
export function shuffled(xs: Int32Array, g: { nextBelow(n: number): number }): Int32Array {
  const out = Int32Array.from(xs);
  for (let i = out.length - 1; i > 0; i--) {
    const j = g.nextBelow(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

import { tensor } from '@mapnn/core';
import { RMSprop } from '@mapnn/optimizers';
import { OnPolicyAgent, type OnPolicyOptions, type Rollout } from './on-policy.js';
import { scheduleValue, type Schedule } from './schedule.js';

export interface A2COptions extends OnPolicyOptions {
  /** RMSprop's ε (default 1e-5, as Stable-Baselines3). */
  rmsPropEps?: number;
}

const DEFAULTS = {
  nSteps: 5, gamma: 0.99, gaeLambda: 1, learningRate: 7e-4 as Schedule, entCoef: 0, vfCoef: 0.5, maxGradNorm: 0.5,
  normalizeAdvantage: false,
};

/**
 * Advantage actor-critic (Mnih et al. 2016, synchronous), Stable-Baselines3's variant: short
 * rollouts over several envs, GAE advantages (λ = 1 by default), one RMSprop step on
 * `−A·log π + c_v (V − R)² − c_e H` per rollout, gradient norm clipping.
 *
 * @example
 * const agent = new A2C({ env: 'CartPole-v1', numEnvs: 8, seed: 0 });
 * await agent.learn(500_000);
 */
export class A2C extends OnPolicyAgent {
  readonly name = 'A2C';
  readonly optimizer: RMSprop;

  constructor(options: A2COptions) {
    super(options, DEFAULTS);
    this.optimizer = new RMSprop(this.policy.parameters(), { lr: scheduleValue(this.base.learningRate, 0), alpha: 0.99, eps: options.rmsPropEps ?? 1e-5 });
  }

  protected optimize(rollout: Rollout): void {
    const mb = this.minibatch(rollout, rollout.valid);
    if (mb.size === 0) return;
    const stats = { policy: 0, value: 0, entropy: 0 };
    this.gradientStep(() => {
      const { logProbs, entropy, values } = this.policy.evaluate(mb.obs, mb.actions, mb.masks);
      const policyLoss = tensor(mb.advantages, [mb.size]).mul(logProbs).mean().neg();
      const valueLoss = values.sub(tensor(mb.returns, [mb.size])).square().mean();
      const ent = entropy.mean();
      stats.policy = policyLoss.item();
      stats.value = valueLoss.item();
      stats.entropy = ent.item();
      return policyLoss.add(valueLoss.mul(this.base.vfCoef)).sub(ent.mul(this.base.entCoef));
    });
    this.losses = stats;
  }
}

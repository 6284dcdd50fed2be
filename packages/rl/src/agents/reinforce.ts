import { tensor, tidy } from '@mapnn/core';
import { Adam, clipGradNorm } from '@mapnn/optimizers';
import type { AgentOptions, LearnRun } from './agent.js';
import type { CheckpointParts } from './checkpoint.js';
import { PolicyAgent } from './policy-agent.js';
import { discountedReturns } from './gae.js';
import { definedOnly } from './on-policy.js';
import type { ActorCriticOptions } from './policy.js';
import { scheduleValue, type Schedule } from './schedule.js';
import { standardize } from './standardize.js';

export interface ReinforceOptions extends AgentOptions, ActorCriticOptions {
  gamma?: number;
  learningRate?: Schedule;
  /** Finished episodes per gradient step (default 8). */
  episodesPerUpdate?: number;
  /** Learn a state-value baseline V(s) and use `G − V(s)` (default true). */
  baseline?: boolean;
  vfCoef?: number;
  entCoef?: number;
  /** Standardize `G − V` over the batch (default true). */
  normalizeAdvantage?: boolean;
  maxGradNorm?: number;
}

const DEFAULTS = {
  gamma: 0.99, learningRate: 1e-3 as Schedule, episodesPerUpdate: 8, baseline: true, vfCoef: 0.5, entCoef: 0,
  normalizeAdvantage: true, maxGradNorm: Infinity,
};

interface EpisodeBuffer {
  obs: number[];
  actions: number[];
  rewards: number[];
  masks: number[];
}

/**
 * REINFORCE (Williams 1992) with an optional learned baseline: whole episodes, returns-to-go
 * `G_t`, loss `−(G_t − V(s_t))·log π(a_t|s_t) + c_v (V(s_t) − G_t)²`. An episode cut by a time
 * limit bootstraps its returns from the value of its final observation. Runs over a vector env;
 * one gradient step per `episodesPerUpdate` finished episodes.
 *
 * @example
 * const agent = new Reinforce({ env: 'CartPole-v1', numEnvs: 8, seed: 0 });
 * await agent.learn(500_000);
 */
export class Reinforce extends PolicyAgent {
  readonly name = 'REINFORCE';
  readonly optimizer: Adam;
  readonly options: typeof DEFAULTS;
  private running: EpisodeBuffer[];
  private batch: { obs: number[]; actions: number[]; returns: number[]; masks: number[]; episodes: number } = emptyBatch();
  updates = 0;

  constructor(options: ReinforceOptions) {
    super(options);
    this.options = { ...DEFAULTS, ...definedOnly(options) } as typeof DEFAULTS;
    this.optimizer = new Adam(this.policy.parameters(), { lr: scheduleValue(this.options.learningRate, 0) });
    this.running = Array.from({ length: this.numEnvs }, emptyEpisode);
  }

  protected async train(run: LearnRun): Promise<void> {
    const n = this.numEnvs;
    const d = this.obsSize;
    const a = this.policy.actionSize;
    const k = this.actionSpace.kind === 'discrete' ? this.actionSpace.n : 0;
    while (!run.done) {
      const obs = this.obs!;
      const masks = this.masks;
      const s = this.policy.sample(obs, n, masks, false, this.generator);
      const { result, next, resetStep } = this.stepEnvs(run, s.envActions);
      for (let i = 0; i < n; i++) {
        if (resetStep[i]) continue;
        const ep = this.running[i]!;
        for (let j = 0; j < d; j++) ep.obs.push(obs[i * d + j]!);
        for (let j = 0; j < a; j++) ep.actions.push(s.actions[i * a + j]!);
        if (k) for (let j = 0; j < k; j++) ep.masks.push(masks ? masks[i * k + j]! : 1);
        ep.rewards.push(result.rewards[i]!);
        if (result.terminations[i] || result.truncations[i]) {
          const bootstrap = result.terminations[i] || !this.options.baseline ? 0 : this.policy.stateValues(next.slice(i * d, (i + 1) * d), 1)[0]!;
          this.finishEpisode(ep, bootstrap);
          this.running[i] = emptyEpisode();
        }
      }
      if (this.batch.episodes >= this.options.episodesPerUpdate) this.update(run.fraction);
      await run.yieldSometimes();
    }
  }

  protected override checkpointParts(): CheckpointParts {
    return {
      ...super.checkpointParts(),
      // the finished episodes not yet trained on; the running ones end with the checkpoint
      extra: {
        save: () => ({ updates: this.updates, batch: this.batch }),
        load: (s) => {
          this.updates = s['updates'] as number;
          this.batch = s['batch'] as ReturnType<typeof emptyBatch>;
        },
      },
    };
  }

  protected override onEnvsReset(): void {
    this.running = Array.from({ length: this.numEnvs }, emptyEpisode);
  }

  private finishEpisode(ep: EpisodeBuffer, bootstrap: number): void {
    const g = discountedReturns(ep.rewards, this.options.gamma, bootstrap);
    this.batch.obs.push(...ep.obs);
    this.batch.actions.push(...ep.actions);
    this.batch.masks.push(...ep.masks);
    for (const v of g) this.batch.returns.push(v);
    this.batch.episodes++;
  }

  /** One gradient step on the finished episodes collected so far. */
  private update(fraction: number): void {
    const b = this.batch.returns.length;
    const o = this.options;
    const obs = tensor(Float32Array.from(this.batch.obs), [b, this.obsSize]);
    const actions = Float32Array.from(this.batch.actions);
    const masks = this.batch.masks.length ? Uint8Array.from(this.batch.masks) : null;
    const returns = Float32Array.from(this.batch.returns);
    this.batch = emptyBatch();
    for (const group of this.optimizer.paramGroups) group.lr = scheduleValue(o.learningRate, fraction);
    const stats = tidy(() => {
      const { logProbs, entropy, values } = this.policy.evaluate(obs, actions, masks);
      const baseline = o.baseline ? values.dataSync() : new Float32Array(b);
      let adv: Float32Array = returns.map((g, i) => g - baseline[i]!);
      if (o.normalizeAdvantage && b > 1) adv = standardize(adv);
      const policyLoss = tensor(adv, [b]).mul(logProbs).mean().neg();
      const valueLoss = o.baseline ? values.sub(tensor(returns, [b])).square().mean() : null;
      const ent = entropy.mean();
      let loss = policyLoss.sub(ent.mul(o.entCoef));
      if (valueLoss) loss = loss.add(valueLoss.mul(o.vfCoef));
      this.optimizer.zeroGrad();
      loss.backward();
      if (Number.isFinite(o.maxGradNorm)) clipGradNorm(this.policy.parameters(), o.maxGradNorm);
      this.optimizer.step();
      return { policy: policyLoss.item(), value: valueLoss ? valueLoss.item() : 0, entropy: ent.item() };
    });
    obs.dispose();
    this.losses = stats;
    this.updates++;
  }
}

function emptyEpisode(): EpisodeBuffer {
  return { obs: [], actions: [], rewards: [], masks: [] };
}

function emptyBatch() {
  return { obs: [] as number[], actions: [] as number[], returns: [] as number[], masks: [] as number[], episodes: 0 };
}

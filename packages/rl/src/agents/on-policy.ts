import { tensor, tidy, type Tensor } from '@mapnn/core';
import { clipGradNorm } from '@mapnn/optimizers';
import type { AgentOptions, LearnRun } from './agent.js';
import type { CheckpointParts } from './checkpoint.js';
import { PolicyAgent } from './policy-agent.js';
import { computeGae } from './gae.js';
import type { ActorCriticOptions } from './policy.js';
import { scheduleValue, type Schedule } from './schedule.js';
import { standardize } from './standardize.js';

export interface OnPolicyOptions extends AgentOptions, ActorCriticOptions {
  /** Steps per env per rollout. */
  nSteps?: number;
  gamma?: number;
  /** GAE λ (1 = Monte-Carlo advantages over the rollout). */
  gaeLambda?: number;
  /** A number, or a function of progress (0 → 1), e.g. `linearSchedule(1e-3, 0, 1)`. */
  learningRate?: Schedule;
  entCoef?: number;
  vfCoef?: number;
  maxGradNorm?: number;
  normalizeAdvantage?: boolean;
}

/** One rollout of `nSteps × numEnvs` transitions, row-major by step. */
export interface Rollout {
  steps: number;
  envs: number;
  obs: Float32Array;
  actions: Float32Array;
  logProbs: Float32Array;
  values: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  masks: Uint8Array | null;
  /** Indices of the real transitions (autoreset steps left out). */
  valid: Int32Array;
}

/**
 * The rollout loop of the on-policy agents (A2C, PPO): `nSteps` steps of every env, GAE on the
 * rollout (truncated episodes bootstrap from their final observation's value), then the
 * subclass's `optimize`.
 */
export abstract class OnPolicyAgent extends PolicyAgent {
  protected readonly base: Required<Pick<OnPolicyOptions, 'nSteps' | 'gamma' | 'gaeLambda' | 'entCoef' | 'vfCoef' | 'maxGradNorm' | 'normalizeAdvantage'>> & { learningRate: Schedule };
  /** Rollouts optimized so far. */
  iterations = 0;

  constructor(options: OnPolicyOptions, defaults: OnPolicyAgent['base']) {
    super(options);
    this.base = { ...defaults, ...definedOnly(options) } as OnPolicyAgent['base'];
  }

  protected async train(run: LearnRun): Promise<void> {
    while (!run.done) {
      const rollout = await this.collect(run);
      for (const group of this.optimizer.paramGroups) group.lr = scheduleValue(this.base.learningRate, run.fraction);
      this.optimize(rollout, run.fraction);
      this.iterations++;
    }
  }

  protected override checkpointParts(): CheckpointParts {
    return {
      ...super.checkpointParts(),
      extra: { save: () => ({ iterations: this.iterations }), load: (s) => void (this.iterations = s['iterations'] as number) },
    };
  }

  /** One optimization phase on a rollout. */
  protected abstract optimize(rollout: Rollout, fraction: number): void;

  /** One gradient step on `loss` over all policy parameters, with norm clipping. */
  protected gradientStep(loss: () => Tensor): number {
    return tidy(() => {
      const l = loss();
      this.optimizer.zeroGrad();
      l.backward();
      if (Number.isFinite(this.base.maxGradNorm)) clipGradNorm(this.policy.parameters(), this.base.maxGradNorm);
      this.optimizer.step();
      return l.item();
    });
  }

  /** The rows `idx` of a rollout as tensors and host arrays. */
  protected minibatch(r: Rollout, idx: ArrayLike<number>) {
    const b = idx.length;
    const d = this.obsSize;
    const a = this.policy.actionSize;
    const k = r.masks ? r.masks.length / (r.steps * r.envs) : 0;
    const obs = new Float32Array(b * d);
    const actions = new Float32Array(b * a);
    const masks = r.masks ? new Uint8Array(b * k) : null;
    const pick = (src: Float32Array) => Float32Array.from(idx, (i) => src[i]!);
    for (let j = 0; j < b; j++) {
      const i = idx[j]!;
      obs.set(r.obs.subarray(i * d, (i + 1) * d), j * d);
      actions.set(r.actions.subarray(i * a, (i + 1) * a), j * a);
      if (masks) masks.set(r.masks!.subarray(i * k, (i + 1) * k), j * k);
    }
    let adv: Float32Array = pick(r.advantages);
    if (this.base.normalizeAdvantage && b > 1) adv = standardize(adv);
    return { size: b, obs: tensor(obs, [b, d]), actions, masks, advantages: adv, returns: pick(r.returns), logProbs: pick(r.logProbs), values: pick(r.values) };
  }

  private async collect(run: LearnRun): Promise<Rollout> {
    const { nSteps, gamma, gaeLambda } = this.base;
    const n = this.numEnvs;
    const d = this.obsSize;
    const a = this.policy.actionSize;
    const total = nSteps * n;
    const k = this.actionSpace.kind === 'discrete' ? this.actionSpace.n : 0;
    const r = {
      obs: new Float32Array(total * d), actions: new Float32Array(total * a), logProbs: new Float32Array(total),
      values: new Float32Array(total), rewards: new Float32Array(total), terminations: new Uint8Array(total),
      dones: new Uint8Array(total), valid: [] as number[], masks: null as Uint8Array | null,
    };
    for (let t = 0; t < nSteps; t++) {
      const obs = this.obs!;
      const masks = this.masks;
      if (masks && !r.masks) r.masks = new Uint8Array(total * k).fill(1);
      const s = this.policy.sample(obs, n, masks, false, this.generator);
      const { result, resetStep } = this.stepEnvs(run, s.envActions);
      r.obs.set(obs, t * n * d);
      r.actions.set(s.actions, t * n * a);
      r.logProbs.set(s.logProbs, t * n);
      r.values.set(s.values, t * n);
      if (masks) r.masks!.set(masks, t * n * k);
      for (let i = 0; i < n; i++) {
        const j = t * n + i;
        r.rewards[j] = result.rewards[i]!;
        r.terminations[j] = result.terminations[i]!;
        r.dones[j] = result.terminations[i]! | result.truncations[i]!;
        if (!resetStep[i]) r.valid.push(j);
      }
      await run.yieldSometimes();
    }
    const lastValues = this.policy.stateValues(this.obs!, n);
    const { advantages, returns } = computeGae({
      steps: nSteps, envs: n, rewards: r.rewards, values: r.values, lastValues,
      terminations: r.terminations, dones: r.dones, gamma, lambda: gaeLambda,
    });
    return { steps: nSteps, envs: n, obs: r.obs, actions: r.actions, logProbs: r.logProbs, values: r.values, advantages, returns, masks: r.masks, valid: Int32Array.from(r.valid) };
  }
}

/** The keys of `o` whose value is not undefined (so defaults survive `{ ...defaults, ...o }`). */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

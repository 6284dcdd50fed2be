import { Generator, gather, logSoftmax, noGrad, tensor, tidy, type Tensor } from '@mapnn/core';
import { Module, parameter, type Sequential } from '@mapnn/layers';
import type { Space } from '../types.js';
import { mlp, type Activation } from './networks.js';

const LOG_2PI = Math.log(2 * Math.PI);
/** Added to masked-out logits: far below any real logit, still finite in float32. */
const MASKED_LOGIT = -1e9;

export interface ActorCriticOptions {
  hidden?: number[];
  activation?: Activation;
  /** Initial log standard deviation of a Gaussian policy (default 0). */
  logStdInit?: number;
  /** Orthogonal init as Stable-Baselines3 (default true). */
  orthogonalInit?: boolean;
}

/** Host-side results of acting on a batch. */
export interface PolicySample {
  /** The sampled (or mode) actions as stored: index for discrete, unclipped floats for Box. */
  actions: Float32Array;
  /** What the env gets: Int32Array indices, or floats clipped to the Box bounds. */
  envActions: Int32Array | Float32Array;
  logProbs: Float32Array;
  values: Float32Array;
}

/**
 * A policy network and a value network (separate, as Stable-Baselines3's MlpPolicy) for a
 * Discrete (categorical over logits) or Box (diagonal Gaussian, state-independent log std)
 * action space; `info.action_mask` masks logits. Shared by PPO, A2C and REINFORCE.
 *
 * @example
 * const ac = new ActorCritic(4, new Discrete(2), generator, { hidden: [64, 64] });
 * const { envActions } = ac.sample(features, 8, null, false, generator);
 */
export class ActorCritic extends Module<[Tensor], Tensor> {
  readonly actor: Sequential;
  readonly critic: Sequential;
  readonly logStd: Tensor | null;
  readonly actionSize: number;
  private readonly low: Float32Array | null;
  private readonly high: Float32Array | null;

  constructor(readonly obsSize: number, readonly actionSpace: Space, generator: Generator, options: ActorCriticOptions = {}) {
    super();
    const hidden = options.hidden ?? [64, 64];
    const activation = options.activation ?? 'tanh';
    const init = options.orthogonalInit === false ? 'default' : 'orthogonal';
    if (actionSpace.kind === 'multi-discrete') throw new Error(`ActorCritic: MultiDiscrete actions are not supported yet, got ${actionSpace.toString()}`);
    const discrete = actionSpace.kind === 'discrete';
    this.actionSize = discrete ? 1 : actionSpace.shape.reduce((a, b) => a * b, 1);
    const outDim = discrete ? actionSpace.n : this.actionSize;
    this.actor = mlp(obsSize, outDim, { hidden, activation, generator, init, outputGain: 0.01 });
    this.critic = mlp(obsSize, 1, { hidden, activation, generator, init, outputGain: 1 });
    this.logStd = discrete ? null : parameter(tensor(new Float32Array(this.actionSize).fill(options.logStdInit ?? 0), [this.actionSize]));
    this.low = discrete ? null : Float32Array.from(actionSpace.low);
    this.high = discrete ? null : Float32Array.from(actionSpace.high);
  }

  /** The deterministic policy: logits (discrete) or the Gaussian mean (Box). */
  override forward(x: Tensor): Tensor {
    return this.actor.call(x);
  }

  get discrete(): boolean {
    return this.logStd === null;
  }

  /** Actions, log-probabilities and values for `count` feature rows, computed without gradients. */
  sample(features: Float32Array, count: number, masks: Uint8Array | null, deterministic: boolean, g: Generator): PolicySample {
    const { out, values } = tidy(() => noGrad(() => {
      const x = tensor(features, [count, this.obsSize]);
      return { out: Float32Array.from(this.actor.call(x).dataSync()), values: Float32Array.from(this.critic.call(x).dataSync()) };
    }));
    return this.discrete ? this.sampleDiscrete(out, values, count, masks, deterministic, g) : this.sampleGaussian(out, values, count, deterministic, g);
  }

  /** V(s) for `count` feature rows, without gradients. */
  stateValues(features: Float32Array, count: number): Float32Array {
    return tidy(() => noGrad(() => Float32Array.from(this.critic.call(tensor(features, [count, this.obsSize])).dataSync())));
  }

  /**
   * Log-probabilities of `actions` under the current policy, the entropy per row and V(s), as
   * tensors with gradients (for the losses).
   */
  evaluate(obs: Tensor, actions: Float32Array, masks: Uint8Array | null): { logProbs: Tensor; entropy: Tensor; values: Tensor } {
    const b = obs.shape[0]!;
    const values = this.critic.call(obs).reshape([b]);
    const out = this.actor.call(obs);
    if (this.discrete) {
      const k = out.shape[1]!;
      const logits = masks ? out.add(maskOffsets(masks, b, k)) : out;
      const logp = logSoftmax(logits, 1);
      const index = tensor(Int32Array.from(actions), [b, 1], 'int32');
      const entropy = logp.exp().mul(logp).sum(1).neg();
      return { logProbs: gather(logp, 1, index).reshape([b]), entropy, values };
    }
    const logStd = this.logStd!;
    const a = tensor(actions, [b, this.actionSize]);
    const z = a.sub(out).div(logStd.exp());
    const logProbs = z.square().mul(-0.5).sub(logStd).sub(0.5 * LOG_2PI).sum(1);
    // the same for every row: a scalar (the losses take its mean)
    const entropy = logStd.add(0.5 + 0.5 * LOG_2PI).sum();
    return { logProbs, entropy, values };
  }

  private sampleDiscrete(logits: Float32Array, values: Float32Array, count: number, masks: Uint8Array | null, deterministic: boolean, g: Generator): PolicySample {
    const k = logits.length / count;
    const actions = new Float32Array(count);
    const envActions = new Int32Array(count);
    const logProbs = new Float32Array(count);
    const p = new Float64Array(k);
    for (let i = 0; i < count; i++) {
      let m = -Infinity;
      for (let a = 0; a < k; a++) {
        const allowed = !masks || masks[i * k + a];
        p[a] = allowed ? logits[i * k + a]! : -Infinity;
        if (p[a]! > m) m = p[a]!;
      }
      if (m === -Infinity) throw new Error(`ActorCritic: env ${i} masks out every action`);
      let total = 0;
      for (let a = 0; a < k; a++) total += p[a] = Math.exp(p[a]! - m);
      let choice = 0;
      if (deterministic) {
        for (let a = 1; a < k; a++) if (p[a]! > p[choice]!) choice = a;
      } else {
        let u = g.nextFloat() * total;
        choice = -1;
        for (let a = 0; a < k; a++) {
          if (p[a] === 0) continue;
          choice = a;
          u -= p[a]!;
          if (u < 0) break;
        }
      }
      actions[i] = choice;
      envActions[i] = choice;
      logProbs[i] = Math.log(p[choice]! / total);
    }
    return { actions, envActions, logProbs, values };
  }

  private sampleGaussian(mean: Float32Array, values: Float32Array, count: number, deterministic: boolean, g: Generator): PolicySample {
    const d = this.actionSize;
    const logStd = this.logStd!.dataSync();
    const actions = new Float32Array(count * d);
    const envActions = new Float32Array(count * d);
    const logProbs = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      let lp = 0;
      for (let j = 0; j < d; j++) {
        const eps = deterministic ? 0 : g.nextNormal();
        const a = mean[i * d + j]! + Math.exp(logStd[j]!) * eps;
        actions[i * d + j] = a;
        envActions[i * d + j] = Math.min(this.high![j]!, Math.max(this.low![j]!, a));
        lp += -0.5 * eps * eps - logStd[j]! - 0.5 * LOG_2PI;
      }
      logProbs[i] = lp;
    }
    return { actions, envActions, logProbs, values };
  }
}

/** 0 where allowed, a very negative number where masked: added to logits. */
function maskOffsets(masks: Uint8Array, b: number, k: number): Tensor {
  const off = new Float32Array(b * k);
  for (let i = 0; i < b * k; i++) off[i] = masks[i] ? 0 : MASKED_LOGIT;
  return tensor(off, [b, k]);
}

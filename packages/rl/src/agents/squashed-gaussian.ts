import { clip, concat, softplus, tensor, type Tensor } from '@mapnn/core';
import { Linear, Module, ReLU, Sequential } from '@mapnn/layers';
import type { Generator } from '@mapnn/core';
import { mlp } from './networks.js';

const LOG_2PI = Math.log(2 * Math.PI);
/** Stable-Baselines3's bounds on the log standard deviation. */
export const LOG_STD_MIN = -20;
export const LOG_STD_MAX = 2;

/**
 * SAC's actor: an MLP trunk with a mean head and a log-std head; actions are `tanh` of a
 * Gaussian sample, in [−1, 1] (the agent rescales them to the Box). `forward` is the
 * deterministic action `tanh(mean)`.
 *
 * @example
 * const actor = new SquashedGaussianActor(3, 1, [256, 256], generator);
 * const { actions, logProbs } = actor.sample(obs, noise);
 */
export class SquashedGaussianActor extends Module {
  readonly trunk: Sequential;
  readonly mean: Linear;
  readonly logStd: Linear;

  constructor(obsSize: number, readonly actionSize: number, hidden: number[], generator: Generator) {
    super();
    const width = hidden[hidden.length - 1]!;
    this.trunk = new Sequential(...mlp(obsSize, width, { hidden: hidden.slice(0, -1), activation: 'relu', generator }).layers(), new ReLU());
    this.mean = new Linear(width, actionSize, { generator });
    this.logStd = new Linear(width, actionSize, { generator });
  }

  forward(x: Tensor): Tensor {
    return this.mean.call(this.trunk.call(x)).tanh();
  }

  /**
   * Reparameterized samples `a = tanh(μ + σ·ε)` for the given standard-normal `noise`
   * ([batch, actionSize]) and their log-densities with the tanh correction
   * `log(1 − tanh²u) = 2(log 2 − u − softplus(−2u))`.
   */
  sample(obs: Tensor, noise: Tensor): { actions: Tensor; logProbs: Tensor } {
    const h = this.trunk.call(obs);
    const mu = this.mean.call(h);
    const logStd = clip(this.logStd.call(h), LOG_STD_MIN, LOG_STD_MAX);
    const u = mu.add(logStd.exp().mul(noise));
    const gaussian = noise.square().mul(-0.5).sub(logStd).sub(0.5 * LOG_2PI);
    const correction = u.neg().add(Math.LN2).sub(softplus(u.mul(-2))).mul(2);
    return { actions: u.tanh(), logProbs: gaussian.sub(correction).sum(1) };
  }
}

/** A Q-network over `[obs, action]`. */
export class QNetwork extends Module<[Tensor, Tensor], Tensor> {
  readonly net: Sequential;

  constructor(obsSize: number, actionSize: number, hidden: number[], generator: Generator) {
    super();
    this.net = mlp(obsSize + actionSize, 1, { hidden, activation: 'relu', generator });
  }

  forward(obs: Tensor, action: Tensor): Tensor {
    return this.net.call(concat([obs, action], 1)).reshape([obs.shape[0]!]);
  }
}

/** Standard-normal noise drawn from the agent's generator. */
export function normalNoise(g: Generator, rows: number, cols: number): Tensor {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = g.nextNormal();
  return tensor(out, [rows, cols]);
}

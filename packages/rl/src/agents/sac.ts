import { minimum, noGrad, tensor, tidy, type Tensor } from '@mapnn/core';
import { Module, parameter } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import type { BoxSpace } from '../types.js';
import { Agent, type AgentOptions, type LearnRun } from './agent.js';
import type { CheckpointParts } from './checkpoint.js';
import { definedOnly } from './on-policy.js';
import { ReplayBuffer } from './replay-buffer.js';
import { normalNoise, QNetwork, SquashedGaussianActor } from './squashed-gaussian.js';
import { copyParameters, polyakUpdate } from './target.js';

export interface SACOptions extends AgentOptions {
  hidden?: number[];
  learningRate?: number;
  bufferSize?: number;
  /** Steps of uniformly random actions before learning (default 100). */
  learningStarts?: number;
  batchSize?: number;
  gamma?: number;
  /** Polyak factor of the target critics (default 0.005). */
  tau?: number;
  trainFreq?: number;
  gradientSteps?: number;
  /** Entropy coefficient α: a number (fixed) or `'auto'` (learned, default) with initial value `entCoefInit`. */
  entCoef?: number | 'auto';
  entCoefInit?: number;
  /** Target entropy for `'auto'` (default −action size). */
  targetEntropy?: number;
}

const DEFAULTS = {
  hidden: [256, 256], learningRate: 3e-4, bufferSize: 1_000_000, learningStarts: 100, batchSize: 256, gamma: 0.99,
  tau: 0.005, trainFreq: 1, gradientSteps: 1, entCoef: 'auto' as number | 'auto', entCoefInit: 1,
};

/**
 * Soft actor-critic (Haarnoja et al. 2018) for Box actions, Stable-Baselines3's variant: twin
 * Q-networks with Polyak-averaged targets, a tanh-squashed Gaussian actor trained through the
 * reparameterization, and a learned entropy coefficient with target entropy −|A|. Truncated
 * episodes bootstrap from the final observation.
 *
 * @example
 * const agent = new SAC({ env: 'Pendulum-v1', seed: 0, learningRate: 1e-3 });
 * await agent.learn(20_000);
 */
export class SAC extends Agent {
  readonly name = 'SAC';
  readonly options: typeof DEFAULTS & { targetEntropy?: number };
  readonly actor: SquashedGaussianActor;
  readonly q1: QNetwork;
  readonly q2: QNetwork;
  readonly q1Target: QNetwork;
  readonly q2Target: QNetwork;
  readonly logAlpha: Tensor;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly alphaOptimizer: Adam | null;
  readonly buffer: ReplayBuffer;
  readonly actionSize: number;
  private readonly space: BoxSpace;
  updates = 0;

  constructor(options: SACOptions) {
    super(options);
    if (this.actionSpace.kind !== 'box') throw new Error(`SAC: needs a Box action space, got ${this.actionSpace.toString()}`);
    this.space = this.actionSpace;
    this.options = { ...DEFAULTS, ...definedOnly(options) } as SAC['options'];
    const o = this.options;
    const g = this.generator;
    this.actionSize = this.space.low.length;
    this.actor = new SquashedGaussianActor(this.obsSize, this.actionSize, o.hidden, g);
    this.q1 = new QNetwork(this.obsSize, this.actionSize, o.hidden, g);
    this.q2 = new QNetwork(this.obsSize, this.actionSize, o.hidden, g);
    this.q1Target = new QNetwork(this.obsSize, this.actionSize, o.hidden, g);
    this.q2Target = new QNetwork(this.obsSize, this.actionSize, o.hidden, g);
    copyParameters(this.q1, this.q1Target);
    copyParameters(this.q2, this.q2Target);
    const alpha0 = o.entCoef === 'auto' ? o.entCoefInit : o.entCoef;
    this.logAlpha = parameter(tensor(Float32Array.of(Math.log(alpha0)), [1]));
    this.actorOptimizer = new Adam(this.actor.parameters(), { lr: o.learningRate });
    this.criticOptimizer = new Adam([...this.q1.parameters(), ...this.q2.parameters()], { lr: o.learningRate });
    this.alphaOptimizer = o.entCoef === 'auto' ? new Adam([this.logAlpha], { lr: o.learningRate }) : null;
    this.buffer = new ReplayBuffer(o.bufferSize, this.obsSize, this.actionSize);
  }

  /** The entropy coefficient α now. */
  get alpha(): number {
    return Math.exp(this.logAlpha.item());
  }

  policyModule() {
    return { module: new ScaledActor(this.actor, this.space) as Module, output: 'action' as const };
  }

  protected async train(run: LearnRun): Promise<void> {
    const o = this.options;
    const n = this.numEnvs;
    const d = this.obsSize;
    const k = this.actionSize;
    while (!run.done) {
      const obs = this.obs!;
      const squashed = this.steps < o.learningStarts ? this.uniformActions(n) : this.sampleSquashed(obs, n, false);
      const before = this.steps;
      const { result, next, resetStep } = this.stepEnvs(run, this.rescale(squashed));
      for (let i = 0; i < n; i++) {
        if (resetStep[i]) continue;
        this.buffer.add(obs.subarray(i * d, (i + 1) * d), squashed.subarray(i * k, (i + 1) * k), result.rewards[i]!,
          next.subarray(i * d, (i + 1) * d), result.terminations[i] ? 0 : o.gamma);
      }
      const crossed = Math.floor(this.steps / o.trainFreq) > Math.floor(before / o.trainFreq);
      if (this.steps > o.learningStarts && crossed) for (let s = 0; s < o.gradientSteps; s++) this.update();
      await run.yieldSometimes();
    }
  }

  protected act(features: Float32Array, count: number, deterministic: boolean): Float32Array {
    return this.rescale(this.sampleSquashed(features, count, deterministic));
  }

  protected checkpointParts(): CheckpointParts {
    return {
      modules: { actor: this.actor, q1: this.q1, q2: this.q2, q1Target: this.q1Target, q2Target: this.q2Target },
      tensors: { logAlpha: this.logAlpha },
      optimizers: { actor: this.actorOptimizer, critic: this.criticOptimizer, alpha: this.alphaOptimizer },
      buffer: this.buffer,
      extra: { save: () => ({ updates: this.updates }), load: (s) => void (this.updates = s['updates'] as number) },
    };
  }

  protected disposeNetworks(): void {
    for (const m of [this.actor, this.q1, this.q2, this.q1Target, this.q2Target]) m.dispose();
    this.logAlpha.dispose();
    this.actorOptimizer.dispose();
    this.criticOptimizer.dispose();
    this.alphaOptimizer?.dispose();
  }

  /** One SAC gradient step (entropy coefficient, critics, actor, targets) on a replay batch. */
  update(): void {
    const o = this.options;
    if (this.buffer.size < 1) return;
    const batch = this.buffer.sample(o.batchSize, this.generator);
    const b = batch.size;
    const d = this.obsSize;
    const k = this.actionSize;
    const targetEntropy = o.targetEntropy ?? -k;
    this.losses = tidy(() => {
      const obs = tensor(batch.obs, [b, d]);
      const nextObs = tensor(batch.nextObs, [b, d]);
      const actions = tensor(batch.actions, [b, k]);
      const pi = this.actor.sample(obs, normalNoise(this.generator, b, k));
      let alphaLoss = 0;
      if (this.alphaOptimizer) {
        const l = this.logAlpha.mul(pi.logProbs.detach().add(targetEntropy)).mean().neg();
        this.alphaOptimizer.zeroGrad();
        l.backward();
        this.alphaOptimizer.step();
        alphaLoss = l.item();
      }
      const alpha = this.alpha;
      const y = noGrad(() => {
        const nextPi = this.actor.sample(nextObs, normalNoise(this.generator, b, k));
        const qNext = minimum(this.q1Target.call(nextObs, nextPi.actions), this.q2Target.call(nextObs, nextPi.actions)).sub(nextPi.logProbs.mul(alpha));
        return tensor(batch.rewards, [b]).add(tensor(batch.discounts, [b]).mul(qNext));
      });
      const criticLoss = this.q1.call(obs, actions).sub(y).square().mean().add(this.q2.call(obs, actions).sub(y).square().mean()).mul(0.5);
      this.criticOptimizer.zeroGrad();
      criticLoss.backward();
      this.criticOptimizer.step();
      const qPi = minimum(this.q1.call(obs, pi.actions), this.q2.call(obs, pi.actions));
      const actorLoss = pi.logProbs.mul(alpha).sub(qPi).mean();
      this.actorOptimizer.zeroGrad();
      actorLoss.backward();
      this.actorOptimizer.step();
      return { critic: criticLoss.item(), actor: actorLoss.item(), alpha, alphaLoss };
    });
    polyakUpdate(this.q1, this.q1Target, o.tau);
    polyakUpdate(this.q2, this.q2Target, o.tau);
    this.updates++;
  }

  private sampleSquashed(features: Float32Array, count: number, deterministic: boolean): Float32Array {
    return tidy(() => noGrad(() => {
      const x = tensor(features, [count, this.obsSize]);
      const a = deterministic ? this.actor.call(x) : this.actor.sample(x, normalNoise(this.generator, count, this.actionSize)).actions;
      return Float32Array.from(a.dataSync());
    }));
  }

  private uniformActions(count: number): Float32Array {
    const out = new Float32Array(count * this.actionSize);
    for (let i = 0; i < out.length; i++) out[i] = 2 * this.generator.nextFloat() - 1;
    return out;
  }

  /** [−1, 1] → the Box bounds. */
  private rescale(squashed: Float32Array): Float32Array {
    const { low, high } = this.space;
    const k = this.actionSize;
    return squashed.map((v, i) => low[i % k]! + 0.5 * (v + 1) * (high[i % k]! - low[i % k]!));
  }
}

/** The deterministic SAC policy in env units: `low + (tanh(μ) + 1)/2 · (high − low)` (for export). */
export class ScaledActor extends Module {
  private readonly offset: Tensor;
  private readonly scale: Tensor;

  constructor(readonly actor: SquashedGaussianActor, space: BoxSpace) {
    super();
    const k = space.low.length;
    const scale = Float32Array.from({ length: k }, (_, i) => 0.5 * (space.high[i]! - space.low[i]!));
    const offset = Float32Array.from({ length: k }, (_, i) => space.low[i]! + scale[i]!);
    this.scale = tensor(scale, [k]);
    this.offset = tensor(offset, [k]);
  }

  forward(x: Tensor): Tensor {
    return this.actor.call(x).mul(this.scale).add(this.offset);
  }
}

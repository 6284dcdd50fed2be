import { argmax, gather, max, noGrad, square, tensor, tidy, type Tensor } from '@mapnn/core';
import { huberLoss, type Module } from '@mapnn/layers';
import { Adam, clipGradNorm } from '@mapnn/optimizers';
import { Agent, type AgentOptions, type LearnRun } from './agent.js';
import type { CheckpointParts } from './checkpoint.js';
import { NStepAccumulator } from './n-step.js';
import { DuelingQNetwork, mlp, type Activation } from './networks.js';
import { PrioritizedReplayBuffer } from './prioritized-replay.js';
import { ReplayBuffer, type ReplayBatch } from './replay-buffer.js';
import { copyParameters, polyakUpdate } from './target.js';

export interface DQNOptions extends AgentOptions {
  /** Hidden widths of the Q-network (default [64, 64]). */
  hidden?: number[];
  activation?: Activation;
  learningRate?: number;
  /** Replay capacity in transitions (default 100 000). */
  bufferSize?: number;
  /** Environment steps of random-free collection before the first update (default 1000). */
  learningStarts?: number;
  batchSize?: number;
  gamma?: number;
  /** Polyak factor of the target update: 1 = hard copy (default 1). */
  tau?: number;
  /** Environment steps between target updates (default 10 000 hard / every train step soft). */
  targetUpdateInterval?: number;
  /** Environment steps between training rounds (default 4). */
  trainFreq?: number;
  /** Gradient steps per training round (default 1). */
  gradientSteps?: number;
  /** Fraction of training over which ε falls from `explorationInitialEps` to `explorationFinalEps`. */
  explorationFraction?: number;
  explorationInitialEps?: number;
  explorationFinalEps?: number;
  /** Gradient norm clip (default 10, as Stable-Baselines3; `Infinity` to disable). */
  maxGradNorm?: number;
  /** 'huber' (default, smooth L1 with δ = 1) or 'mse'. */
  loss?: 'huber' | 'mse';
  /** Double DQN targets (van Hasselt et al. 2016): the online net picks a', the target net rates it. */
  double?: boolean;
  /** Dueling heads (Wang et al. 2016). */
  dueling?: boolean;
  /** n-step returns (default 1). */
  nStep?: number;
  /** Prioritized replay (Schaul et al. 2016): `true` or its α / β₀. */
  prioritized?: boolean | { alpha?: number; beta0?: number };
}

const DEFAULTS = {
  hidden: [64, 64], activation: 'relu' as Activation, learningRate: 1e-4, bufferSize: 100_000, learningStarts: 1000,
  batchSize: 32, gamma: 0.99, tau: 1, targetUpdateInterval: 10_000, trainFreq: 4, gradientSteps: 1,
  explorationFraction: 0.1, explorationInitialEps: 1, explorationFinalEps: 0.05, maxGradNorm: 10,
  loss: 'huber' as 'huber' | 'mse', double: false, dueling: false, nStep: 1,
};

/**
 * Deep Q-learning (Mnih et al. 2015) with the usual improvements, each an option: replay buffer,
 * target network (hard copy or Polyak), a linear ε schedule, Double DQN, dueling heads,
 * n-step returns, Huber loss, gradient clipping and prioritized replay. Discrete actions;
 * `info.action_mask` (see `ActionMasking`) restricts exploration and greedy choices.
 *
 * Truncated episodes bootstrap from the value of their final observation; only termination
 * ends the return.
 *
 * @example
 * const agent = new DQN({ env: 'CartPole-v1', seed: 1, hidden: [256, 256], learningRate: 2.3e-3,
 *   batchSize: 64, learningStarts: 1000, targetUpdateInterval: 10, trainFreq: 256, gradientSteps: 128,
 *   explorationFraction: 0.16, explorationFinalEps: 0.04 });
 * await agent.learn(50_000);
 * agent.predict(obs); // Int32Array [action]
 */
export class DQN extends Agent {
  readonly name = 'DQN';
  readonly options: typeof DEFAULTS & DQNOptions;
  readonly q: Module;
  readonly target: Module;
  readonly optimizer: Adam;
  readonly buffer: ReplayBuffer;
  private readonly nSteps: NStepAccumulator[];
  private readonly numActions: number;
  private readonly beta0: number;
  /** Gradient steps taken. */
  updates = 0;

  constructor(options: DQNOptions) {
    super(options);
    this.options = { ...DEFAULTS, ...options };
    if (this.actionSpace.kind !== 'discrete') throw new Error(`DQN: needs a Discrete action space, got ${this.actionSpace.toString()}`);
    this.numActions = this.actionSpace.n;
    const o = this.options;
    const make = () => (o.dueling
      ? new DuelingQNetwork(this.obsSize, this.numActions, { hidden: o.hidden, activation: o.activation, generator: this.generator })
      : mlp(this.obsSize, this.numActions, { hidden: o.hidden, activation: o.activation, generator: this.generator }));
    this.q = make();
    this.target = make();
    copyParameters(this.q, this.target);
    this.target.eval();
    this.optimizer = new Adam(this.q.parameters(), { lr: o.learningRate });
    const per = o.prioritized;
    this.beta0 = typeof per === 'object' ? (per.beta0 ?? 0.4) : 0.4;
    this.buffer = per
      ? new PrioritizedReplayBuffer(o.bufferSize, this.obsSize, 1, { alpha: typeof per === 'object' ? per.alpha : undefined })
      : new ReplayBuffer(o.bufferSize, this.obsSize, 1);
    this.nSteps = Array.from({ length: this.numEnvs }, () => new NStepAccumulator(o.nStep, o.gamma));
  }

  /** ε at a point of training (0 … 1). */
  epsilon(fraction: number): number {
    const o = this.options;
    if (fraction >= o.explorationFraction) return o.explorationFinalEps;
    return o.explorationInitialEps + (o.explorationFinalEps - o.explorationInitialEps) * (fraction / o.explorationFraction);
  }

  policyModule() {
    return { module: this.q, output: 'q-values' as const };
  }

  protected async train(run: LearnRun): Promise<void> {
    const o = this.options;
    while (!run.done) {
      const obs = this.obs!;
      const actions = this.explore(obs, this.epsilon(run.fraction), this.steps < o.learningStarts);
      const before = this.steps;
      const { result, next, resetStep } = this.stepEnvs(run, actions);
      this.store(obs, actions, result.rewards, next, result.terminations, result.truncations, resetStep);
      this.afterStep(before, run);
      await run.yieldSometimes();
    }
  }

  protected act(features: Float32Array, count: number, deterministic: boolean, masks: Uint8Array | null): Int32Array {
    if (!deterministic) return this.explore(features, this.options.explorationFinalEps, false, masks, count);
    return this.greedy(features, count, masks);
  }

  protected checkpointParts(): CheckpointParts {
    return {
      modules: { q: this.q, target: this.target }, optimizers: { optimizer: this.optimizer }, buffer: this.buffer,
      extra: { save: () => ({ updates: this.updates }), load: (s) => void (this.updates = s['updates'] as number) },
    };
  }

  protected override onEnvsReset(): void {
    for (const acc of this.nSteps) acc.clear();
  }

  protected disposeNetworks(): void {
    this.q.dispose();
    this.target.dispose();
    this.optimizer.dispose();
  }

  /** ε-greedy actions for every env (all random while `random`). */
  private explore(features: Float32Array, eps: number, random: boolean, masks = this.masks, count = this.numEnvs): Int32Array {
    const g = this.generator;
    const k = this.numActions;
    const out = new Int32Array(count);
    const needGreedy: number[] = [];
    for (let i = 0; i < count; i++) {
      if (random || g.nextFloat() < eps) out[i] = randomAllowed(g, k, masks, i);
      else needGreedy.push(i);
    }
    if (needGreedy.length > 0) {
      const greedy = this.greedy(features, count, masks);
      for (const i of needGreedy) out[i] = greedy[i]!;
    }
    return out;
  }

  private greedy(features: Float32Array, count: number, masks: Uint8Array | null): Int32Array {
    const q = tidy(() => noGrad(() => this.q.call(tensor(features, [count, this.obsSize])).dataSync()));
    const k = this.numActions;
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      let best = -1;
      for (let a = 0; a < k; a++) {
        if (masks && !masks[i * k + a]) continue;
        if (best < 0 || q[i * k + a]! > q[i * k + best]!) best = a;
      }
      out[i] = Math.max(best, 0);
    }
    return out;
  }

  private store(obs: Float32Array, actions: Int32Array, rewards: ArrayLike<number>, next: Float32Array, term: Uint8Array, trunc: Uint8Array, resetStep: Uint8Array): void {
    const d = this.obsSize;
    for (let i = 0; i < this.numEnvs; i++) {
      // under next-step autoreset, the step after an episode's end only resets that env
      if (resetStep[i]) continue;
      const folded = this.nSteps[i]!.push(obs.slice(i * d, (i + 1) * d), Float32Array.of(actions[i]!), rewards[i]!,
        next.slice(i * d, (i + 1) * d), !!term[i], !!trunc[i]);
      for (const t of folded) this.buffer.add(t.obs, t.action, t.reward, t.nextObs, t.discount);
    }
  }

  /** Training rounds and target updates due in the env steps just taken (SB3's counting). */
  private afterStep(before: number, run: LearnRun): void {
    const o = this.options;
    const crossed = (every: number) => Math.floor(this.steps / every) > Math.floor(before / every);
    if (this.steps > o.learningStarts && crossed(o.trainFreq)) {
      for (let s = 0; s < o.gradientSteps; s++) this.update(run.fraction);
    }
    if (crossed(o.targetUpdateInterval)) {
      if (o.tau >= 1) copyParameters(this.q, this.target);
      else polyakUpdate(this.q, this.target, o.tau);
    }
  }

  /** One gradient step on a replay batch; returns the mean loss. */
  update(fraction = 1): number {
    const o = this.options;
    if (this.buffer.size < o.batchSize) return NaN;
    const per = this.buffer instanceof PrioritizedReplayBuffer ? this.buffer : null;
    const batch = per ? per.sample(o.batchSize, this.generator, this.beta0 + (1 - this.beta0) * fraction) : this.buffer.sample(o.batchSize, this.generator);
    const { loss, td } = tidy(() => {
      const { loss: l, td: t } = this.lossOf(batch);
      this.optimizer.zeroGrad();
      l.backward();
      if (Number.isFinite(o.maxGradNorm)) clipGradNorm(this.q.parameters(), o.maxGradNorm);
      this.optimizer.step();
      return { loss: l.item(), td: per ? Float32Array.from(t.dataSync()) : null };
    });
    if (per && td) per.updatePriorities(batch.indices, td);
    this.updates++;
    this.losses = { loss };
    return loss;
  }

  /** The TD loss of a batch (importance-weighted under prioritized replay) and its TD errors. */
  private lossOf(batch: ReplayBatch): { loss: Tensor; td: Tensor } {
    const b = batch.size;
    const d = this.obsSize;
    const targets = noGrad(() => {
      const nextObs = tensor(batch.nextObs, [b, d]);
      const qNext = this.target.call(nextObs);
      const best = this.options.double
        ? gather(qNext, 1, argmax(this.q.call(nextObs), 1, true)).reshape([b])
        : max(qNext, 1);
      return tensor(batch.rewards, [b]).add(tensor(batch.discounts, [b]).mul(best));
    });
    const actions = tensor(Int32Array.from(batch.actions), [b, 1], 'int32');
    const q = gather(this.q.call(tensor(batch.obs, [b, d])), 1, actions).reshape([b]);
    const td = q.sub(targets);
    const perSample = this.options.loss === 'mse' ? square(td).mul(0.5) : huberLoss(q, targets, { reduction: 'none' });
    return { loss: perSample.mul(tensor(batch.weights, [b])).mean(), td };
  }
}

function randomAllowed(g: { nextBelow(n: number): number }, k: number, masks: Uint8Array | null, i: number): number {
  if (!masks) return g.nextBelow(k);
  const allowed: number[] = [];
  for (let a = 0; a < k; a++) if (masks[i * k + a]) allowed.push(a);
  if (allowed.length === 0) throw new Error(`DQN: env ${i} masks out every action`);
  return allowed[g.nextBelow(allowed.length)]!;
}

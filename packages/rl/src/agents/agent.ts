import { Generator } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import type { Info, Space, VectorEnv, VectorStepResult } from '../types.js';
import { vectorEnvFor } from './make-envs.js';
import { EpisodeTracker, type LearnCallbacks, type LearnProgress } from './events.js';
import { featureSize, toFeatures } from './features.js';
import { applyCheckpoint, captureCheckpoint, type AgentCheckpoint, type CheckpointParts } from './checkpoint.js';

/** Where an agent acts: a registered env id (made as a vector env here) or a vector env. */
export interface AgentEnvOptions {
  /** A registered id such as `'CartPole-v1'`, or a ready `VectorEnv`. */
  env: string | VectorEnv;
  /** Sub-environments when `env` is an id (default 1). */
  numEnvs?: number;
  /** Keyword arguments for `makeEnv` when `env` is an id. */
  envKwargs?: Record<string, unknown>;
  /** Seeds the weights, the exploration and the environments (default 0). */
  seed?: number;
}

/** What every agent's options share. */
export type AgentOptions = AgentEnvOptions;

/**
 * What the agents share: the vector environment, the seeded generator, the step counter, the
 * episode statistics, progress events and the policy as a Module (for ONNX export).
 *
 * `learn(totalSteps)` trains until `steps` reaches `totalSteps` (a horizon, not an increment),
 * so that schedules that depend on progress continue unchanged after `restore`.
 */
export abstract class Agent {
  abstract readonly name: string;
  readonly envs: VectorEnv;
  readonly envId: string | undefined;
  readonly numEnvs: number;
  readonly observationSpace: Space;
  readonly actionSpace: Space;
  /** Features per observation (one-hot width for discrete observations). */
  readonly obsSize: number;
  readonly seed: number;
  /** Draws everything random the agent does (exploration, minibatches, replay). */
  readonly generator: Generator;
  /** Environment steps taken (all sub-envs together). */
  steps = 0;
  readonly episodes: EpisodeTracker;
  /** The latest loss values (for progress events). */
  protected losses: Record<string, number> = {};
  /** Current observations as features (`null` before the first reset). */
  protected obs: Float32Array | null = null;
  /** Current action masks (numEnvs × n) when the env reports `info.action_mask`. */
  protected masks: Uint8Array | null = null;
  private resets = 0;
  /** The options the agent was made with (checkpoints save them, less `env`). */
  readonly agentOptions: AgentOptions;

  constructor(options: AgentOptions) {
    this.agentOptions = options;
    this.seed = options.seed ?? 0;
    this.generator = new Generator(this.seed);
    if (typeof options.env === 'string') {
      this.envId = options.env;
      this.envs = vectorEnvFor(options.env, options.numEnvs ?? 1, options.envKwargs);
    } else {
      this.envId = undefined;
      this.envs = options.env;
    }
    this.numEnvs = this.envs.numEnvs;
    this.observationSpace = this.envs.singleObservationSpace;
    this.actionSpace = this.envs.singleActionSpace;
    this.obsSize = featureSize(this.observationSpace);
    this.episodes = new EpisodeTracker(this.numEnvs);
  }

  /** Trains until `totalSteps` environment steps have been taken. */
  async learn(totalSteps: number, callbacks: LearnCallbacks = {}): Promise<this> {
    if (!(Number.isInteger(totalSteps) && totalSteps > 0)) throw new Error(`${this.name}.learn: totalSteps must be a positive integer, got ${totalSteps}`);
    const run = new LearnRun(this, totalSteps, callbacks);
    this.ensureReset();
    await this.train(run);
    run.progress(true);
    return this;
  }

  /**
   * Actions for a batch of observations (`count` rows of raw observations as the env returns
   * them): greedy / the distribution's mode when `deterministic` (default), sampled otherwise.
   */
  predict(obs: ArrayLike<number>, options: { count?: number; deterministic?: boolean; masks?: Uint8Array | null } = {}): Int32Array | Float32Array {
    const count = options.count ?? 1;
    return this.act(toFeatures(obs, this.observationSpace, count), count, options.deterministic ?? true, options.masks ?? null);
  }

  /** The policy as a Module from features to its output (Q-values, logits or the deterministic action). */
  abstract policyModule(): { module: Module; output: 'q-values' | 'logits' | 'action' };

  /** Closes the environments and frees the networks. */
  dispose(): void {
    this.envs.close();
    this.disposeNetworks();
  }

  /** Runs the training loop until `run.done`. */
  protected abstract train(run: LearnRun): Promise<void>;

  /** Actions for `count` feature rows (env-ready: Int32Array for discrete, floats for boxes). */
  protected abstract act(features: Float32Array, count: number, deterministic: boolean, masks: Uint8Array | null): Int32Array | Float32Array;

  protected abstract disposeNetworks(): void;

  /** Resets the environments when no episode is running (first use, or after restore). */
  protected ensureReset(): void {
    if (this.obs) return;
    const seed = this.seed + 1_000_003 * this.resets++;
    const { obs, infos } = this.envs.reset({ seed });
    this.obs = toFeatures(obs, this.observationSpace, this.numEnvs);
    this.masks = readMasks(infos, this.actionSpace, this.numEnvs);
    this.episodes.resetRunning();
    this.onEnvsReset();
  }

  /** Called after the envs were reset: agents drop what they kept of the unfinished episodes. */
  protected onEnvsReset(): void {}

  /** Steps the envs, records episodes and progress; returns the step and the new features. */
  protected stepEnvs(run: LearnRun, actions: ArrayLike<number>): { result: VectorStepResult; next: Float32Array; resetStep: Uint8Array } {
    // 1 where this step only resets that env (next-step autoreset): its transition is not real
    const resetStep = new Uint8Array(this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) resetStep[i] = this.episodes.isResetStep(i) ? 1 : 0;
    const result = this.envs.step(actions);
    this.steps += this.numEnvs;
    const next = toFeatures(result.obs, this.observationSpace, this.numEnvs);
    for (const e of this.episodes.record(this.steps, result.rewards, result.terminations, result.truncations)) run.callbacks.onEpisode?.(e);
    this.obs = next;
    this.masks = readMasks(result.infos, this.actionSpace, this.numEnvs);
    run.progress(false);
    return { result, next, resetStep };
  }

  /** Forgets the running episodes so that the next `learn` resets the envs (used by `restore`). */
  protected forgetRunningEpisodes(): void {
    this.obs = null;
    this.masks = null;
  }

  /**
   * Ends the running episodes: the next `learn` resets the envs, as it does after a restore.
   * `learn(N)`, `endEpisodes()`, `learn(M)` is what `learn(N)`, save, load, `learn(M)` repeats exactly.
   */
  endEpisodes(): void {
    this.forgetRunningEpisodes();
  }

  /**
   * The complete training state in memory: networks, optimizer states, replay buffer, RNG,
   * counters and episode statistics (copies). The environments' state is not part of it: a
   * restored agent starts new episodes (see `endEpisodes`).
   *
   * @example
   * const ck = agent.checkpoint();
   * const resumed = restoreAgent(ck); // same class, same state
   */
  checkpoint(): AgentCheckpoint {
    const { env: _env, numEnvs: _n, seed: _s, ...options } = this.agentOptions;
    return captureCheckpoint({
      agent: this.name, envId: this.envId ?? null, numEnvs: this.numEnvs, seed: this.seed, options, steps: this.steps,
      resets: this.resets, generator: this.generator.getState(),
      episodes: { returns: [...this.episodes.history], lengths: [...this.episodes.lengthHistory] },
    }, this.checkpointParts());
  }

  /** Loads a checkpoint of an agent made with the same options (see `restoreAgent`); the envs reset on the next `learn`. */
  loadCheckpoint(ck: AgentCheckpoint): this {
    const m = ck.meta;
    if (m.agent !== this.name || m.numEnvs !== this.numEnvs) {
      throw new Error(`${this.name}.loadCheckpoint: the checkpoint is of ${m.agent} with ${m.numEnvs} envs; expected ${this.name} with ${this.numEnvs}`);
    }
    applyCheckpoint(ck, this.checkpointParts());
    this.steps = m.steps;
    this.resets = m.resets;
    this.generator.setState(m.generator);
    this.episodes.restoreHistory(m.episodes.returns, m.episodes.lengths);
    this.losses = {};
    this.forgetRunningEpisodes();
    return this;
  }

  /** The networks, optimizers, buffer and extras a checkpoint holds. */
  protected abstract checkpointParts(): CheckpointParts;

  /** For LearnRun. */
  lossesSnapshot(): Record<string, number> {
    return { ...this.losses };
  }
}

/** One `learn` call: the horizon, the callbacks, timing and cooperative yielding. */
export class LearnRun {
  private readonly started = performance.now();
  private readonly startStep: number;
  private lastProgress: number;
  private lastYield = performance.now();
  private readonly every: number;

  constructor(private readonly agent: Agent, readonly totalSteps: number, readonly callbacks: LearnCallbacks) {
    this.startStep = agent.steps;
    this.lastProgress = agent.steps;
    this.every = callbacks.progressEvery ?? 1000;
  }

  /** Whether training should stop (horizon reached or aborted). */
  get done(): boolean {
    return this.agent.steps >= this.totalSteps || this.callbacks.signal?.aborted === true;
  }

  /** Progress through the horizon, 0 … 1 (for schedules). */
  get fraction(): number {
    return Math.min(1, this.agent.steps / this.totalSteps);
  }

  progress(final: boolean): void {
    const steps = this.agent.steps;
    if (!final && steps - this.lastProgress < this.every) return;
    this.lastProgress = steps;
    const seconds = (performance.now() - this.started) / 1000;
    const event: LearnProgress = {
      step: steps,
      totalSteps: this.totalSteps,
      stepsPerSecond: seconds > 0 ? (steps - this.startStep) / seconds : 0,
      episodes: this.agent.episodes.history.length,
      meanReturn100: this.agent.episodes.meanOfLast(100),
      losses: this.agent.lossesSnapshot(),
    };
    this.callbacks.onProgress?.(event);
  }

  /** Gives the event loop a turn every ~100 ms (progress bars, Ctrl-C, browsers). */
  async yieldSometimes(): Promise<void> {
    const now = performance.now();
    if (now - this.lastYield < 100) return;
    this.lastYield = now;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** `info.action_mask` of every sub-env as one `numEnvs × n` array, or null when absent. */
function readMasks(infos: Info, space: Space, numEnvs: number): Uint8Array | null {
  const masks = infos['action_mask'] as ArrayLike<ArrayLike<number>> | undefined;
  if (!masks || space.kind !== 'discrete') return null;
  const n = space.n;
  const out = new Uint8Array(numEnvs * n).fill(1);
  for (let i = 0; i < numEnvs; i++) {
    const m = masks[i];
    if (m) for (let a = 0; a < n; a++) out[i * n + a] = m[a] ? 1 : 0;
  }
  return out;
}

import type { Env, Info, Space, SpaceValue, VectorEnv, VectorResetResult, VectorStepResult } from '../types.js';
import { AUTORESET_MODES, type AutoresetMode } from './autoreset-mode.js';
import { addInfo } from './batch-infos.js';
import { actionAt, checkActions, createBatch, writeRow, type BatchArray } from './batch-obs.js';
import { readResetMask, withoutResetMask } from './reset-mask.js';

export interface SyncVectorEnvOptions {
  /** When ended sub-envs are reset (default `'next-step'`, as Gymnasium 1.x). */
  autoresetMode?: AutoresetMode;
}

/** Options of `SyncVectorEnv.reset`: `seed` an int (env i gets `seed + i`) or one per env. */
export interface VectorResetOptions {
  seed?: number | (number | undefined)[];
  /** Given to every sub-env's `reset`; `reset_mask` (one entry per env) resets only those envs. */
  options?: Record<string, unknown>;
}

/** Describes a space for an error message. */
function describe(space: Space): string {
  return `${space.kind} ${space.dtype} [${space.shape.join(', ')}]${space.kind === 'discrete' ? ` n=${space.n}` : ''}`;
}

/** Whether two spaces are the same kind, dtype, shape and (discrete) size. */
function sameSpace(a: Space, b: Space): boolean {
  if (a.kind !== b.kind || a.dtype !== b.dtype || a.shape.length !== b.shape.length) return false;
  if (!a.shape.every((d, i) => d === b.shape[i])) return false;
  if (a.kind === 'discrete' && b.kind === 'discrete') return a.n === b.n && a.start === b.start;
  return true;
}

/**
 * Runs several environments one after the other in this thread, batching their results
 * (Gymnasium 1.x's `SyncVectorEnv`). Observations come back as one typed array of
 * `numEnvs × observation size` (a fresh copy on every call), rewards as a `Float64Array`, the
 * flags as `Uint8Array`s and the infos batched by key with `_key` masks.
 *
 * With the default `'next-step'` autoreset, an env whose episode ended on step t is reset on step
 * t + 1: its action there is ignored, and it returns the reset observation, reward 0, both flags
 * false and the reset info.
 *
 * @example
 * const envs = new SyncVectorEnv([() => makeEnv('CartPole-v1'), () => makeEnv('CartPole-v1')]);
 * const { obs } = envs.reset({ seed: 42 }); // Float32Array(8); env 0 seeded 42, env 1 seeded 43
 * const step = envs.step(Int32Array.of(0, 1));
 * step.rewards; // Float64Array [1, 1]
 */
export class SyncVectorEnv implements VectorEnv {
  readonly envs: Env[];
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  readonly autoresetMode: AutoresetMode;
  /** The first sub-env's metadata plus `autoreset_mode` (read by the vector wrappers). */
  readonly metadata: Record<string, unknown>;
  private readonly observations: SpaceValue[];
  private readonly autoresetEnvs: Uint8Array;
  private needsReset = true;
  private closed = false;

  constructor(envFns: (() => Env)[], options: SyncVectorEnvOptions = {}) {
    if (!Array.isArray(envFns) || envFns.length === 0) throw new Error('SyncVectorEnv: expected a non-empty array of env factories');
    const mode = options.autoresetMode ?? 'next-step';
    if (!AUTORESET_MODES.includes(mode)) throw new Error(`SyncVectorEnv: autoresetMode must be one of ${AUTORESET_MODES.join(', ')}, got ${String(mode)}`);
    this.autoresetMode = mode;
    this.envs = envFns.map((fn) => fn());
    this.numEnvs = this.envs.length;
    this.singleObservationSpace = this.envs[0].observationSpace;
    this.singleActionSpace = this.envs[0].actionSpace;
    this.checkSpaces();
    this.metadata = { ...(this.envs[0].metadata ?? {}), autoreset_mode: mode };
    this.observations = new Array<SpaceValue>(this.numEnvs);
    this.autoresetEnvs = new Uint8Array(this.numEnvs);
  }

  /** Throws unless every sub-env has the first one's observation and action spaces. */
  private checkSpaces(): void {
    this.envs.forEach((env, i) => {
      if (!sameSpace(env.observationSpace, this.singleObservationSpace)) {
        throw new Error(`SyncVectorEnv: sub-env ${i} has observation space ${describe(env.observationSpace)}, expected ${describe(this.singleObservationSpace)} as sub-env 0`);
      }
      if (!sameSpace(env.actionSpace, this.singleActionSpace)) {
        throw new Error(`SyncVectorEnv: sub-env ${i} has action space ${describe(env.actionSpace)}, expected ${describe(this.singleActionSpace)} as sub-env 0`);
      }
    });
  }

  /** The seed of each sub-env: `seed + i` for a number, `seed[i]` for an array. */
  private seeds(seed: VectorResetOptions['seed']): (number | undefined)[] {
    if (seed === undefined) return new Array<undefined>(this.numEnvs).fill(undefined);
    if (typeof seed === 'number') return Array.from({ length: this.numEnvs }, (_, i) => seed + i);
    if (seed.length !== this.numEnvs) throw new Error(`SyncVectorEnv.reset: expected ${this.numEnvs} seeds (one per env), got ${seed.length}`);
    return seed;
  }

  /**
   * Resets every sub-env (or those selected by `options.reset_mask`) and returns the batched
   * observations and infos.
   */
  reset(options: VectorResetOptions = {}): VectorResetResult {
    this.assertOpen('reset');
    const seeds = this.seeds(options.seed);
    const mask = readResetMask(options.options, this.numEnvs, 'SyncVectorEnv');
    if (mask && this.needsReset) throw new Error('SyncVectorEnv.reset: options.reset_mask needs a full reset first');
    const envOptions = withoutResetMask(options.options);
    const infos: Info = {};
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask && !mask[i]) continue;
      const { obs, info } = this.envs[i].reset({ seed: seeds[i], options: envOptions });
      this.observations[i] = obs;
      this.autoresetEnvs[i] = 0;
      addInfo(infos, info, i, this.numEnvs);
    }
    this.needsReset = false;
    return { obs: this.batchObservations(), infos };
  }

  /** Steps every sub-env with its action (one per env; `numEnvs × size` values for boxes). */
  step(actions: ArrayLike<number>): VectorStepResult {
    this.assertOpen('step');
    if (this.needsReset) throw new Error('SyncVectorEnv.step: call reset() before the first step');
    checkActions(actions, this.numEnvs, this.singleActionSpace, 'SyncVectorEnv');
    const rewards = new Float64Array(this.numEnvs);
    const terminations = new Uint8Array(this.numEnvs);
    const truncations = new Uint8Array(this.numEnvs);
    const infos: Info = {};
    for (let i = 0; i < this.numEnvs; i++) {
      const info = this.stepOne(i, actionAt(actions, i, this.singleActionSpace), rewards, terminations, truncations, infos);
      addInfo(infos, info, i, this.numEnvs);
    }
    for (let i = 0; i < this.numEnvs; i++) this.autoresetEnvs[i] = terminations[i] || truncations[i] ? 1 : 0;
    return { obs: this.batchObservations(), rewards, terminations, truncations, infos };
  }

  /** Steps (or autoresets) sub-env i, writing its results; returns the info to batch. */
  private stepOne(i: number, action: SpaceValue, rewards: Float64Array, terminations: Uint8Array, truncations: Uint8Array, infos: Info): Info {
    const env = this.envs[i];
    if (this.autoresetEnvs[i]) {
      if (this.autoresetMode === 'disabled') {
        throw new Error(`SyncVectorEnv.step: sub-env ${i} ended its episode on the previous step and autoresetMode is 'disabled'; reset it first with reset({ options: { reset_mask } })`);
      }
      if (this.autoresetMode === 'next-step') {
        const { obs, info } = env.reset();
        this.observations[i] = obs;
        return info; // reward 0, flags false (the arrays start zeroed)
      }
    }
    const r = env.step(action);
    rewards[i] = r.reward;
    terminations[i] = r.terminated ? 1 : 0;
    truncations[i] = r.truncated ? 1 : 0;
    this.observations[i] = r.obs;
    if (this.autoresetMode === 'same-step' && (r.terminated || r.truncated)) {
      addInfo(infos, { final_obs: r.obs, final_info: r.info }, i, this.numEnvs);
      const { obs, info } = env.reset();
      this.observations[i] = obs;
      return info;
    }
    return r.info;
  }

  /** A fresh batch of the current observations. */
  private batchObservations(): BatchArray {
    const batch = createBatch(this.singleObservationSpace, this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) writeRow(batch, i, this.observations[i], this.singleObservationSpace, 'SyncVectorEnv');
    return batch;
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new Error(`SyncVectorEnv.${method}: the vector env is closed`);
  }

  /** Closes every sub-env; later calls to `reset`/`step` throw. Closing twice does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const env of this.envs) env.close();
  }

  toString(): string {
    const id = this.envs[0].spec?.id;
    return id ? `SyncVectorEnv(${id}, numEnvs=${this.numEnvs})` : `SyncVectorEnv(numEnvs=${this.numEnvs})`;
  }
}

import type { VectorEnv, VectorResetResult, VectorStepResult } from '../types.js';
import { autoresetModeOf, type AutoresetMode } from './autoreset-mode.js';
import { FixedQueue } from './fixed-queue.js';
import { readResetMask } from './reset-mask.js';
import type { VectorResetOptions } from './sync-vector-env.js';
import { VectorWrapper } from './vector-wrapper.js';

export interface VectorRecordEpisodeStatisticsOptions {
  /** Episodes kept in `returnQueue` / `lengthQueue` / `timeQueue` (default 100). */
  bufferLength?: number;
  /** The info key of the statistics (default `'episode'`). */
  statsKey?: string;
}

/** The batched statistics put in `infos[statsKey]`: entry i is 0 unless env i's episode ended. */
export interface VectorEpisodeStatistics {
  /** Undiscounted returns. */
  r: Float64Array;
  /** Lengths in steps (the autoreset step not counted). */
  l: Int32Array;
  /** Wall-clock seconds, rounded to microseconds. */
  t: Float64Array;
}

/** Seconds on a monotonic clock. */
function now(): number {
  return performance.now() / 1000;
}

/**
 * Tracks each sub-env's episode return and length (Gymnasium 1.x's vector
 * `RecordEpisodeStatistics`). On a step where some episodes end, `infos.episode` holds
 * `{ r, l, t }` (one entry per env, 0 for envs still running) and `infos._episode` the
 * `Uint8Array` mask of the envs whose episode ended; the last `bufferLength` finished episodes
 * are kept in `returnQueue` / `lengthQueue` / `timeQueue`.
 *
 * It follows the wrapped env's `metadata.autoreset_mode`: under `'next-step'` the step after an
 * episode's end (the autoreset step) starts the next episode at return 0 and length 0 and is not
 * counted; under `'same-step'` every step counts.
 *
 * @example
 * const envs = new VectorRecordEpisodeStatistics(makeVectorEnv('CartPole-v1', 4));
 * envs.reset({ seed: 0 });
 * const { infos } = envs.step(Int32Array.of(0, 1, 0, 1));
 * if (infos._episode) console.log((infos.episode as VectorEpisodeStatistics).r);
 * envs.returnQueue.mean(); // mean return of the last 100 episodes
 */
export class VectorRecordEpisodeStatistics extends VectorWrapper {
  readonly statsKey: string;
  readonly autoresetMode: AutoresetMode;
  /** Finished episodes, all envs together. */
  episodeCount = 0;
  readonly returnQueue: FixedQueue;
  readonly lengthQueue: FixedQueue;
  readonly timeQueue: FixedQueue;
  /** Running return, length and start time of each env's current episode. */
  episodeReturns: Float64Array;
  episodeLengths: Int32Array;
  episodeStartTimes: Float64Array;
  /** 1 where the env's episode ended on the previous step (its next step is the autoreset step). */
  private prevDones: Uint8Array;

  constructor(env: VectorEnv, options: VectorRecordEpisodeStatisticsOptions = {}) {
    super(env);
    const bufferLength = options.bufferLength ?? 100;
    if (!(Number.isInteger(bufferLength) && bufferLength > 0)) {
      throw new Error(`VectorRecordEpisodeStatistics: bufferLength must be a positive integer, got ${bufferLength}`);
    }
    this.statsKey = options.statsKey ?? 'episode';
    this.autoresetMode = autoresetModeOf(env);
    this.returnQueue = new FixedQueue(bufferLength);
    this.lengthQueue = new FixedQueue(bufferLength);
    this.timeQueue = new FixedQueue(bufferLength);
    const n = this.numEnvs;
    this.episodeReturns = new Float64Array(n);
    this.episodeLengths = new Int32Array(n);
    this.episodeStartTimes = new Float64Array(n).fill(now());
    this.prevDones = new Uint8Array(n);
  }

  /** Resets the envs and the running statistics (only those of `options.reset_mask` when given). */
  override reset(options: VectorResetOptions = {}): VectorResetResult {
    const mask = readResetMask(options.options, this.numEnvs, 'VectorRecordEpisodeStatistics');
    const result = super.reset(options);
    const t = now();
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask && !mask[i]) continue;
      this.episodeReturns[i] = 0;
      this.episodeLengths[i] = 0;
      this.episodeStartTimes[i] = t;
      this.prevDones[i] = 0;
    }
    return result;
  }

  override step(actions: ArrayLike<number>): VectorStepResult {
    const result = super.step(actions);
    const { rewards, terminations, truncations } = result;
    this.accumulate(rewards);
    const dones = Uint8Array.from(terminations, (term, i) => (term || truncations[i] ? 1 : 0));
    this.prevDones = dones;
    if (dones.includes(1)) this.recordEnded(result, dones);
    return result;
  }

  /** Adds this step's rewards to the running episodes (starting new ones on autoreset steps). */
  private accumulate(rewards: Float64Array): void {
    const t = now();
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.autoresetMode !== 'same-step' && this.prevDones[i]) {
        this.episodeReturns[i] = 0;
        this.episodeLengths[i] = 0;
        this.episodeStartTimes[i] = t;
      } else {
        this.episodeReturns[i] += rewards[i];
        this.episodeLengths[i] += 1;
      }
    }
  }

  /** Puts the statistics of the ended episodes into the infos and the queues. */
  private recordEnded(result: VectorStepResult, dones: Uint8Array): void {
    const key = this.statsKey;
    if (key in result.infos || `_${key}` in result.infos) {
      throw new Error(`VectorRecordEpisodeStatistics: the infos already hold '${key}' (keys: ${Object.keys(result.infos).join(', ')}); give another statsKey`);
    }
    const n = this.numEnvs;
    const stats: VectorEpisodeStatistics = { r: new Float64Array(n), l: new Int32Array(n), t: new Float64Array(n) };
    const t = now();
    for (let i = 0; i < n; i++) {
      if (!dones[i]) continue;
      const seconds = Math.round((t - this.episodeStartTimes[i]) * 1e6) / 1e6;
      stats.r[i] = this.episodeReturns[i];
      stats.l[i] = this.episodeLengths[i];
      stats.t[i] = seconds;
      this.returnQueue.push(this.episodeReturns[i]);
      this.lengthQueue.push(this.episodeLengths[i]);
      this.timeQueue.push(seconds);
      this.episodeCount++;
      if (this.autoresetMode === 'same-step') {
        this.episodeReturns[i] = 0;
        this.episodeLengths[i] = 0;
        this.episodeStartTimes[i] = t;
      }
    }
    result.infos[key] = stats;
    result.infos[`_${key}`] = dones;
  }
}

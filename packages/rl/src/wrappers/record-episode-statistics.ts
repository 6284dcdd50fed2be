import type { Env, ResetOptions, ResetResult, SpaceValue, StepResult } from '../types.js';
import { Wrapper } from '../envs/wrapper.js';
import { FixedQueue } from '../vector/fixed-queue.js';

export interface RecordEpisodeStatisticsOptions {
  /** Episodes kept in `returnQueue` / `lengthQueue` / `timeQueue` (default 100). */
  bufferLength?: number;
  /** The info key of the statistics (default `'episode'`). */
  statsKey?: string;
}

/** What `info.episode` holds at the end of an episode. */
export interface EpisodeStatistics {
  /** Undiscounted return. */
  r: number;
  /** Length in steps. */
  l: number;
  /** Wall-clock seconds since the reset, rounded to microseconds. */
  t: number;
}

/** Seconds on a monotonic clock. */
function now(): number {
  return performance.now() / 1000;
}

/**
 * Tracks the return and length of the running episode (Gymnasium's `RecordEpisodeStatistics`):
 * the step that ends an episode (terminated or truncated) gets `info.episode = { r, l, t }`, and
 * the last `bufferLength` episodes are kept in `returnQueue` / `lengthQueue` / `timeQueue`.
 *
 * @example
 * const env = new RecordEpisodeStatistics(makeEnv('CartPole-v1'));
 * env.reset({ seed: 0 });
 * let step;
 * do step = env.step(0); while (!step.terminated && !step.truncated);
 * step.info.episode; // { r: 10, l: 10, t: 0.0001 }
 */
export class RecordEpisodeStatistics extends Wrapper {
  readonly statsKey: string;
  /** Finished episodes. */
  episodeCount = 0;
  readonly returnQueue: FixedQueue;
  readonly lengthQueue: FixedQueue;
  readonly timeQueue: FixedQueue;
  episodeReturn = 0;
  episodeLength = 0;
  private episodeStartTime = now();

  constructor(env: Env, options: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    const bufferLength = options.bufferLength ?? 100;
    if (!(Number.isInteger(bufferLength) && bufferLength > 0)) {
      throw new Error(`RecordEpisodeStatistics: bufferLength must be a positive integer, got ${bufferLength}`);
    }
    this.statsKey = options.statsKey ?? 'episode';
    this.returnQueue = new FixedQueue(bufferLength);
    this.lengthQueue = new FixedQueue(bufferLength);
    this.timeQueue = new FixedQueue(bufferLength);
  }

  override reset(options?: ResetOptions): ResetResult {
    const result = super.reset(options);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.episodeStartTime = now();
    return result;
  }

  override step(action: SpaceValue): StepResult {
    const result = super.step(action);
    this.episodeReturn += result.reward;
    this.episodeLength += 1;
    if (!result.terminated && !result.truncated) return result;
    if (this.statsKey in result.info) {
      throw new Error(`RecordEpisodeStatistics: the info already holds '${this.statsKey}'; give another statsKey`);
    }
    const seconds = Math.round((now() - this.episodeStartTime) * 1e6) / 1e6;
    const stats: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: seconds };
    this.returnQueue.push(stats.r);
    this.lengthQueue.push(stats.l);
    this.timeQueue.push(stats.t);
    this.episodeCount++;
    this.episodeStartTime = now();
    return { ...result, info: { ...result.info, [this.statsKey]: stats } };
  }
}

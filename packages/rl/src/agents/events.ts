/** Emitted when an episode of a sub-environment ends. */
export interface EpisodeEvent {
  /** Environment steps taken so far (all sub-envs together). */
  step: number;
  envIndex: number;
  /** The undiscounted return of the episode. */
  return: number;
  length: number;
  terminated: boolean;
  truncated: boolean;
}

/** Emitted every `progressEvery` environment steps and at the end of `learn`. */
export interface LearnProgress {
  step: number;
  totalSteps: number;
  stepsPerSecond: number;
  episodes: number;
  /** Mean return of the last 100 episodes (`null` before the first ends). */
  meanReturn100: number | null;
  /** The last loss values the agent computed (names depend on the agent). */
  losses: Record<string, number>;
}

export interface LearnCallbacks {
  onEpisode?: (event: EpisodeEvent) => void;
  onProgress?: (event: LearnProgress) => void;
  /** Environment steps between progress events (default 1000). */
  progressEvery?: number;
  /** Stops `learn` after the current step (the agent stays consistent, ready to save or resume). */
  signal?: AbortSignal;
}

/**
 * Running returns and lengths of a vector env's episodes under next-step autoreset: the step
 * after an episode ends is the reset step of that env and is not counted.
 */
export class EpisodeTracker {
  private readonly returns: Float64Array;
  private readonly lengths: Int32Array;
  private readonly skip: Uint8Array;
  /** Every finished episode's return, in order. */
  readonly history: number[] = [];
  readonly lengthHistory: number[] = [];

  constructor(readonly numEnvs: number) {
    this.returns = new Float64Array(numEnvs);
    this.lengths = new Int32Array(numEnvs);
    this.skip = new Uint8Array(numEnvs);
  }

  /** True where this step of env i is its autoreset step (its transition is not real). */
  isResetStep(i: number): boolean {
    return this.skip[i] === 1;
  }

  /** Records one vector step; returns the episodes that ended on it. */
  record(step: number, rewards: ArrayLike<number>, terminations: ArrayLike<number>, truncations: ArrayLike<number>): EpisodeEvent[] {
    const ended: EpisodeEvent[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.skip[i]) {
        this.skip[i] = 0;
        continue;
      }
      this.returns[i] = this.returns[i]! + rewards[i]!;
      this.lengths[i] = this.lengths[i]! + 1;
      if (terminations[i] || truncations[i]) {
        ended.push({ step, envIndex: i, return: this.returns[i]!, length: this.lengths[i]!, terminated: !!terminations[i], truncated: !!truncations[i] });
        this.history.push(this.returns[i]!);
        this.lengthHistory.push(this.lengths[i]!);
        this.returns[i] = 0;
        this.lengths[i] = 0;
        this.skip[i] = 1;
      }
    }
    return ended;
  }

  /** Forgets the running (unfinished) episodes, e.g. after the envs were reset. */
  resetRunning(): void {
    this.returns.fill(0);
    this.lengths.fill(0);
    this.skip.fill(0);
  }

  /** Replaces the finished-episode history (restoring a checkpoint). */
  restoreHistory(returns: readonly number[], lengths: readonly number[]): void {
    this.history.length = 0;
    this.lengthHistory.length = 0;
    for (const r of returns) this.history.push(r);
    for (const l of lengths) this.lengthHistory.push(l);
  }

  meanOfLast(n: number): number | null {
    if (this.history.length === 0) return null;
    const tail = this.history.slice(-n);
    return tail.reduce((a, b) => a + b, 0) / tail.length;
  }
}

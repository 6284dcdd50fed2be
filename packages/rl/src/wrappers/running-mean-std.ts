/** The precision a `RunningMeanStd` keeps its statistics in (Gymnasium: the observation dtype). */
export type RunningMeanStdDType = 'float32' | 'float64';

/** A JSON-ready snapshot of a `RunningMeanStd` (for checkpoints). */
export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export interface RunningMeanStdOptions {
  /** Elements tracked (default 1, a scalar). */
  size?: number;
  /** The starting count, which keeps the first update from dividing by zero (default 1e-4). */
  epsilon?: number;
  /** `'float32'` rounds every operation to float32, as NumPy does on float32 arrays (default `'float64'`). */
  dtype?: RunningMeanStdDType;
}

const identity = (x: number) => x;

/**
 * Running mean, variance and count of a stream of vectors (Gymnasium's `RunningMeanStd`),
 * updated from batches with the parallel-variance formula (Chan et al.). Starts at mean 0,
 * variance 1 and count `epsilon`.
 *
 * @example
 * const rms = new RunningMeanStd({ size: 2 });
 * rms.update(Float64Array.of(1, 2, 3, 4), 2); // two rows: [1, 2] and [3, 4]
 * rms.mean; // ≈ [2, 3]
 */
export class RunningMeanStd {
  readonly size: number;
  readonly dtype: RunningMeanStdDType;
  mean: Float32Array | Float64Array;
  var: Float32Array | Float64Array;
  count: number;
  /** Rounds to the statistics' precision (float32: `Math.fround`). */
  private readonly round: (x: number) => number;

  constructor(options: RunningMeanStdOptions = {}) {
    this.size = options.size ?? 1;
    if (!(Number.isInteger(this.size) && this.size > 0)) throw new Error(`RunningMeanStd: size must be a positive integer, got ${this.size}`);
    this.dtype = options.dtype ?? 'float64';
    if (this.dtype !== 'float32' && this.dtype !== 'float64') throw new Error(`RunningMeanStd: dtype must be 'float32' or 'float64', got ${String(this.dtype)}`);
    this.round = this.dtype === 'float32' ? Math.fround : identity;
    const Ctor = this.dtype === 'float32' ? Float32Array : Float64Array;
    this.mean = new Ctor(this.size);
    this.var = new Ctor(this.size).fill(1);
    this.count = options.epsilon ?? 1e-4;
  }

  /** Updates from `rows` vectors laid one after the other in `x` (`rows × size` values). */
  update(x: ArrayLike<number>, rows = 1): void {
    if (x.length !== rows * this.size) throw new Error(`RunningMeanStd.update: expected ${rows} × ${this.size} values, got ${x.length}`);
    const batchMean = new Float64Array(this.size);
    const batchVar = new Float64Array(this.size);
    for (let j = 0; j < this.size; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += x[r * this.size + j];
      const m = sum / rows;
      let sq = 0;
      for (let r = 0; r < rows; r++) sq += (x[r * this.size + j] - m) ** 2;
      batchMean[j] = this.round(m);
      batchVar[j] = this.round(sq / rows);
    }
    this.updateFromMoments(batchMean, batchVar, rows);
  }

  /** Merges a batch's mean, (population) variance and count into the running statistics. */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number>, batchCount: number): void {
    const f = this.round;
    const count = this.count;
    const total = count + batchCount;
    const countF = f(count);
    const totalF = f(total);
    for (let j = 0; j < this.size; j++) {
      const delta = f(batchMean[j] - this.mean[j]);
      const newMean = f(this.mean[j] + f(f(delta * batchCount) / totalF));
      const mA = f(this.var[j] * countF);
      const mB = f(batchVar[j] * batchCount);
      const m2 = f(f(mA + mB) + f(f(f(f(delta * delta) * countF) * batchCount) / totalF));
      this.mean[j] = newMean;
      this.var[j] = f(m2 / totalF);
    }
    this.count = total;
  }

  /** A copy of the statistics, ready for JSON. */
  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  /** Restores statistics taken by `getState`. */
  setState(state: RunningMeanStdState): void {
    if (!state || state.mean?.length !== this.size || state.var?.length !== this.size) {
      throw new Error(`RunningMeanStd.setState: expected mean and var of ${this.size} values, got ${state?.mean?.length} and ${state?.var?.length}`);
    }
    if (!(typeof state.count === 'number' && state.count > 0)) throw new Error(`RunningMeanStd.setState: count must be a positive number, got ${state.count}`);
    this.mean.set(state.mean);
    this.var.set(state.var);
    this.count = state.count;
  }
}

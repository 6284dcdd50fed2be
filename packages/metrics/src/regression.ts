import { readScores, readWeights, type MetricInput, type WeightsInput } from './input.js';
import type { Metric } from './metric.js';
import { warn } from './warnings.js';

/** How outputs of a multi-output regression are combined: mean, per output, or weighted mean. */
export type Multioutput = 'uniform_average' | 'raw_values' | readonly number[];

export interface RegressionOptions {
  sampleWeight?: WeightsInput;
  /** Default `'uniform_average'`; `'raw_values'` returns one value per output column. */
  multioutput?: Multioutput;
}

export interface R2Options extends Omit<RegressionOptions, 'multioutput'> {
  /** As for the other metrics, plus `'variance_weighted'` (weights = variance of each output). */
  multioutput?: Multioutput | 'variance_weighted';
  /** Replace NaN (constant yTrue, perfect fit) by 1 and −Inf (constant yTrue) by 0 (default true). */
  forceFinite?: boolean;
}

/** Per output values for `multioutput: 'raw_values'`, else one number. */
export type RegressionValue<O> = O extends { multioutput: 'raw_values' } ? number[] : number;

/**
 * Sufficient statistics of a regression over batches, per output column: total weight, weighted
 * sums of squared and absolute errors, and the weighted mean and sum of squared deviations of
 * yTrue (merged across batches with Chan's formula, so R² stays accurate).
 */
export class RegressionStats {
  n = 0;
  outputs = -1;
  sumW: number[] = [];
  sumSq: number[] = [];
  sumAbs: number[] = [];
  meanY: number[] = [];
  m2Y: number[] = [];

  add(yTrue: MetricInput, yPred: MetricInput, sampleWeight: WeightsInput | undefined, what: string): void {
    const t = readScores(yTrue, `${what} (yTrue)`);
    const p = readScores(yPred, `${what} (yPred)`);
    if (t.rows !== p.rows) {
      throw new Error(`${what}: found input variables with inconsistent numbers of samples: [${t.rows}, ${p.rows}]`);
    }
    if (t.cols !== p.cols) throw new Error(`${what}: yTrue and yPred have different number of output (${t.cols}!=${p.cols})`);
    if (this.outputs === -1) {
      this.outputs = t.cols;
      for (const a of [this.sumW, this.sumSq, this.sumAbs, this.meanY, this.m2Y]) for (let j = 0; j < t.cols; j++) a.push(0);
    } else if (this.outputs !== t.cols) {
      throw new Error(`${what}: batches differ in number of outputs (${t.cols} after ${this.outputs})`);
    }
    const w = readWeights(sampleWeight, t.rows, what);
    const k = t.cols;
    for (let j = 0; j < k; j++) {
      let sw = 0;
      let sq = 0;
      let ab = 0;
      let sy = 0;
      for (let i = 0; i < t.rows; i++) {
        const wi = w ? w[i]! : 1;
        const e = t.values[i * k + j]! - p.values[i * k + j]!;
        sw += wi;
        sq += wi * e * e;
        ab += wi * Math.abs(e);
        sy += wi * t.values[i * k + j]!;
      }
      let m2 = 0;
      const mean = sw === 0 ? 0 : sy / sw;
      if (sw !== 0) {
        for (let i = 0; i < t.rows; i++) {
          const d = t.values[i * k + j]! - mean;
          m2 += (w ? w[i]! : 1) * d * d;
        }
      }
      const wa = this.sumW[j]!;
      const wTot = wa + sw;
      if (sw !== 0) {
        if (wa === 0) {
          this.meanY[j] = mean;
          this.m2Y[j] = m2;
        } else {
          const delta = mean - this.meanY[j]!;
          this.meanY[j] = this.meanY[j]! + (delta * sw) / wTot;
          this.m2Y[j] = this.m2Y[j]! + m2 + (delta * delta * wa * sw) / wTot;
        }
      }
      this.sumW[j] = wTot;
      this.sumSq[j] = this.sumSq[j]! + sq;
      this.sumAbs[j] = this.sumAbs[j]! + ab;
    }
    this.n += t.rows;
  }

  reset(): void {
    this.n = 0;
    this.outputs = -1;
    this.sumW = [];
    this.sumSq = [];
    this.sumAbs = [];
    this.meanY = [];
    this.m2Y = [];
  }
}

function combine(values: number[], multioutput: Multioutput | 'variance_weighted' | undefined, what: string, varWeights?: number[]): number | number[] {
  const mo = multioutput ?? 'uniform_average';
  if (mo === 'raw_values') return values;
  let weights: readonly number[] | undefined;
  if (mo === 'variance_weighted') {
    weights = varWeights!.some((v) => v !== 0) ? varWeights : undefined;
  } else if (mo !== 'uniform_average') {
    if (!Array.isArray(mo)) throw new Error(`${what}: allowed 'multioutput' values are 'raw_values', 'uniform_average' or weights`);
    if (values.length === 1) throw new Error(`${what}: custom weights are useful only in multi-output cases`);
    if (mo.length !== values.length) {
      throw new Error(`${what}: there must be equally many custom weights (${mo.length}) as outputs (${values.length})`);
    }
    weights = mo;
  }
  if (!weights) return values.reduce((a, b) => a + b, 0) / values.length;
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    num += v * weights![i]!;
    den += weights![i]!;
  });
  return num / den;
}

function checkWeights(s: RegressionStats, what: string): void {
  if (s.outputs === -1 || s.n === 0) throw new Error(`${what}: no samples`);
  if (s.sumW.some((w) => w === 0)) throw new Error(`${what}: weights sum to zero, can't be normalized`);
}

export function mseFromStats(s: RegressionStats, multioutput: Multioutput | undefined, squared: boolean, what: string): number | number[] {
  checkWeights(s, what);
  const per = s.sumSq.map((sq, j) => (squared ? sq / s.sumW[j]! : Math.sqrt(sq / s.sumW[j]!)));
  return combine(per, multioutput, what);
}

export function maeFromStats(s: RegressionStats, multioutput: Multioutput | undefined, what: string): number | number[] {
  checkWeights(s, what);
  return combine(s.sumAbs.map((a, j) => a / s.sumW[j]!), multioutput, what);
}

export function r2FromStats(s: RegressionStats, options: Pick<R2Options, 'multioutput' | 'forceFinite'>, what: string): number | number[] {
  if (s.outputs === -1 || s.n < 2) {
    warn('R^2 score is not well-defined with less than two samples.');
    return NaN;
  }
  checkWeights(s, what);
  const forceFinite = options.forceFinite ?? true;
  const per = s.sumSq.map((num, j) => {
    const den = s.m2Y[j]!;
    if (!forceFinite) return 1 - num / den;
    if (den !== 0 && num !== 0) return 1 - num / den;
    if (num !== 0 && den === 0) return 0;
    return 1;
  });
  return combine(per, options.multioutput, what, s.m2Y);
}

function stats(yTrue: MetricInput, yPred: MetricInput, sampleWeight: WeightsInput | undefined, what: string): RegressionStats {
  const s = new RegressionStats();
  s.add(yTrue, yPred, sampleWeight, what);
  return s;
}

/**
 * Mean squared error, as scikit-learn's `mean_squared_error`. yTrue/yPred are [n] or [n, k].
 *
 * @example
 * meanSquaredError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.375
 * meanSquaredError([[0.5, 1], [-1, 1]], [[0, 2], [-1, 2]], { multioutput: 'raw_values' }); // [0.125, 1]
 */
export function meanSquaredError<O extends RegressionOptions>(yTrue: MetricInput, yPred: MetricInput, options?: O): RegressionValue<O> {
  return mseFromStats(stats(yTrue, yPred, options?.sampleWeight, 'meanSquaredError'), options?.multioutput, true, 'meanSquaredError') as RegressionValue<O>;
}

/**
 * Root mean squared error (per output, then averaged), as scikit-learn's
 * `mean_squared_error(squared=False)`.
 *
 * @example rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.6124
 */
export function rootMeanSquaredError<O extends RegressionOptions>(yTrue: MetricInput, yPred: MetricInput, options?: O): RegressionValue<O> {
  return mseFromStats(stats(yTrue, yPred, options?.sampleWeight, 'rootMeanSquaredError'), options?.multioutput, false, 'rootMeanSquaredError') as RegressionValue<O>;
}

/**
 * Mean absolute error, as scikit-learn's `mean_absolute_error`.
 *
 * @example meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.5
 */
export function meanAbsoluteError<O extends RegressionOptions>(yTrue: MetricInput, yPred: MetricInput, options?: O): RegressionValue<O> {
  return maeFromStats(stats(yTrue, yPred, options?.sampleWeight, 'meanAbsoluteError'), options?.multioutput, 'meanAbsoluteError') as RegressionValue<O>;
}

/**
 * Coefficient of determination R², as scikit-learn's `r2_score` (NaN with a warning for fewer
 * than two samples).
 *
 * @example
 * r2Score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.9486
 * r2Score([1, 2, 3], [1, 2, 3]); // 1
 */
export function r2Score<O extends R2Options>(yTrue: MetricInput, yPred: MetricInput, options?: O): RegressionValue<O> {
  return r2FromStats(stats(yTrue, yPred, options?.sampleWeight, 'r2Score'), options ?? {}, 'r2Score') as RegressionValue<O>;
}

abstract class RegressionMetric<T> implements Metric<T> {
  protected readonly stats = new RegressionStats();
  constructor(readonly name: string) {}
  update(yTrue: MetricInput, yPred: MetricInput, sampleWeight?: WeightsInput): void {
    this.stats.add(yTrue, yPred, sampleWeight, this.name);
  }
  abstract compute(): T;
  reset(): void {
    this.stats.reset();
  }
}

/**
 * Streaming mean squared error (constant memory).
 *
 * @example
 * const m = new MeanSquaredError();
 * m.update([3, -0.5], [2.5, 0]);
 * m.update([2, 7], [2, 8]);
 * m.compute(); // 0.375
 */
export class MeanSquaredError<O extends Omit<RegressionOptions, 'sampleWeight'> = RegressionOptions> extends RegressionMetric<RegressionValue<O>> {
  constructor(private readonly options?: O) {
    super('mse');
  }
  compute(): RegressionValue<O> {
    return mseFromStats(this.stats, this.options?.multioutput, true, this.name) as RegressionValue<O>;
  }
}

/** Streaming root mean squared error. @example new RootMeanSquaredError() */
export class RootMeanSquaredError<O extends Omit<RegressionOptions, 'sampleWeight'> = RegressionOptions> extends RegressionMetric<RegressionValue<O>> {
  constructor(private readonly options?: O) {
    super('rmse');
  }
  compute(): RegressionValue<O> {
    return mseFromStats(this.stats, this.options?.multioutput, false, this.name) as RegressionValue<O>;
  }
}

/** Streaming mean absolute error. @example new MeanAbsoluteError() */
export class MeanAbsoluteError<O extends Omit<RegressionOptions, 'sampleWeight'> = RegressionOptions> extends RegressionMetric<RegressionValue<O>> {
  constructor(private readonly options?: O) {
    super('mae');
  }
  compute(): RegressionValue<O> {
    return maeFromStats(this.stats, this.options?.multioutput, this.name) as RegressionValue<O>;
  }
}

/** Streaming R² (batches merged exactly up to rounding). @example new R2Score({ multioutput: 'variance_weighted' }) */
export class R2Score<O extends Omit<R2Options, 'sampleWeight'> = R2Options> extends RegressionMetric<RegressionValue<O>> {
  constructor(private readonly options?: O) {
    super('r2');
  }
  compute(): RegressionValue<O> {
    return r2FromStats(this.stats, this.options ?? {}, this.name) as RegressionValue<O>;
  }
}

import { EntropyObserver } from './entropy.js';
import { MinMaxObserver, MovingAverageMinMaxObserver } from './min-max.js';
import { MseObserver } from './mse.js';
import { PercentileObserver } from './percentile.js';
import type { QuantDType } from './qparams.js';

/** Watches the values a tensor takes during calibration and proposes the float range to quantize. */
export interface Observer {
  /** Records one batch of values (throws on NaN). */
  observe(values: ArrayLike<number>): void;
  /** The range [lo, hi] to quantize (before it is widened to hold 0). */
  range(): [number, number];
}

/** Which observer calibrates the activations, by name or with its options. */
export type ObserverSpec =
  | 'minmax'
  | 'moving-average'
  | 'percentile'
  | 'mse'
  | 'entropy'
  | { type: 'moving-average'; averagingConstant?: number }
  | { type: 'percentile'; percentile?: number; bins?: number }
  | { type: 'mse'; bins?: number; steps?: number }
  | { type: 'entropy'; bins?: number; quantizedBins?: number };

/** A fresh observer for `spec`; `dtype` is the activation type (MSE measures the error in it). */
export function createObserver(spec: ObserverSpec, dtype: QuantDType): Observer {
  const s = typeof spec === 'string' ? { type: spec } : spec;
  switch (s.type) {
    case 'minmax':
      return new MinMaxObserver();
    case 'moving-average':
      return new MovingAverageMinMaxObserver('averagingConstant' in s ? s.averagingConstant : undefined);
    case 'percentile':
      return new PercentileObserver('percentile' in s ? s.percentile : undefined, 'bins' in s ? s.bins : undefined);
    case 'mse':
      return new MseObserver(dtype, 'bins' in s ? s.bins : undefined, 'steps' in s ? s.steps : undefined);
    case 'entropy':
      return new EntropyObserver('bins' in s ? s.bins : undefined, 'quantizedBins' in s ? s.quantizedBins : undefined);
    default:
      throw new Error(`calibrate: unknown observer '${String((s as { type: unknown }).type)}' (expected minmax, moving-average, percentile, mse or entropy)`);
  }
}

import { UsageError } from '../errors.js';
import type { DivergedError } from './nan-guard.js';

/** Default learning rate per optimizer (used when --lr is not given). */
const DEFAULT_LR: Record<string, number> = {
  adam: 2e-3, adamw: 2e-3, nadam: 2e-3, adamax: 2e-3, sgd: 0.05, rmsprop: 1e-3, adagrad: 1e-2, adadelta: 1,
};

export function defaultLr(optimizer: string): number {
  return DEFAULT_LR[optimizer.toLowerCase()] ?? 1e-3;
}

/** Extra options per optimizer (SGD trains with momentum 0.9). */
export function optimizerOptions(optimizer: string, lr: number): Record<string, unknown> {
  return optimizer.toLowerCase() === 'sgd' ? { lr, momentum: 0.9 } : { lr };
}

export function parseClassWeights(v: string): 'balanced' {
  if (v.toLowerCase() !== 'balanced') throw new UsageError(`--class-weights: expected 'balanced', got '${v}'`);
  return 'balanced';
}

/** A learning rate as people write it: 0.002, 1e6, 5e-5. */
export function formatRate(lr: number): string {
  const plain = String(lr);
  return plain.length <= 6 ? plain : lr.toExponential().replace('e+', 'e').replace(/\.?0+e/, 'e');
}

/**
 * The one-line error of a run whose loss (or weights) became NaN or infinite: where, the likely
 * cause (the learning rate) with a rate to try — the optimizer's default when the rate is above
 * it, else a tenth of it — and what was kept.
 */
export function divergedMessage(e: DivergedError, s: { lr: number; optimizer: string }, kept: string): string {
  const usual = defaultLr(s.optimizer);
  const next = s.lr > usual ? usual : s.lr / 10;
  return `${e.message} — the learning rate (${formatRate(s.lr)}) is probably too high; try --lr ${formatRate(next)}; ${kept}`;
}

import { UsageError } from '../errors.js';

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

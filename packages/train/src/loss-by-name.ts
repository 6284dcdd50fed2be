import type { Tensor } from '@mapnn/core';
import {
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  hingeLoss,
  huberLoss,
  l1Loss,
  mseLoss,
  multiMarginLoss,
  nllLoss,
  smoothL1Loss,
} from '@mapnn/layers';
import type { LossFn } from './types.js';

const LOSSES: Record<string, LossFn> = {
  cross_entropy: (p, t, o) => crossEntropyLoss(p, t, o),
  nll: (p, t, o) => nllLoss(p, t, o),
  mse: (p, t, o) => mseLoss(p, t, o),
  l1: (p, t, o) => l1Loss(p, t, o),
  huber: (p, t, o) => huberLoss(p, t, o),
  smooth_l1: (p, t, o) => smoothL1Loss(p, t, o),
  bce: (p, t, o) => bceLoss(p, t, o),
  bce_with_logits: (p, t, o) => bceWithLogitsLoss(p, t, o),
  hinge: (p, t, o) => hingeLoss(p, t, o),
  multi_margin: (p, t, o) => multiMarginLoss(p, t, o),
};
const ALIASES: Record<string, string> = {
  crossentropy: 'cross_entropy', crossEntropy: 'cross_entropy', categorical_crossentropy: 'cross_entropy',
  sparse_categorical_crossentropy: 'cross_entropy', mae: 'l1', mean_squared_error: 'mse',
  binary_crossentropy: 'bce', bceWithLogits: 'bce_with_logits', smoothL1: 'smooth_l1',
};

/** A loss function from a name (`'cross_entropy'`, `'mse'`, `'bce_with_logits'`, …) or as given. */
export function resolveLoss(loss: string | LossFn | ((pred: Tensor, target: Tensor) => Tensor)): LossFn {
  if (typeof loss === 'function') return loss as LossFn;
  const key = LOSSES[loss] ? loss : ALIASES[loss];
  const fn = key ? LOSSES[key] : undefined;
  if (!fn) throw new Error(`fit: unknown loss '${loss}' (known: ${Object.keys(LOSSES).join(', ')})`);
  return fn;
}

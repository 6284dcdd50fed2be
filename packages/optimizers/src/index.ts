/**
 * @mapnn/optimizers — optimizers (SGD, Adam, AdamW, Adamax, NAdam, RMSprop, Adagrad, Adadelta)
 * with PyTorch 1.13 update rules, learning-rate schedulers, gradient clipping and accumulation.
 * Importing the package registers the optimizers in core's plugin registry (kind `'optimizer'`).
 *
 * @example
 * import { Adam, CosineAnnealingLR, clipGradNorm } from '@mapnn/optimizers';
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 * const sched = new CosineAnnealingLR(opt, { tMax: epochs });
 * for (let epoch = 0; epoch < epochs; epoch++) {
 *   for (const batch of batches) {
 *     opt.zeroGrad();
 *     tidy(() => loss(batch).backward());
 *     clipGradNorm(model.parameters(), 1.0);
 *     opt.step();
 *   }
 *   sched.step();
 * }
 */
export {
  Optimizer,
  stateTensor,
  type OptimizerOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type ParamState,
} from './optimizer.js';
export type { DecayOptions } from './common.js';
export { SGD, SGD_DEFAULTS, type SGDOptions } from './sgd.js';
export { Adam, ADAM_DEFAULTS, type AdamOptions } from './adam.js';
export { AdamW, ADAMW_DEFAULTS, type AdamWOptions } from './adamw.js';
export { Adamax, ADAMAX_DEFAULTS, type AdamaxOptions } from './adamax.js';
export { NAdam, NADAM_DEFAULTS, type NAdamOptions } from './nadam.js';
export { RMSprop, RMSPROP_DEFAULTS, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, ADAGRAD_DEFAULTS, type AdagradOptions } from './adagrad.js';
export { Adadelta, ADADELTA_DEFAULTS, type AdadeltaOptions } from './adadelta.js';
export { optimizerByName, registerOptimizers, OPTIMIZER_PLUGIN, type OptimizerFactory } from './registry.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip.js';
export { accumulateGradients, type AccumulateOptions } from './accumulate.js';
export type { SerializedTensor, JsonNumber } from './serialize.js';
export * from './schedulers/index.js';

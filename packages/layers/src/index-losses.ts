// Exports of the 'losses' group (one file per loss under ./losses).
export type { Reduction } from './losses/util.js';
export { mseLoss, MSELoss, type MSELossOptions } from './losses/mse.js';
export { l1Loss, maeLoss, L1Loss, MAELoss, type L1LossOptions } from './losses/l1.js';
export { huberLoss, HuberLoss, type HuberLossOptions } from './losses/huber.js';
export { smoothL1Loss, SmoothL1Loss, type SmoothL1LossOptions } from './losses/smooth-l1.js';
export { bceLoss, BCELoss, type BCELossOptions } from './losses/bce.js';
export { bceWithLogitsLoss, BCEWithLogitsLoss, type BCEWithLogitsLossOptions } from './losses/bce-with-logits.js';
export { crossEntropyLoss, CrossEntropyLoss, type CrossEntropyLossOptions } from './losses/cross-entropy.js';
export { nllLoss, NLLLoss, type NLLLossOptions } from './losses/nll.js';
export { hingeEmbeddingLoss, HingeEmbeddingLoss, type HingeEmbeddingLossOptions } from './losses/hinge-embedding.js';
export { hingeLoss, HingeLoss, type HingeLossOptions } from './losses/hinge.js';
export { multiMarginLoss, MultiMarginLoss, type MultiMarginLossOptions } from './losses/multi-margin.js';
export { multilabelMarginLoss, MultiLabelMarginLoss, type MultiLabelMarginLossOptions } from './losses/multilabel-margin.js';
export { klDivLoss, KLDivLoss, type KLDivLossOptions, type KLDivReduction } from './losses/kl-div.js';
export { focalLoss, sigmoidFocalLoss, FocalLoss, type FocalLossOptions } from './losses/focal.js';
export { softmaxFocalLoss, SoftmaxFocalLoss, type SoftmaxFocalLossOptions } from './losses/softmax-focal.js';
export { cosineEmbeddingLoss, CosineEmbeddingLoss, type CosineEmbeddingLossOptions } from './losses/cosine-embedding.js';
export {
  softTargetDistillationLoss,
  SoftTargetDistillationLoss,
  type SoftTargetDistillationOptions,
} from './losses/distillation.js';

/**
 * @mapnn/train — `fit`, `evaluate`, `predict`, callbacks and the safetensors format.
 * File-system checkpoints (atomic writes, exact resume) are in `@mapnn/train/node`.
 */
export * from './types.js';
export { fit, batchLoss, type FitOptions } from './fit.js';
export { evaluate, predict } from './evaluate.js';
export { resolveLoss } from './loss-by-name.js';
export { deriveSeed } from './seed.js';
export { encodeSafetensors, decodeSafetensors, SafetensorsError, type SafeTensor, type BytesLike } from './safetensors.js';
export { encodeRawSafetensors, decodeRawSafetensors, type RawSafeTensor } from './safetensors-raw.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { LRSchedulerCallback, type SchedulerLike } from './callbacks/lr-scheduler.js';
export { TerminateOnNaN } from './callbacks/terminate-on-nan.js';
export { nonFiniteWeights, type NonFiniteWeight } from './finite.js';
export { ProgressStream, type ProgressEvent } from './callbacks/progress.js';
export { encodeModel, decodeModel, parseModelFile, ModelFormatError, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelFile, type EncodedModel } from './model-io.js';

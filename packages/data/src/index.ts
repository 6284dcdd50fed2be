/**
 * @mapnn/data — datasets, loaders, readers, transforms, augmentation, resampling and splits.
 * Browser-safe: nothing here touches the file system or Node built-ins; file helpers,
 * MNIST / Fashion-MNIST loading and downloads live in `@mapnn/data/node`.
 */
// datasets and loading
export * from './dataset/dataset.js';
export * from './dataset/tensor-dataset.js';
export * from './loader/collate.js';
export * from './loader/sampler.js';
export * from './loader/data-loader.js';
// readers (bytes and strings in, no file access)
export { isGzip, crc32, strictGunzip, type Gunzip } from './readers/gzip.js';
export * from './readers/idx.js';
export * from './readers/csv.js';
export * from './readers/npy.js';
// embedded datasets
export * from './datasets/toy-datasets.js';
// transforms
export { StandardScaler } from './transforms/standard-scaler.js';
export * from './transforms/min-max-scaler.js';
export * from './transforms/normalize.js';
export * from './transforms/one-hot-encode.js';
// image augmentation
export * from './augment/flip.js';
export * from './augment/affine.js';
export * from './augment/random-crop.js';
export * from './augment/gaussian-noise.js';
export { randomErasing, type RandomErasingOptions } from './augment/random-erasing.js';
export * from './augment/cutout.js';
export * from './augment/mixup.js';
export * from './augment/cutmix.js';
export * from './augment/compose.js';
// class imbalance
export * from './imbalance/class-weights.js';
export * from './imbalance/weighted-random-sampler.js';
export type { SamplingStrategy } from './imbalance/sampling-strategy.js';
export { randomOverSample, type Resampled, type ResampleOptions } from './imbalance/random-over-sample.js';
export * from './imbalance/random-under-sample.js';
export { smote, type SmoteOptions, type SmoteResult } from './imbalance/smote.js';
// splits and cross-validation
export * from './split/take-rows.js';
export * from './split/train-test-split.js';
export { kFold, type Fold, type KFoldOptions } from './split/k-fold.js';
export * from './split/stratified-k-fold.js';
export * from './split/cross-validate.js';
// utilities
export { toLabelArray, bincount, type LabelsLike } from './util/labels.js';
export { resolveRandom, permutation, sampleBeta, sampleGamma, type RandomSource } from './util/random.js';
export { decodeBase64 } from './util/base64.js';

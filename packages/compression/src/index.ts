/**
 * @mapnn/compression — magnitude pruning (per layer, global, gradual), CSR sparse checkpoints
 * and a per-layer cost / energy profile.
 */
export { roundHalfEven, checkSparsity, type PruneAmount } from './pruning/amount.js';
export { l1Unstructured, type L1UnstructuredOptions } from './pruning/l1-unstructured.js';
export { globalUnstructured, type PruneTarget } from './pruning/global-unstructured.js';
export { removePruning } from './pruning/remove-pruning.js';
export { preparePruning } from './pruning/prepare-pruning.js';
export { isPruned } from './pruning/masked-parameter.js';
export { sparsityReport, type SparsityReport, type SparsityRow } from './pruning/sparsity-report.js';
export { polynomialDecaySparsity, isPruningStep, type PolynomialDecayOptions } from './pruning/polynomial-decay.js';
export { GradualPruning, type GradualPruningOptions } from './pruning/gradual-pruning.js';
export { toCsr, fromCsr, csrBytes, type CsrMatrix, type CsrIndexDType, type CsrIndexArray } from './sparse/csr.js';
export { encodeSparseSafetensors, decodeSparseSafetensors, loadSparseSafetensors, CSR_SUFFIXES, type DenseEntry } from './sparse/sparse-safetensors.js';
export { deployableState, type StateEntry, type SparseEncodeOptions } from './sparse/deployable-state.js';
export { sparseSizeReport, type SparseSizeReport, type SparseSizeRow } from './sparse/sparse-size-report.js';
export { profile, type ModelProfile, type ProfileRow, type ProfileOptions } from './profile/profile.js';
export { countOps, TRANSCENDENTAL_OPS, type OpCount } from './profile/layer-ops.js';
export { HOROWITZ_45NM, energyOf, type CostTable, type Energy, type Precision, type CostInputs } from './profile/costs.js';
export { clusterWeights, type ClusterOptions, type ClusteredLayer } from './clustering/cluster-weights.js';
export { stripClustering } from './clustering/strip-clustering.js';
export { isClustered, clusteredParameter, type ClusteredParameter } from './clustering/clustered-parameter.js';
export { kmeans1d, type KMeansOptions, type KMeansResult, type CentroidInit } from './clustering/kmeans.js';
// post-training int8 quantization and ONNX QDQ export
export { computeQParams, quantRange, quantizeValue, dequantizeValue, quantizeArray, dequantizeArray, type QParams, type QuantDType } from './quantization/qparams.js';
export { createObserver, type Observer, type ObserverSpec } from './quantization/observer.js';
export { MinMaxObserver, MovingAverageMinMaxObserver } from './quantization/min-max.js';
export { PercentileObserver } from './quantization/percentile.js';
export { MseObserver } from './quantization/mse.js';
export { EntropyObserver, smoothDistribution, klDivergence } from './quantization/entropy.js';
export { quantizeWeightPerChannel, dequantizeWeight, quantizeBias, type PerChannelWeight, type WeightQuantOptions } from './quantization/weight-quant.js';
export { fakeQuantize } from './quantization/fake-quant.js';
export { calibrate, type Calibration, type CalibratedLayer, type CalibrateOptions } from './quantization/calibrate.js';
export { quantizeModel, type QuantizeModelOptions } from './quantization/quantize-model.js';
export { int8Links, passesInt8, type Int8Link } from './quantization/int8-chain.js';
export { QuantizedConv2d, type QuantizedLayerOptions } from './quantization/quantized-conv2d.js';
export { QuantizedMaxPool2d } from './quantization/quantized-max-pool2d.js';
export type { QuantCompute } from './quantization/int8-tensors.js';
export { QuantizedLinear } from './quantization/quantized-linear.js';
export { FusedReLU } from './quantization/fused-relu.js';
export { exportQdqOnnx, registerQdqExporters } from './quantization/qdq-export.js';
export { huffmanEncode, huffmanDecode, huffmanCodeLengths, canonicalCodes, type HuffmanCoded } from './deep-compression/huffman.js';
export { encodeDeepCompressed, decodeDeepCompressed, loadDeepCompressed, type DecodedTensor } from './deep-compression/deep-compressed-format.js';
export { deepCompress, stageTable, type DeepCompressOptions, type DeepCompressionResult, type DeepCompressionRow, type DeepCompressionStage } from './deep-compression/deep-compress.js';
export { pruneChannels, planChannelPruning, type PruneChannelsOptions, type ChannelPruningReport, type ChannelPruningRow, type ChannelPruningPlan } from './structured/prune-channels.js';
export { channelGroups, SUPPORTED_LAYERS as CHANNEL_PRUNING_LAYERS, type ChannelGroup } from './structured/channel-groups.js';
export { rowNorms, type ChannelNorm } from './structured/channel-importance.js';
export { toHalf, roundToHalf, type HalfDType, type ToHalfOptions } from './half/to-half.js';
export { encodeHalfSafetensors, loadHalfSafetensors } from './half/half-safetensors.js';
export { float32ToBfloat16Bits, bfloat16BitsToFloat32 } from './half/bfloat16.js';
// knowledge distillation (Hinton soft targets, FitNets feature hints) on @mapnn/train's fit
export { distill, type DistillOptions, type DistillResult } from './distillation/distill.js';
export { hintonLoss, checkDistillationSettings, type HintonLossOptions } from './distillation/hinton-loss.js';
export { type FeatureHint } from './distillation/feature-hints.js';
// quantization-aware training and BatchNorm folding
export { fakeQuantizeSte, fakeQuantizePerChannelSte, fakeQuantizeLearnable, type IntRange, type QuantParam } from './qat/ste.js';
export { foldBatchNorm, foldConvBatchNorm, convBatchNormPairs, FoldedBatchNorm, type FoldedConv, type ConvBnPair } from './qat/fold-batch-norm.js';
export { ActivationFakeQuant, type ActivationFakeQuantOptions } from './qat/activation-fake-quant.js';
export { fakeQuantizeWeight, weightScales } from './qat/weight-fake-quant.js';
export { QatConv2d, QatLinear, type QatLayerOptions } from './qat/qat-layers.js';
export { prepareQat, type PrepareQatOptions } from './qat/prepare-qat.js';
export { convertQat, type ConvertQatOptions } from './qat/convert-qat.js';
// dynamic quantization (int8 weights, per-call activation ranges)
export { quantizeDynamic, DYNAMIC_LAYERS, type QuantizeDynamicOptions, type DynamicLayerType } from './dynamic/quantize-dynamic.js';
export { DynamicQuantizedLinear } from './dynamic/dynamic-linear.js';
export { DynamicQuantizedLSTM, DynamicQuantizedGRU } from './dynamic/dynamic-recurrent.js';
export { dynamicFakeQuantize } from './dynamic/dynamic-activation.js';
export { quantizedSizeReport, type QuantizedSizeReport, type QuantizedSizeRow } from './dynamic/size-report.js';

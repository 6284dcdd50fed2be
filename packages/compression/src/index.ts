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

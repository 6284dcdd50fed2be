import type { Module } from '@mapnn/layers';
import { clusterWeights, type ClusteredLayer, type ClusterOptions } from '../clustering/cluster-weights.js';
import { checkSparsity } from '../pruning/amount.js';
import { l1Unstructured } from '../pruning/l1-unstructured.js';
import { defaultTargets, isPruned, typeOf } from '../pruning/masked-parameter.js';
import { encodeDeepCompressed } from './deep-compressed-format.js';
import { clusteredCsrBytes, denseBytes, prunedCsrBytes } from './stage-sizes.js';

/** A stage of the pipeline. */
export type DeepCompressionStage = 'dense' | 'pruned' | 'clustered' | 'huffman';

export interface DeepCompressOptions extends Omit<ClusterOptions, 'layers'> {
  /**
   * Fraction of each layer's weights pruned by L1 magnitude (a number, or per dotted layer
   * name); leave it out when the model is pruned already (e.g. by `GradualPruning`).
   */
  sparsity?: number | Record<string, number>;
  /**
   * Called after pruning and after clustering, to fine-tune (`fit` with a fresh optimizer on
   * `model.parameters()`) — Deep Compression retrains after each step.
   */
  fineTune?: (model: Module<any, any>, stage: 'pruned' | 'clustered') => void | Promise<void>;
}

export interface DeepCompressionRow {
  stage: DeepCompressionStage;
  /** Bytes of the model stored at this stage. */
  bytes: number;
  /** Dense float32 bytes / these bytes. */
  ratio: number;
  /** How the stage stores the weights. */
  storage: string;
}

export interface DeepCompressionResult {
  stages: DeepCompressionRow[];
  /** The final file (`decodeDeepCompressed` / `loadDeepCompressed` read it). */
  bytes: Uint8Array;
  /** The clustered layers. */
  layers: ClusteredLayer[];
  /** The stages as an aligned text table. */
  table: string;
}

const STORAGE: Record<DeepCompressionStage, string> = {
  dense: 'float32, every weight',
  pruned: 'CSR: float32 values + column indices + row pointers',
  clustered: 'CSR: fixed-width codes + float32 codebook',
  huffman: 'Huffman-coded codes and index gaps + codebook (the file)',
};

/** Prunes every default target by its sparsity. */
function pruneAll(model: Module<any, any>, sparsity: number | Record<string, number>): void {
  const names = new Map(model.namedModules().map(([n, m]) => [m, n]));
  for (const [m] of defaultTargets(model)) {
    const layer = names.get(m)!;
    const amount = typeof sparsity === 'number' ? sparsity : sparsity[layer];
    if (amount === undefined) continue;
    checkSparsity(amount, `deepCompress(${typeOf(m)} '${layer}')`);
    l1Unstructured(m, { amount });
  }
}

/** Formats the stage rows. */
export function stageTable(rows: readonly DeepCompressionRow[]): string {
  const lines = rows.map((r) => [r.stage.padEnd(9), String(r.bytes).padStart(10), `${r.ratio.toFixed(1)}×`.padStart(8), r.storage].join('  '));
  return [['stage'.padEnd(9), 'bytes'.padStart(10), 'ratio'.padStart(8), 'storage'].join('  '), ...lines].join('\n');
}

/**
 * The Deep Compression pipeline (Han, Mao & Dally 2016) on `model`, in place: L1 magnitude
 * pruning to `sparsity` per layer, optional fine-tuning, k-means weight sharing to `clusters`
 * codes per layer (pruned zeros as a fixed zero code), optional fine-tuning of the centroids,
 * and Huffman coding of the codes and of the gaps between nonzero weights. Returns the bytes
 * at each stage and the final file. The model is left clustered (`stripClustering` bakes it).
 *
 * @example const { table, bytes } = await deepCompress(model, { sparsity: 0.92, clusters: 32, fineTune });
 */
export async function deepCompress(model: Module<any, any>, options: DeepCompressOptions): Promise<DeepCompressionResult> {
  const wasPruned = model.modules().some((m) => isPruned(m));
  if (options.sparsity === undefined && !wasPruned) throw new TypeError('deepCompress: give a sparsity, or prune the model first (it has no pruned layer)');
  const dense = denseBytesBeforePruning(model);
  if (options.sparsity !== undefined) pruneAll(model, options.sparsity);
  await options.fineTune?.(model, 'pruned');
  const pruned = prunedCsrBytes(model);
  const layers = clusterWeights(model, options);
  await options.fineTune?.(model, 'clustered');
  const clustered = clusteredCsrBytes(model);
  const bytes = encodeDeepCompressed(model);
  const row = (stage: DeepCompressionStage, b: number): DeepCompressionRow => ({ stage, bytes: b, ratio: dense / b, storage: STORAGE[stage] });
  const stages = [row('dense', dense), row('pruned', pruned), row('clustered', clustered), row('huffman', bytes.length)];
  return { stages, bytes, layers, table: stageTable(stages) };
}

/** Dense bytes of the model as an unpruned float32 state dict (a pruned weight counted once, its mask not). */
function denseBytesBeforePruning(model: Module<any, any>): number {
  const state = model.stateDict();
  const masks = Object.keys(state).filter((k) => k.endsWith('_mask') && `${k.slice(0, -5)}_orig` in state);
  return denseBytes(model) - masks.reduce((s, k) => s + state[k]!.dataSync().byteLength, 0);
}

import { noGrad, tidy, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { bakeMask, defaultTargets, isPruned, prunableParameter, typeOf } from '../pruning/masked-parameter.js';
import { installClustering, isClustered, type ClusteredParameter } from './clustered-parameter.js';
import { kmeans1d, type CentroidInit } from './kmeans.js';

export interface ClusterOptions {
  /**
   * Codes per layer, the zero cluster included where there is one (16 → 4-bit indices).
   * A number for every layer, or per dotted layer name (`{ '0': 32, '2': 16 }`).
   */
  clusters: number | Record<string, number>;
  /** Centroid initialization (default 'linear' over [min, max], as Deep Compression). */
  init?: CentroidInit;
  /** Seed of k-means++ (default 0). */
  seed?: number;
  /** Most Lloyd iterations (default 50). */
  maxIterations?: number;
  /**
   * Keep the layer's zero weights (pruned ones) as a dedicated, fixed code 0 (default true:
   * a layer holding any exact zeros — after pruning — gets one; a dense layer does not).
   */
  zeroCluster?: boolean;
  /** Layers to cluster, by dotted name (default: every ≥2-D `weight`, as pruning). */
  layers?: string[];
}

export interface ClusteredLayer extends ClusteredParameter {
  /** Dotted module name ('' for the model itself). */
  layer: string;
  /** Lloyd iterations run. */
  iterations: number;
}

/** The codes asked for `layer`. */
function codesFor(options: ClusterOptions, layer: string, where: string): number {
  const k = typeof options.clusters === 'number' ? options.clusters : options.clusters[layer];
  if (k === undefined) throw new RangeError(`clusterWeights: no cluster count given for ${where} (options.clusters names ${Object.keys(options.clusters).join(', ')})`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`clusterWeights: ${where} needs a whole number of clusters ≥ 1, got ${k}`);
  return k;
}

/** Clusters one module's `weight` into `k` codes and installs the codebook. */
function clusterLayer(module: Module<any, any>, layer: string, k: number, options: ClusterOptions): ClusteredLayer {
  const where = `${typeOf(module)} '${layer}'`;
  if (isClustered(module)) throw new TypeError(`clusterWeights: ${where} is already clustered; call stripClustering first`);
  prunableParameter(module, 'weight', 'clusterWeights', where); // exists, finite, not recurrent
  const w = tidy(() => noGrad(() => (module as unknown as { weight: Tensor }).weight.dataSync())); // masked when pruned
  const zeroCluster = (options.zeroCluster ?? true) && w.some((v) => v === 0);
  const free = zeroCluster ? k - 1 : k;
  const values = zeroCluster ? Float32Array.from(w).filter((v) => v !== 0) : Float32Array.from(w);
  if (zeroCluster && free < 1) throw new RangeError(`clusterWeights: ${where} has pruned (zero) weights, which take one of the ${k} codes; ask for at least 2`);
  if (free > values.length) {
    throw new RangeError(`clusterWeights: ${where} asks for ${k} clusters but has only ${values.length} ${zeroCluster ? 'nonzero ' : ''}weights to cluster`);
  }
  if (isPruned(module)) bakeMask(module, 'weight');
  const r = kmeans1d(values, free, { init: options.init, seed: options.seed, maxIterations: options.maxIterations });
  const shift = zeroCluster ? 1 : 0;
  const centroids = new Float32Array(k === free ? free : free + 1);
  centroids.set(r.centroids, shift);
  const indices = new Int32Array(w.length);
  for (let i = 0, j = 0; i < w.length; i++) {
    if (zeroCluster && w[i] === 0) continue; // code 0
    indices[i] = r.assignments[j++]! + shift;
  }
  return { ...installClustering(module, 'weight', centroids, indices, zeroCluster), layer, iterations: r.iterations };
}

/**
 * Weight sharing (Han et al. 2016, "Deep Compression"): the `weight` of every target layer is
 * clustered by 1-D k-means into a codebook of `clusters` centroids and an index per weight.
 * The model then computes with centroids[indices]; training it (with an optimizer built on
 * `model.parameters()` afresh) fine-tunes the centroids, each moved by the sum of its weights'
 * gradients. A pruned layer has its masks baked in and keeps its zeros as the fixed code 0.
 * `stripClustering` bakes the shared weights back into plain parameters.
 *
 * Errors name the layer: more clusters than weights, NaN or infinite weights, a layer already
 * clustered, a recurrent layer.
 *
 * @example clusterWeights(model, { clusters: 16 }); // 4-bit indices per weight
 */
export function clusterWeights(model: Module<any, any>, options: ClusterOptions): ClusteredLayer[] {
  const names = new Map(model.namedModules().map(([n, m]) => [m, n]));
  const targets = options.layers
    ? options.layers.map((n) => {
        const m = model.namedModules().find(([name]) => name === n)?.[1];
        if (!m) throw new TypeError(`clusterWeights: the model has no layer '${n}'`);
        return m;
      })
    : defaultTargets(model).map(([m]) => m);
  return targets.map((m) => {
    const layer = names.get(m)!;
    return clusterLayer(m, layer, codesFor(options, layer, `${typeOf(m)} '${layer}'`), options);
  });
}

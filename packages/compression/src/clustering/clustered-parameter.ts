import { concat, isTensor, noGrad, tensor, tidy, zeros, type Tensor } from '@mapnn/core';
import { buffer, parameter, type Module } from '@mapnn/layers';
import { typeOf } from '../pruning/masked-parameter.js';

/**
 * Weight sharing held on a module (Han et al. 2016): parameter `<name>` is replaced by a
 * trainable codebook `<name>_centroids` [codes] and a buffer `<name>_indices` (int32, the
 * parameter's shape) naming each weight's code; `<name>` becomes a read-only property whose
 * every read gathers `centroids[indices]`. The gather's gradient scatter-adds, so the
 * gradient of a centroid is the sum of the gradients of the weights that share it.
 * With a zero cluster (pruned weights), code 0 is the constant 0: its centroid entry is held
 * at 0 and gets no gradient, so pruned weights stay zero while the others are fine-tuned.
 */
export interface ClusteredParameter {
  module: Module<any, any>;
  name: string;
  centroids: Tensor;
  indices: Tensor;
  /** Whether code 0 is the fixed zero cluster. */
  zeroCluster: boolean;
}

type Props = Record<string, unknown>;
const ZERO_CLUSTER = Symbol('mapnn.zeroCluster');

/** Whether `name` of `module` is clustered (has `<name>_centroids` and `<name>_indices`). */
export function isClustered(module: Module<any, any>, name = 'weight'): boolean {
  const p = module as unknown as Props;
  return isTensor(p[`${name}_centroids`]) && isTensor(p[`${name}_indices`]);
}

/** The clustering state of `name` of `module` (which must be clustered). */
export function clusteredParameter(module: Module<any, any>, name = 'weight'): ClusteredParameter {
  const p = module as unknown as Props;
  if (!isClustered(module, name)) throw new TypeError(`${typeOf(module)}.${name} is not clustered`);
  const zeroSet = (module as unknown as Record<symbol, Set<string> | undefined>)[ZERO_CLUSTER];
  return { module, name, centroids: p[`${name}_centroids`] as Tensor, indices: p[`${name}_indices`] as Tensor, zeroCluster: zeroSet?.has(name) ?? false };
}

/** The weights a codebook and indices stand for: centroids[indices], in the indices' shape. */
function gathered(centroids: Tensor, indices: Tensor, zeroCluster: boolean): Tensor {
  const codes = zeroCluster ? concat([zeros([1], centroids.dtype), centroids.narrow(0, 1, centroids.size - 1)]) : centroids;
  return codes.indexSelect(0, indices.reshape([indices.size])).reshape(indices.shape);
}

/**
 * Replaces parameter `name` of `module` by a codebook (`centroids`, ascending except that the
 * zero cluster, when present, is code 0) and per-weight `indices` (int32, the parameter's
 * shape). The old parameter tensor is disposed.
 */
export function installClustering(module: Module<any, any>, name: string, centroids: Float32Array, indices: Int32Array, zeroCluster: boolean): ClusteredParameter {
  const p = module as unknown as Props;
  const old = p[name] as Tensor;
  const c = parameter(tensor(centroids, [centroids.length], old.dtype));
  const idx = buffer(tensor(indices, old.shape, 'int32'));
  delete p[name];
  p[`${name}_centroids`] = c;
  p[`${name}_indices`] = idx;
  const holder = module as unknown as Record<symbol, Set<string> | undefined>;
  if (zeroCluster) (holder[ZERO_CLUSTER] ??= new Set()).add(name);
  Object.defineProperty(module, name, {
    configurable: true,
    enumerable: false,
    get: () => gathered(c, idx, zeroCluster),
    set: () => {
      throw new TypeError(`${typeOf(module)}.${name} is clustered (computed as ${name}_centroids[${name}_indices]); call stripClustering first`);
    },
  });
  old.dispose();
  return { module, name, centroids: c, indices: idx, zeroCluster };
}

/**
 * Bakes the clustering of `name` in: `<name>` becomes an ordinary parameter holding
 * centroids[indices] (zero cluster exactly +0), and the codebook and indices are freed.
 */
export function bakeClustering(module: Module<any, any>, name: string): void {
  const { centroids, indices, zeroCluster } = clusteredParameter(module, name);
  const weight = tidy(() => noGrad(() => gathered(centroids, indices, zeroCluster)));
  const p = module as unknown as Props;
  delete p[name];
  delete p[`${name}_centroids`];
  delete p[`${name}_indices`];
  (module as unknown as Record<symbol, Set<string> | undefined>)[ZERO_CLUSTER]?.delete(name);
  p[name] = parameter(weight);
  centroids.dispose();
  indices.dispose();
}

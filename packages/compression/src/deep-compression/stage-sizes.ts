import type { Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { clusteredParameter, isClustered } from '../clustering/clustered-parameter.js';
import { csrBytes, toCsr } from '../sparse/csr.js';

/** Bytes of `t` stored raw in its dtype. */
const rawBytes = (t: Tensor): number => t.dataSync().byteLength;

/** Bytes of the model's state dict stored raw (the float32 checkpoint's payload). */
export function denseBytes(model: Module<any, any>): number {
  return Object.values(model.stateDict() as Record<string, Tensor>).reduce((s, t) => s + rawBytes(t), 0);
}

/**
 * Bytes of the pruned model in CSR (`toCsr`: float32 values, the smallest column-index and
 * row-pointer types): each pruned weight as CSR of weight_orig ⊙ mask, every other tensor raw,
 * the masks not counted (CSR holds them).
 */
export function prunedCsrBytes(model: Module<any, any>): number {
  const state = model.stateDict() as Record<string, Tensor>;
  let total = 0;
  for (const [name, t] of Object.entries(state)) {
    const base = name.replace(/_(orig|mask)$/, '');
    const pruned = base !== name && state[`${base}_orig`] !== undefined && state[`${base}_mask`] !== undefined;
    if (!pruned) total += rawBytes(t);
    else if (name.endsWith('_orig')) {
      const w = t.dataSync();
      const keep = state[`${base}_mask`]!.dataSync();
      total += csrBytes(toCsr(Float32Array.from(w, (v, i) => (keep[i] === 0 ? 0 : v)), t.shape));
    }
  }
  return total;
}

/**
 * Bytes of the clustered model with fixed-width codes in CSR: each clustered weight as its
 * float32 codebook, ⌈log2 codes⌉ bits per stored (nonzero-code) entry, and the CSR column
 * indices and row pointers; every other tensor raw.
 */
export function clusteredCsrBytes(model: Module<any, any>): number {
  let total = 0;
  const done = new Set<Tensor>();
  for (const [, m] of model.namedModules()) {
    for (const key of Object.keys(m)) {
      if (!key.endsWith('_centroids') || !isClustered(m, key.slice(0, -10))) continue;
      const { centroids, indices, zeroCluster } = clusteredParameter(m, key.slice(0, -10));
      const codes = Float32Array.from(indices.dataSync(), (c) => (zeroCluster && c === 0 ? 0 : 1));
      const csr = toCsr(codes, indices.shape);
      const bits = Math.max(1, Math.ceil(Math.log2(centroids.size)));
      total += centroids.size * 4 + Math.ceil((csr.values.length * bits) / 8) + csr.indices.byteLength + csr.indptr.byteLength;
      done.add(centroids).add(indices);
    }
  }
  for (const t of Object.values(model.stateDict() as Record<string, Tensor>)) if (!done.has(t)) total += rawBytes(t);
  return total;
}

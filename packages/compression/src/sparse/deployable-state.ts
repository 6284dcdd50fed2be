import type { DType, Tensor, TypedArray } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { reportedWeights } from '../pruning/sparsity-report.js';
import { csrBytes, toCsr, type CsrMatrix } from './csr.js';

export interface SparseEncodeOptions {
  /**
   * Which float tensors of two or more dims to store as CSR: 'auto' (default) those for which
   * CSR is smaller than dense, or a list of names.
   */
  sparse?: 'auto' | readonly string[];
}

const isFloat = (d: DType) => d === 'float32' || d === 'float64';

/** One tensor of a checkpoint as values. */
export interface StateEntry {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

/**
 * The tensors a compressed checkpoint holds: the model's state dict, with each pruned
 * parameter under its own name as `<name>_orig ⊙ <name>_mask` (masked entries +0) instead of
 * the `_orig` / `_mask` pair — the state dict of the model after `removePruning`.
 */
export function deployableState(model: Module<any, any>): Record<string, StateEntry> {
  const out: Record<string, StateEntry> = {};
  const skip = new Set<string>();
  for (const w of reportedWeights(model)) {
    if (!w.pruned) continue;
    const key = w.prefix ? `${w.prefix}.${w.name}` : w.name;
    const orig = (w.module as unknown as Record<string, Tensor>)[`${w.name}_orig`]!;
    const data = orig.dtype === 'float64' ? Float64Array.from(w.values()) : Float32Array.from(w.values());
    out[key] = { dtype: orig.dtype, shape: [...orig.shape], data };
    skip.add(`${key}_orig`).add(`${key}_mask`);
  }
  for (const [k, t] of Object.entries(model.stateDict())) {
    if (!skip.has(k)) out[k] = { dtype: t.dtype, shape: [...t.shape], data: t.dataSync() };
  }
  return out;
}

/** The tensors of `state` to store as CSR (by `options.sparse`), each with its CSR form. */
export function plan(state: Record<string, StateEntry>, options: SparseEncodeOptions): Map<string, CsrMatrix> {
  const chosen = new Map<string, CsrMatrix>();
  const list = options.sparse && options.sparse !== 'auto' ? new Set(options.sparse) : null;
  if (list) {
    for (const n of list) {
      const e = state[n];
      if (!e) throw new RangeError(`encodeSparseSafetensors: '${n}' is not a tensor of the model (it has ${Object.keys(state).join(', ')})`);
      if (!isFloat(e.dtype)) throw new TypeError(`encodeSparseSafetensors: '${n}' is ${e.dtype}; CSR stores float32 or float64 tensors`);
    }
  }
  for (const [name, e] of Object.entries(state)) {
    if (list ? !list.has(name) : !(isFloat(e.dtype) && e.shape.length >= 2)) continue;
    const csr = toCsr(e.data as Float32Array | Float64Array, e.shape);
    if (list || csrBytes(csr) < e.data.byteLength) chosen.set(name, csr);
  }
  return chosen;
}

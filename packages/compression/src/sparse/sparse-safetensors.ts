import { isTensor, tensor, type DType, type Tensor, type TypedArray } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { decodeRawSafetensors, decodeSafetensors, encodeRawSafetensors, encodeSafetensors, type BytesLike, type RawSafeTensor, type SafeTensor } from '@mapnn/train';
import { reportedWeights } from '../pruning/sparsity-report.js';
import { csrBytes, fromCsr, toCsr, type CsrIndexArray, type CsrMatrix } from './csr.js';

/**
 * A safetensors file with sparse tensors: each dense tensor `<name>` stored as CSR becomes
 * three ordinary tensors `<name>.csr_values`, `<name>.csr_indices`, `<name>.csr_indptr` and a
 * `__metadata__` entry `<name>.csr` = `{"shape": [...], "dtype": "float32"}`; every other
 * tensor is stored as is. Any safetensors reader opens the file; `decodeSparseSafetensors`
 * (or scipy's `csr_matrix((values, indices, indptr), shape=(rows, cols))`) rebuilds the dense ones.
 */
export const CSR_SUFFIXES = ['csr_values', 'csr_indices', 'csr_indptr'] as const;
const FORMAT_KEY = 'mapnn.sparse';
const FORMAT = 'csr-v1';

/** One tensor of a sparse checkpoint and what storing it costs. */
export interface SparseSizeRow {
  name: string;
  shape: number[];
  storage: 'csr' | 'dense';
  /** Bytes as a dense tensor. */
  denseBytes: number;
  /** Bytes as stored (the CSR arrays, or the dense bytes). */
  storedBytes: number;
}

export interface SparseSizeReport {
  rows: SparseSizeRow[];
  denseBytes: number;
  storedBytes: number;
  /** denseBytes / storedBytes. */
  ratio: number;
  table: string;
}

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

function plan(state: Record<string, StateEntry>, options: SparseEncodeOptions): Map<string, CsrMatrix> {
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

/** The bytes a typed array views. */
const bytesOf = (v: ArrayBufferView): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** safetensors codes of the arrays CSR uses. */
const CODE_OF = new Map<Function, string>([[Float32Array, 'F32'], [Float64Array, 'F64'], [Uint8Array, 'U8'], [Uint16Array, 'U16'], [Int32Array, 'I32']]);
const ARRAY_OF: Record<string, new (b: ArrayBuffer) => Float32Array | Float64Array | CsrIndexArray> = { F32: Float32Array, F64: Float64Array, U8: Uint8Array, U16: Uint16Array, I32: Int32Array };

const rawOf = (v: Float32Array | Float64Array | CsrIndexArray): RawSafeTensor => ({ dtype: CODE_OF.get(v.constructor)!, shape: [v.length], bytes: bytesOf(v) });

/**
 * Encodes `model`'s weights (pruned or baked) as a safetensors file with CSR tensors
 * (see `CSR_SUFFIXES`); NaN anywhere is refused.
 *
 * @example writeFileSync('model.sparse.safetensors', encodeSparseSafetensors(model));
 */
export function encodeSparseSafetensors(model: Module<any, any>, options: SparseEncodeOptions = {}): Uint8Array {
  const state = deployableState(model);
  for (const [name, e] of Object.entries(state)) {
    const bad = (e.data as Float64Array).findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new RangeError(`encodeSparseSafetensors: '${name}' has NaN at flat index ${bad}`);
  }
  const csr = plan(state, options);
  // the dense tensors as encodeSafetensors lays them out (every dtype's bytes), then the CSR parts
  const dense: Record<string, Tensor> = {};
  let raw: Record<string, RawSafeTensor>;
  try {
    for (const [name, e] of Object.entries(state)) if (!csr.has(name)) dense[name] = tensor(e.data, e.shape, e.dtype);
    raw = decodeRawSafetensors(encodeSafetensors(dense)).tensors;
  } finally {
    for (const t of Object.values(dense)) if (isTensor(t)) t.dispose();
  }
  const metadata: Record<string, string> = { [FORMAT_KEY]: FORMAT };
  for (const [name, m] of csr) {
    raw[`${name}.csr_values`] = rawOf(m.values);
    raw[`${name}.csr_indices`] = rawOf(m.indices);
    raw[`${name}.csr_indptr`] = rawOf(m.indptr);
    metadata[`${name}.csr`] = JSON.stringify({ shape: m.shape, dtype: state[name]!.dtype });
  }
  return encodeRawSafetensors(raw, metadata);
}

/** A decoded dense tensor. */
export interface DenseEntry {
  dtype: DType;
  shape: number[];
  data: SafeTensor['data'];
}

/** The typed array of a CSR part, checking its code. */
function partArray(raw: RawSafeTensor, key: string, codes: readonly string[]): Float32Array | Float64Array | CsrIndexArray {
  if (!codes.includes(raw.dtype) || raw.shape.length !== 1) {
    throw new TypeError(`decodeSparseSafetensors: '${key}' is ${raw.dtype} ${JSON.stringify(raw.shape)}; expected a 1-D ${codes.join(' or ')} tensor`);
  }
  return new ARRAY_OF[raw.dtype]!(raw.bytes.slice().buffer);
}

/**
 * Decodes a file written by `encodeSparseSafetensors` (or any safetensors file) into dense
 * tensors by name, ready for `model.loadStateDict`.
 */
export function decodeSparseSafetensors(bytes: BytesLike): Record<string, DenseEntry> {
  const { tensors: raw, metadata } = decodeRawSafetensors(bytes);
  const out: Record<string, DenseEntry> = {};
  const parts = new Set<string>();
  for (const key of Object.keys(metadata)) {
    if (!key.endsWith('.csr')) continue;
    const name = key.slice(0, -4);
    const { shape, dtype } = parseCsrMeta(metadata[key]!, name);
    const [values, indices, indptr] = CSR_SUFFIXES.map((s, i) => {
      const part = `${name}.${s}`;
      const t = raw[part];
      if (!t) throw new RangeError(`decodeSparseSafetensors: '${name}' is marked CSR but '${part}' is missing`);
      parts.add(part);
      return partArray(t, part, i === 0 ? [dtype === 'float64' ? 'F64' : 'F32'] : ['U8', 'U16', 'I32']);
    });
    const data = fromCsr({ shape, values: values as Float32Array | Float64Array, indices: indices as CsrIndexArray, indptr: indptr as CsrIndexArray }, name);
    out[name] = { dtype, shape, data };
  }
  const rest: Record<string, RawSafeTensor> = Object.create(null);
  for (const [name, t] of Object.entries(raw)) if (!parts.has(name)) rest[name] = t;
  for (const [name, t] of Object.entries(decodeSafetensors(encodeRawSafetensors(rest)).tensors)) out[name] = { dtype: t.dtype, shape: t.shape, data: t.data };
  return out;
}

function parseCsrMeta(text: string, name: string): { shape: number[]; dtype: DType } {
  let v: { shape?: unknown; dtype?: unknown };
  try {
    v = JSON.parse(text);
  } catch {
    throw new RangeError(`decodeSparseSafetensors: metadata '${name}.csr' is not JSON: ${text}`);
  }
  const ok = Array.isArray(v.shape) && v.shape.every((d) => Number.isSafeInteger(d) && d >= 0) && (v.dtype === 'float32' || v.dtype === 'float64');
  if (!ok) throw new RangeError(`decodeSparseSafetensors: metadata '${name}.csr' must be {"shape": [non-negative ints], "dtype": "float32"|"float64"}, got ${text}`);
  return { shape: v.shape as number[], dtype: v.dtype as DType };
}

/** Loads a sparse checkpoint into `model` (an unpruned model of the same architecture); returns it. */
export function loadSparseSafetensors<M extends Module<any, any>>(model: M, bytes: BytesLike): M {
  model.loadStateDict(decodeSparseSafetensors(bytes));
  return model;
}

/** What `encodeSparseSafetensors` would store for `model`: bytes per tensor, dense against stored. */
export function sparseSizeReport(model: Module<any, any>, options: SparseEncodeOptions = {}): SparseSizeReport {
  const state = deployableState(model);
  const csr = plan(state, options);
  const rows = Object.entries(state).map(([name, e]) => {
    const denseBytes = e.data.byteLength;
    const m = csr.get(name);
    return { name, shape: e.shape, storage: m ? ('csr' as const) : ('dense' as const), denseBytes, storedBytes: m ? csrBytes(m) : denseBytes };
  });
  const denseBytes = rows.reduce((s, r) => s + r.denseBytes, 0);
  const storedBytes = rows.reduce((s, r) => s + r.storedBytes, 0);
  const ratio = storedBytes ? denseBytes / storedBytes : 1;
  const table = [
    ...rows.map((r) => `${r.name.padEnd(28)} ${r.storage.padEnd(5)} ${String(r.denseBytes).padStart(10)} → ${String(r.storedBytes).padStart(10)} B`),
    `${'total'.padEnd(34)} ${String(denseBytes).padStart(10)} → ${String(storedBytes).padStart(10)} B (${ratio.toFixed(2)}× smaller)`,
  ].join('\n');
  return { rows, denseBytes, storedBytes, ratio, table };
}

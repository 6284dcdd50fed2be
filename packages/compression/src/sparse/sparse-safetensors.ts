import { isTensor, tensor, type DType, type Tensor } from '@mapnn/core';
import type { Module } from '@mapnn/layers';
import { decodeRawSafetensors, decodeSafetensors, encodeRawSafetensors, encodeSafetensors, type BytesLike, type RawSafeTensor, type SafeTensor } from '@mapnn/train';
import { fromCsr, type CsrIndexArray } from './csr.js';
import { deployableState, plan, type SparseEncodeOptions } from './deployable-state.js';

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


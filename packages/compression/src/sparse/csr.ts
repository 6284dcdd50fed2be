/**
 * Compressed sparse row (CSR) storage of a dense tensor viewed as a matrix [rows, cols]
 * (rows = shape[0], cols = the product of the other dims; a conv weight [out, in, kh, kw] is
 * [out, in·kh·kw]), as `scipy.sparse.csr_matrix` and `torch.sparse_csr_tensor` lay it out:
 * `values` [nnz], `indices` [nnz] (column of each value) and `indptr` [rows + 1] (row r holds
 * entries `indptr[r]` to `indptr[r + 1] − 1`).
 *
 * An entry is stored when its bits are not +0, so a −0 survives and decoding is bit-exact.
 */
export interface CsrMatrix {
  /** The dense tensor's shape. */
  shape: number[];
  values: Float32Array | Float64Array;
  indices: CsrIndexArray;
  indptr: CsrIndexArray;
}

/** The index dtypes CSR uses: the smallest one that fits (safetensors `U8`, `U16`, `I32`). */
export type CsrIndexDType = 'uint8' | 'uint16' | 'int32';
export type CsrIndexArray = Uint8Array | Uint16Array | Int32Array;

/** The smallest index dtype holding values up to `max`. */
export function indexDTypeFor(max: number, what: string): CsrIndexDType {
  if (max <= 0xff) return 'uint8';
  if (max <= 0xffff) return 'uint16';
  if (max <= 0x7fffffff) return 'int32';
  throw new RangeError(`toCsr: ${what} reaches ${max}, beyond int32`);
}

const INDEX_ARRAYS = { uint8: Uint8Array, uint16: Uint16Array, int32: Int32Array } as const;
const indexArray = (dtype: CsrIndexDType, n: number): CsrIndexArray => new INDEX_ARRAYS[dtype](n);

/** [rows, cols] of a dense shape (a 1-D tensor is one row). */
export function matrixOf(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]!];
  return [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
}

/** Whether a value is stored (anything but +0). */
const stored = (v: number) => v !== 0 || Object.is(v, -0);

/** Encodes dense row-major `values` of `shape` as CSR. */
export function toCsr(values: Float32Array | Float64Array, shape: readonly number[]): CsrMatrix {
  const [rows, cols] = matrixOf(shape);
  if (rows * cols !== values.length) throw new RangeError(`toCsr: shape ${JSON.stringify(shape)} holds ${rows * cols} values, got ${values.length}`);
  let nnz = 0;
  for (let i = 0; i < values.length; i++) if (stored(values[i]!)) nnz++;
  const out: CsrMatrix = {
    shape: [...shape],
    values: values instanceof Float64Array ? new Float64Array(nnz) : new Float32Array(nnz),
    indices: indexArray(indexDTypeFor(cols - 1, 'the column index'), nnz),
    indptr: indexArray(indexDTypeFor(nnz, 'the number of stored values'), rows + 1),
  };
  let k = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      if (!stored(v)) continue;
      out.values[k] = v;
      out.indices[k++] = c;
    }
    out.indptr[r + 1] = k;
  }
  return out;
}

/** Decodes CSR back to dense row-major values (+0 where nothing is stored), checking the layout. */
export function fromCsr(m: CsrMatrix, name = 'tensor'): Float32Array | Float64Array {
  const [rows, cols] = matrixOf(m.shape);
  const where = `fromCsr(${name})`;
  if (m.indptr.length !== rows + 1) throw new RangeError(`${where}: indptr has ${m.indptr.length} entries; expected rows + 1 = ${rows + 1} for shape ${JSON.stringify(m.shape)}`);
  if (m.indices.length !== m.values.length) throw new RangeError(`${where}: ${m.indices.length} indices for ${m.values.length} values`);
  if (m.indptr[0] !== 0 || m.indptr[rows] !== m.values.length) throw new RangeError(`${where}: indptr must run from 0 to nnz = ${m.values.length}, got ${m.indptr[0]} … ${m.indptr[rows]}`);
  const out = m.values instanceof Float64Array ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const [a, b] = [m.indptr[r]!, m.indptr[r + 1]!];
    if (b < a) throw new RangeError(`${where}: indptr decreases at row ${r} (${a} → ${b})`);
    for (let k = a; k < b; k++) {
      const c = m.indices[k]!;
      if (c >= cols) throw new RangeError(`${where}: column index ${c} at entry ${k} is outside [0, ${cols})`);
      out[r * cols + c] = m.values[k]!;
    }
  }
  return out;
}

/** Bytes of the three CSR arrays. */
export const csrBytes = (m: CsrMatrix): number => m.values.byteLength + m.indices.byteLength + m.indptr.byteLength;

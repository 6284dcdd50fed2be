import { describe, expect, it } from 'vitest';
import { csrBytes, fromCsr, toCsr } from './csr.js';

describe('CSR', () => {
  it('lays a matrix out as scipy.sparse.csr_matrix does, with the smallest index dtype', () => {
    const dense = Float32Array.from([0, 2, 0, 0, 0, 0, 3, 4, 5]);
    const m = toCsr(dense, [3, 3]);
    expect(Array.from(m.values)).toEqual([2, 3, 4, 5]);
    expect(Array.from(m.indices)).toEqual([1, 0, 1, 2]);
    expect(Array.from(m.indptr)).toEqual([0, 1, 1, 4]);
    expect(m.indices).toBeInstanceOf(Uint8Array);
    expect(csrBytes(m)).toBe(16 + 4 + 4);
    expect(Array.from(fromCsr(m))).toEqual(Array.from(dense));
  });

  it('views a conv weight as [out, in·kh·kw], widens indices past 255 and 65,535 columns, and keeps −0 bit-exact', () => {
    const dense = new Float32Array(2 * 300);
    dense[299] = 1.5;
    dense[300] = -0;
    const m = toCsr(dense, [2, 3, 10, 10]);
    expect(m.indices).toBeInstanceOf(Uint16Array);
    expect(m.indptr).toBeInstanceOf(Uint8Array);
    expect(toCsr(new Float32Array(70000).fill(1, 69999), [1, 70000]).indices).toBeInstanceOf(Int32Array);
    expect(Array.from(m.indices)).toEqual([299, 0]);
    const back = fromCsr(m);
    expect(Object.is(back[300], -0)).toBe(true);
    expect(new Uint8Array(back.buffer)).toEqual(new Uint8Array(dense.buffer));
  });

  it('refuses a broken layout, naming the tensor', () => {
    const m = toCsr(Float32Array.from([1, 0, 0, 1]), [2, 2]);
    expect(() => fromCsr({ ...m, indptr: Uint8Array.from([0, 1]) }, 'fc.weight')).toThrow(/fromCsr\(fc\.weight\): indptr has 2 entries; expected rows \+ 1 = 3/);
    expect(() => fromCsr({ ...m, indices: Uint8Array.from([0, 7]) }, 'fc.weight')).toThrow(/column index 7 at entry 1 is outside \[0, 2\)/);
  });
});

import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, randn, setBackend, tensor, tidy } from '@mapnn/core';
import { BatchNorm2d, Conv2d, Flatten, Linear, ReLU, Sequential, type Module } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { decodeRawSafetensors, encodeSafetensors } from '@mapnn/train';
import { decodeSparseSafetensors, encodeSparseSafetensors, globalUnstructured, l1Unstructured, loadSparseSafetensors, removePruning, sparseSizeReport } from '../index.js';

beforeAll(() => setBackend('cpu'));

const cnn = (seed: number) =>
  new Sequential(
    new Conv2d(1, 8, 3, { padding: 1, generator: new Generator(seed) }),
    new BatchNorm2d(8),
    new ReLU(),
    new Flatten(),
    new Linear(8 * 6 * 6, 10, { generator: new Generator(seed + 1) }),
  );

/** The bytes of every state-dict tensor. */
const bitsOf = (m: Module<any, any>) =>
  Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => { const v = t.dataSync(); return [k, Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))]; }));

/** A pruned CNN after a few Adam steps (so weight_orig and the BN statistics are not their init). */
function prunedCnn(): Sequential {
  const model = cnn(5);
  globalUnstructured([model.at(0), model.at(4)], { amount: 0.9 });
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  const x = randn([4, 1, 6, 6], { generator: new Generator(9) });
  for (let i = 0; i < 3; i++) {
    model.zeroGrad();
    tidy(() => (model.call(x) as ReturnType<typeof x.mul>).square().mean().backward());
    opt.step();
  }
  return model;
}

describe('sparse safetensors checkpoints', () => {
  it('restore the pruned model bit-exactly into a fresh model, as plain safetensors', () => {
    const model = prunedCnn();
    const bytes = encodeSparseSafetensors(model);
    const { tensors, metadata } = decodeRawSafetensors(bytes); // an ordinary safetensors file
    expect(Object.keys(tensors)).toContain('4.weight.csr_values');
    expect(tensors['4.weight.csr_values']!.dtype).toBe('F32');
    expect(tensors['4.weight.csr_indices']!.dtype).toBe('U16'); // 288 columns
    // the global ranking left fc ≤ 255 values, so its row pointers fit U8
    expect(tensors['4.weight.csr_values']!.shape[0]).toBeLessThanOrEqual(255);
    expect(tensors['4.weight.csr_indptr']!.dtype).toBe('U8');
    expect(JSON.parse(metadata['4.weight.csr']!)).toEqual({ shape: [10, 288], dtype: 'float32' });
    expect(tensors['1.running_var']!.shape).toEqual([8]);
    expect(tensors['1.num_batches_tracked']!.dtype).toBe('I64'); // dense tensors keep their dtype

    const restored = loadSparseSafetensors(cnn(77), bytes);
    const x = randn([2, 1, 6, 6], { generator: new Generator(4) });
    model.eval();
    restored.eval();
    const before = Array.from((model.call(x) as typeof x).dataSync());
    removePruning(model);
    expect(bitsOf(restored)).toEqual(bitsOf(model));
    expect(Array.from((restored.call(x) as typeof x).dataSync())).toEqual(before);
  });

  it('is ≥ 5× smaller than the dense float32 file at 90 % sparsity (U16 column indices: 6 bytes a value), and reports the bytes', () => {
    const fc = new Linear(1024, 128, { bias: false, generator: new Generator(2) });
    l1Unstructured(fc, { amount: 0.9 });
    const sparse = encodeSparseSafetensors(fc);
    removePruning(fc);
    const dense = encodeSafetensors(fc.stateDict());
    const stored = 13107 * (4 + 2) + 129 * 2; // values F32, indices U16, indptr U16 (nnz 13,107)
    expect(dense.length / sparse.length).toBeGreaterThan(6.6);
    const r = sparseSizeReport(fc);
    expect(r.rows).toEqual([{ name: 'weight', shape: [128, 1024], storage: 'csr', denseBytes: 524288, storedBytes: stored }]);
    expect(r.ratio).toBeCloseTo(524288 / stored, 9);
    expect(r.table).toMatch(/weight\s+csr\s+524288 →\s+78900 B/);
  });

  it("keeps tensors dense when CSR would be larger, or stores exactly the names given", () => {
    const model = cnn(1);
    const auto = decodeRawSafetensors(encodeSparseSafetensors(model)).tensors;
    expect(Object.keys(auto).some((k) => k.includes('.csr_'))).toBe(false);
    const forced = decodeRawSafetensors(encodeSparseSafetensors(model, { sparse: ['0.weight'] })).tensors;
    expect(Object.keys(forced).filter((k) => k.includes('.csr_')).sort()).toEqual(['0.weight.csr_indices', '0.weight.csr_indptr', '0.weight.csr_values']);
    expect(decodeSparseSafetensors(encodeSparseSafetensors(model, { sparse: ['0.weight'] }))['0.weight']!.shape).toEqual([8, 1, 3, 3]);
    expect(() => encodeSparseSafetensors(model, { sparse: ['nope'] })).toThrow(/'nope' is not a tensor of the model/);
  });

  it('refuses NaN weights and a CSR entry whose parts are missing', () => {
    const fc = new Linear(2, 2);
    fc.loadStateDict({ weight: tensor([1, Number.NaN, 0, 0], [2, 2]), bias: tensor([0, 0]) });
    expect(() => encodeSparseSafetensors(fc)).toThrow(/encodeSparseSafetensors: 'weight' has NaN at flat index 1/);
    const broken = encodeSafetensors({ 'w.csr_values': tensor([1]) }, { 'w.csr': '{"shape":[1,1],"dtype":"float32"}' });
    expect(() => decodeSparseSafetensors(broken)).toThrow(/'w' is marked CSR but 'w.csr_indices' is missing/);
    const wrong = encodeSafetensors({ 'w.csr_values': tensor([1]), 'w.csr_indices': tensor([0], [1], 'float32'), 'w.csr_indptr': tensor([0, 1], [2], 'uint8') }, { 'w.csr': '{"shape":[1,1],"dtype":"float32"}' });
    expect(() => decodeSparseSafetensors(wrong)).toThrow(/'w.csr_indices' is F32 \[1\]; expected a 1-D U8 or U16 or I32 tensor/);
  });
});

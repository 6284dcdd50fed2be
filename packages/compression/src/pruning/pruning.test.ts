import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, tensor, tidy } from '@mapnn/core';
import { Conv2d, Linear, LSTM, ReLU, Sequential } from '@mapnn/layers';
import { Adam } from '@mapnn/optimizers';
import { globalUnstructured, l1Unstructured, removePruning, roundHalfEven, sparsityReport } from '../index.js';

beforeAll(() => setBackend('cpu'));

/** A Linear(4, 2) with the given weights (row-major [2, 4]) and zero bias. */
function linearWith(w: number[], inF = 4, outF = 2): Linear {
  const fc = new Linear(inF, outF);
  fc.loadStateDict({ weight: tensor(w, [outF, inF]), bias: tensor(new Array(outF).fill(0), [outF]) });
  return fc;
}

const W = [0.5, -0.1, 0.3, -0.8, 0.05, 0.9, -0.2, 0.6];
const x = () => tensor([1, 2, 3, 4], [1, 4]);

describe('l1Unstructured', () => {
  it('masks the smallest magnitudes, keeps PyTorch state-dict names, and the forward uses weight ⊙ mask', () => {
    const fc = l1Unstructured(linearWith(W), { amount: 0.5 });
    expect(Object.keys(fc.stateDict()).sort()).toEqual(['bias', 'weight_mask', 'weight_orig']);
    expect(Array.from(fc.stateDict().weight_mask!.dataSync())).toEqual([1, 0, 0, 1, 0, 1, 0, 1]);
    // weight_orig keeps the trained values, as in PyTorch
    expect(Array.from(fc.stateDict().weight_orig!.dataSync())).toEqual(Array.from(Float32Array.from(W)));
    // y = x · (W ⊙ M)ᵀ: row 0 = 0.5·1 − 0.8·4, row 1 = 0.9·2 + 0.6·4
    const y = Array.from(fc.call(x()).dataSync());
    expect(y[0]).toBeCloseTo(0.5 - 3.2, 5);
    expect(y[1]).toBeCloseTo(1.8 + 2.4, 5);
  });

  it('counts with round-half-even and breaks ties by the lower index', () => {
    expect([roundHalfEven(2.5), roundHalfEven(3.5), roundHalfEven(0.5), roundHalfEven(2.4), roundHalfEven(2.6)]).toEqual([2, 4, 0, 2, 3]);
    // 8 entries, amount 0.3125 → 2.5 → 2 (Math.round would prune 3)
    const fc = l1Unstructured(linearWith([1, 1, 1, 1, 2, 2, 2, 2]), { amount: 0.3125 });
    expect(Array.from(fc.stateDict().weight_mask!.dataSync())).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('takes an exact count, and pruning again prunes that share of what remains (PruningContainer)', () => {
    const fc = l1Unstructured(linearWith(W), { count: 3 });
    expect(sparsityReport(fc).global.zeros).toBe(3);
    l1Unstructured(fc, { amount: 0.4 }); // 40 % of the 5 left → 2 more
    expect(sparsityReport(fc).global.zeros).toBe(5);
    expect(Array.from(fc.stateDict().weight_mask!.dataSync())).toEqual([0, 0, 0, 1, 0, 1, 0, 1]); // 0.05, 0.1, 0.2 then 0.3, 0.5
  });

  it('keeps masked weights at zero through Adam steps with weight decay, which move weight_orig there', () => {
    const fc = l1Unstructured(linearWith(W), { amount: 0.5 });
    const opt = new Adam(fc.parameters(), { lr: 0.1, weightDecay: 0.5 });
    const origBefore = Array.from(fc.stateDict().weight_orig!.dataSync());
    for (let step = 0; step < 5; step++) {
      fc.zeroGrad();
      tidy(() => fc.call(x()).square().sum().backward());
      // gradients reach only kept entries
      if (step === 0) expect(Array.from(fc.stateDict().weight_orig!.grad!.dataSync()).map((g, i) => (g === 0 ? 0 : 1))).toEqual([1, 0, 0, 1, 0, 1, 0, 1]);
      opt.step();
    }
    const orig = Array.from(fc.stateDict().weight_orig!.dataSync());
    const effective = Array.from(tidy(() => fc.weight.dataSync()));
    const masked = [1, 2, 4, 6];
    for (const i of masked) {
      expect(orig[i]).not.toBe(origBefore[i]); // Adam (weight decay) would revive these…
      expect(effective[i] === 0).toBe(true); // ±0: …but the weight the layer computes with stays 0
    }
    expect(sparsityReport(fc).global.fraction).toBe(0.5);
  });

  it('prunes Conv2d, and a Sequential that fuses Linear → ReLU computes with the masked weight', () => {
    const conv = l1Unstructured(new Conv2d(2, 3, 3, { generator: new Generator(1) }), { amount: 0.7 });
    expect(sparsityReport(conv).layers[0]).toMatchObject({ name: 'weight', zeros: 38, total: 54 });
    const model = new Sequential(linearWith(W), new ReLU());
    const dense = Array.from(model.call(x()).dataSync());
    l1Unstructured(model.at(0), { amount: 0.5 });
    const pruned = Array.from(model.call(x()).dataSync());
    expect(dense[1]).toBeCloseTo(0.05 + 1.8 - 0.6 + 2.4, 5);
    expect(pruned[0]).toBe(0); // relu(0.5 − 3.2)
    expect(pruned[1]).toBeCloseTo(4.2, 5);
  });

  it('refuses bad amounts, a module without the weight, NaN weights and recurrent layers, naming them', () => {
    const fc = linearWith(W);
    expect(() => l1Unstructured(fc, { amount: 1 })).toThrow(/l1Unstructured\(Linear\.weight\): amount must be a fraction in \[0, 1\), got 1/);
    expect(() => l1Unstructured(fc, { amount: -0.1 })).toThrow(/\[0, 1\), got -0\.1/);
    expect(() => l1Unstructured(fc, { amount: Number.NaN })).toThrow(/got NaN/);
    expect(() => l1Unstructured(fc, { count: 9 })).toThrow(/count=9 exceeds the 8 entries/);
    expect(() => l1Unstructured(fc, {})).toThrow(/exactly one of 'amount'/);
    expect(() => l1Unstructured(new ReLU(), { amount: 0.5 })).toThrow(/l1Unstructured: ReLU has no parameter 'weight' to prune \(its parameters: none\)/);
    expect(() => l1Unstructured(fc, { amount: 0.5, name: 'scale' })).toThrow(/Linear has no parameter 'scale' to prune \(its parameters: weight, bias\)/);
    expect(() => l1Unstructured(linearWith([1, Number.NaN, 0, 0, 0, 0, 0, 0]), { amount: 0.5 })).toThrow(/Linear\.weight has a non-finite value \(NaN\) at flat index 1/);
    expect(() => l1Unstructured(new LSTM(2, 2), { amount: 0.5, name: 'weight_ih_l0' })).toThrow(/LSTM is a recurrent layer/);
    expect(() => globalUnstructured([fc, new ReLU()], { amount: 0.5 })).toThrow(/globalUnstructured: target 1 \(ReLU\.weight\) has no parameter/);
  });
});

describe('globalUnstructured', () => {
  it('ranks all targets together, so layers lose different shares', () => {
    const a = linearWith([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    const b = linearWith([0.05, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.15]);
    globalUnstructured([a, [b, 'weight']], { amount: 0.25 }); // 4 of 16: 0.05, 0.1, 0.15, 0.2
    expect(Array.from(a.stateDict().weight_mask!.dataSync())).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(b.stateDict().weight_mask!.dataSync())).toEqual([0, 1, 1, 1, 1, 1, 1, 0]);
    globalUnstructured([a, b], { count: 2 }); // of the 12 left: 0.3, 0.4
    expect(sparsityReport(new Sequential(a, b)).layers.map((r) => r.zeros)).toEqual([4, 2]);
  });
});

describe('removePruning and sparsityReport', () => {
  it('bakes masks in as +0, restores the parameter name and identity, and keeps the forward', () => {
    const model = new Sequential(linearWith(W), new ReLU(), linearWith(W.map((v) => -v), 2, 4));
    const params = model.parameters();
    l1Unstructured(model.at(0), { amount: 0.5 });
    l1Unstructured(model.at(2), { amount: 0.75 });
    const input = tensor([0.5, -1, 2, 1], [1, 4]);
    const before = Array.from(model.call(tensor([1, 2, 3, 4, 0.5, -1, 2, 1], [2, 4])).dataSync());
    expect(removePruning(model)).toEqual(['0.weight', '2.weight']);
    expect(Object.keys(model.stateDict()).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(new Set(model.parameters())).toEqual(new Set(params));
    expect(Array.from(model.call(tensor([1, 2, 3, 4, 0.5, -1, 2, 1], [2, 4])).dataSync())).toEqual(before);
    const w2 = Array.from((model.at(2) as Linear).weight.dataSync());
    expect(w2.filter((v) => Object.is(v, -0))).toEqual([]);
    expect(w2.filter((v) => v === 0)).toHaveLength(6);
    const r = sparsityReport(model);
    expect(r.layers.map(({ name, zeros, total }) => [name, zeros, total])).toEqual([['0.weight', 4, 8], ['2.weight', 6, 8]]);
    expect(r.global).toEqual({ zeros: 10, total: 16, fraction: 0.625 });
    expect(r.table).toMatch(/global\s+10\s+16\s+62\.50 %/);
    input.dispose();
  });
});

import '@mapnn/backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Generator, setBackend, type Tensor } from '@mapnn/core';
import { BatchNorm2d, Conv2d, Flatten, Linear, LSTM, MaxPool2d, Module, ReLU, Sequential } from '@mapnn/layers';
import { HOROWITZ_45NM, energyOf, l1Unstructured, profile } from '../index.js';

beforeAll(() => setBackend('cpu'));

const cnn = () =>
  new Sequential(
    new Conv2d(1, 8, 3, { padding: 1, generator: new Generator(1) }),
    new BatchNorm2d(8),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(128, 10, { generator: new Generator(2) }),
  );

describe('profile', () => {
  it('counts MACs, multiplies, adds, parameters and bytes per layer of a CNN', () => {
    const p = profile(cnn(), [2, 1, 8, 8]);
    const pick = p.rows.map((r) => [r.type, r.outputShape, r.macs, r.mults, r.adds, r.params, r.activationBytes]);
    expect(pick).toEqual([
      ['Conv2d', [2, 8, 8, 8], 9216, 9216, 9216 + 1024, 80, 4096], // 1024 outputs × 9 taps, + bias
      ['BatchNorm2d', [2, 8, 8, 8], 0, 1024, 1024, 16, 4096], // folded scale and shift
      ['ReLU', [2, 8, 8, 8], 0, 0, 1024, 0, 4096], // one comparison each
      ['MaxPool2d', [2, 8, 4, 4], 0, 0, 256 * 3, 0, 1024], // 3 comparisons per 2×2 window
      ['Flatten', [2, 128], 0, 0, 0, 0, 1024],
      ['Linear', [2, 10], 2560, 2560, 2560 + 20, 1290, 80],
    ]);
    expect(p.rows[0]!.weightBytes).toBe(80 * 4);
    expect(p.total.macs).toBe(9216 + 2560);
    expect(p.total.params).toBe(80 + 16 + 1290);
    expect(p.table).toMatch(/total\s+11,776\s+1,386/);
  });

  it('estimates energy from Horowitz (2014) costs: compute, DRAM weight reads, SRAM activations', () => {
    const conv = profile(cnn(), [2, 1, 8, 8]).rows[0]!;
    expect(conv.energy.compute).toBeCloseTo(9216 * 3.7 + 10240 * 0.9, 6);
    expect(conv.energy.weights).toBeCloseTo((320 / 4) * 640, 6);
    expect(conv.energy.activations).toBeCloseTo((128 + 1024) * 5, 6); // input and output words
    expect(conv.energy.total).toBeCloseTo(conv.energy.compute + conv.energy.weights + conv.energy.activations, 6);
    const int8 = profile(cnn(), [2, 1, 8, 8], { precision: 'int8' }).rows[0]!;
    expect(int8.weightBytes).toBe(80);
    expect(int8.energy.compute).toBeCloseTo(9216 * 0.2 + 10240 * 0.03, 6);
    expect(energyOf({ mults: 1, adds: 1, weightBytes: 4, activationBytesIn: 4, activationBytesOut: 0 }, 'fp32', HOROWITZ_45NM).total).toBeCloseTo(3.7 + 0.9 + 640 + 5, 9);
  });

  it('with sparse: true counts only nonzero-weight MACs and CSR weight bytes of a pruned layer', () => {
    const model = cnn();
    l1Unstructured(model.at(5), { amount: 0.9 });
    const dense = profile(model, [2, 1, 8, 8]).rows[5]!;
    const sparse = profile(model, [2, 1, 8, 8], { sparse: true }).rows[5]!;
    expect(dense.macs).toBe(2560);
    expect(sparse.macs).toBe(256); // 128 of 1280 weights left
    expect(sparse.weightBytes).toBe(40 + 128 * 8 + 11 * 4); // bias + values/indices + row pointers
    expect(sparse.energy.total).toBeLessThan(dense.energy.total / 3);
  });

  it('counts recurrent layers per gate, layer and time step', () => {
    const lstm = profile(new LSTM(3, 5), [4, 2, 3]).rows[0]!; // T=4, N=2
    expect(lstm.macs).toBe(4 * 2 * 4 * 5 * (3 + 5));
    const two = profile(new LSTM(3, 5, { numLayers: 2, bidirectional: true }), [4, 2, 3]).rows[0]!;
    expect(two.macs).toBe(4 * 2 * (2 * 4 * 5 * (3 + 5) + 2 * 4 * 5 * (10 + 5)));
  });

  it('marks a module type without a rule, and counts a shared module’s parameters once', () => {
    class Square extends Module {
      forward(x: Tensor) {
        return x.mul(x);
      }
    }
    const fc = new Linear(4, 4);
    class Twice extends Module {
      fc = fc;
      sq = new Square();
      forward(x: Tensor) {
        return this.sq.call(this.fc.call(this.fc.call(x)));
      }
    }
    const p = profile(new Twice(), [1, 4]);
    expect(p.rows.map((r) => [r.type, r.params, r.macs, r.counted])).toEqual([['Linear', 20, 16, true], ['Linear', 0, 16, true], ['Square', 0, 0, false]]);
    expect(p.table).toMatch(/Square\) \*/);
  });
});

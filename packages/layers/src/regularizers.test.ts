import '../test/setup.js';
import { describe, expect, it } from 'vitest';
import { add, memory, norm, sum, tensor, tidy } from '@mapnn/core';
import { clearRegularizers, l1, l1l2, l2, Linear, maxNorm, Module, regularizationLoss, Sequential, setRegularizer, type Regularizer } from './index.js';

const fixed = (rows: number[][]) => {
  const fc = new Linear(rows[0]!.length, rows.length);
  fc.loadStateDict({ weight: { shape: [rows.length, rows[0]!.length], data: rows.flat() }, bias: { shape: [rows.length], data: rows.map(() => 1) } });
  return fc;
};

describe('regularizers', () => {
  it('l1, l2 and l1l2 penalties and their gradients', () => {
    tidy(() => {
      const w = tensor([1, -2, 3], [3]).requiresGrad_();
      const cases: [Regularizer, number, number[]][] = [
        [l1(0.1), 0.6, [0.1, -0.1, 0.1]],
        [l2(0.1), 1.4, [0.2, -0.4, 0.6]],
        [l1l2(0.1, 0.01), 0.6 + 0.14, [0.1 + 0.02, -0.1 - 0.04, 0.1 + 0.06]],
      ];
      for (const [reg, value, grad] of cases) {
        const p = reg.penalty(w);
        expect(p.shape).toEqual([]);
        expect(p.item()).toBeCloseTo(value, 6);
        p.backward();
        Array.from(w.grad!.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(grad[i]!, 6));
        w.grad!.dispose();
        w.grad = null;
      }
    });
  });

  it('attach per parameter or per module (with a filter); regularizationLoss sums them, differentiably', () => {
    const a = fixed([[1, -1], [2, 0]]); // Σ|w| = 4, Σw² = 6, bias ones
    const b = fixed([[3, 4]]); // Σ|w| = 7, Σw² = 25
    const model = new Sequential(a, b);
    expect(regularizationLoss(model).item()).toBe(0);
    setRegularizer(a.weight, l1(0.5)); // 2
    setRegularizer(b, l2(0.1), { filter: (n) => n.endsWith('weight') }); // 2.5
    setRegularizer(model, l1(0.01)); // 0.01·(4 + 2 + 7 + 1) = 0.14
    tidy(() => {
      const loss = regularizationLoss(model);
      expect(loss.item()).toBeCloseTo(2 + 2.5 + 0.14, 5);
      loss.backward();
      expect(Array.from(a.weight.grad!.dataSync()).map((v) => +v.toFixed(6))).toEqual([0.51, -0.51, 0.51, 0]); // d|w|/dw = 0 at w = 0, as PyTorch
      // b.weight: 0.1·2w + 0.01·sign(w)
      expect(Array.from(b.weight.grad!.dataSync()).map((v) => +v.toFixed(6))).toEqual([0.61, 0.81]);
      expect(Array.from(b.bias!.grad!.dataSync()).map((v) => +v.toFixed(6))).toEqual([0.01]);
    });
    model.zeroGrad();
    // a frozen parameter still counts in the value but gets no gradient
    a.freeze();
    tidy(() => {
      const loss = regularizationLoss(model);
      expect(loss.item()).toBeCloseTo(4.64, 5);
      loss.backward();
      expect(a.weight.grad).toBeNull();
    });
    model.zeroGrad();
    clearRegularizers(model);
    clearRegularizers(b);
    clearRegularizers(a.weight);
    expect(regularizationLoss(model).item()).toBe(0);
    model.dispose();
  });

  it('adds to a data loss in a training step and leaks nothing', () => {
    class Net extends Module {
      fc = new Linear(3, 1);
      forward(x: import('@mapnn/core').Tensor) {
        return this.fc.call(x);
      }
    }
    const net = new Net();
    setRegularizer(net, l2(1e-3));
    const before = memory().numTensors;
    tidy(() => {
      const loss = add(sum(net.call(tensor([[1, 2, 3]]))), regularizationLoss(net));
      loss.backward();
    });
    net.zeroGrad();
    expect(memory().numTensors).toBe(before);
    net.dispose();
  });
});

describe('maxNorm', () => {
  it('renormalises rows (default: all dims but 0) above maxValue, in place, and leaves the others', () => {
    const fc = fixed([[3, 4], [0.3, 0.4], [0, 0]]); // row norms 5, 0.5, 0
    const w = fc.weight;
    const before = memory().numTensors;
    const out = maxNorm(fc.weight, 1);
    expect(out).toBe(w);
    expect(memory().numTensors).toBe(before);
    const d = Array.from(w.dataSync());
    [0.6, 0.8, 0.3, 0.4, 0, 0].forEach((v, i) => expect(d[i]).toBeCloseTo(v, 6));
    expect(w.requiresGrad).toBe(true);
    fc.dispose();
  });

  it('axis 0 bounds columns; conv filters over [1, 2, 3]', () => {
    tidy(() => {
      const w = tensor([3, 0, 4, 1], [2, 2]); // columns: [3, 4] norm 5, [0, 1] norm 1
      maxNorm(w, 2, 0);
      const d = Array.from(w.dataSync());
      [1.2, 0, 1.6, 1].forEach((v, i) => expect(d[i]).toBeCloseTo(v, 6));
      const k = tensor(Array.from({ length: 2 * 2 * 2 * 2 }, (_, i) => (i < 8 ? 1 : 0.1)), [2, 2, 2, 2]);
      maxNorm(k, 1);
      const n = Array.from(norm(k, 2, [1, 2, 3]).dataSync());
      expect(n[0]).toBeCloseTo(1, 6);
      expect(n[1]).toBeCloseTo(0.1 * Math.sqrt(8), 6);
    });
  });
});

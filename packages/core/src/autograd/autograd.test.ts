import { describe, expect, it } from 'vitest';
import { grad, gradients, memory, noGrad, tensor, tidy, valueAndGrad } from '../index.js';

describe('autograd', () => {
  it('backward accumulates gradients of a composed expression', () => {
    const x = tensor([1, 2, 3]).requiresGrad_();
    const y = x.mul(x).add(x.exp()).sum(); // d/dx = 2x + e^x
    y.backward();
    const g = Array.from(x.grad!.dataSync());
    [1, 2, 3].forEach((v, i) => expect(g[i]).toBeCloseTo(2 * v + Math.exp(v), 5));
    // second backward accumulates
    x.mul(3).sum().backward();
    expect(Array.from(x.grad!.dataSync())[0]).toBeCloseTo(2 + Math.E + 3, 5);
  });

  it('gradients flow through broadcasting back to the operand shape', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    const b = tensor([10, 20, 30]).requiresGrad_();
    a.mul(b).sum().backward();
    expect(b.grad!.shape).toEqual([3]);
    expect(Array.from(b.grad!.dataSync())).toEqual([5, 7, 9]);
    expect(Array.from(a.grad!.dataSync())).toEqual([10, 20, 30, 10, 20, 30]);
  });

  it('second derivative of x^3 is 6x (grad of grad)', () => {
    const x = tensor([2, -1]);
    const d2 = grad((y) => grad((z) => z.mul(z).mul(z).sum())(y).sum())(x);
    expect(Array.from(d2.dataSync())).toEqual([12, -6]);
  });

  it('matmul gradient matches the closed form', () => {
    const a = tensor([[1, 2], [3, 4]]).requiresGrad_();
    const b = tensor([[5, 6], [7, 8]]).requiresGrad_();
    a.matmul(b).sum().backward();
    // dA = 1·Bᵀ row sums, dB = Aᵀ·1
    expect(Array.from(a.grad!.dataSync())).toEqual([11, 15, 11, 15]);
    expect(Array.from(b.grad!.dataSync())).toEqual([4, 4, 6, 6]);
  });

  it('noGrad records nothing', () => {
    const x = tensor([1]).requiresGrad_();
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
  });

  it('gradients() does not touch .grad and gives zeros for unused inputs', () => {
    const x = tensor([1, 2]).requiresGrad_();
    const u = tensor([5]).requiresGrad_();
    const [gx, gu] = gradients(x.mul(x).sum(), [x, u]);
    expect(Array.from(gx!.dataSync())).toEqual([2, 4]);
    expect(Array.from(gu!.dataSync())).toEqual([0]);
    expect(x.grad).toBeNull();
  });

  it('valueAndGrad leaves no tensors behind but its results', () => {
    const x = tensor([1, 2, 3]);
    const before = memory().numTensors;
    const { value, grad: g } = valueAndGrad((v) => v.mul(v).sum())(x);
    expect(value.item()).toBe(14);
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
    expect(memory().numTensors).toBe(before + 2);
  });

  it('tidy frees temporaries of a training-like step', () => {
    const w = tensor([0.5, -0.5]).requiresGrad_();
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tidy(() => {
        const loss = w.mul(tensor([1, 2])).sum().mul(w.sum());
        loss.backward();
        const upd = noGrad(() => w.sub(w.grad!.mul(0.1)));
        w.assign(upd);
        w.grad!.dispose();
        w.grad = null;
      });
    }
    expect(memory().numTensors).toBe(before);
  });
});

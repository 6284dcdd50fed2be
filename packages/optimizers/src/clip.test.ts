import '@mapnn/backend-cpu';
import { memory, setBackend, tensor, zeros, type Tensor } from '@mapnn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import fixture from '../fixtures/clip.json';
import { clipGradNorm, clipGradValue } from './clip.js';
import { f64, mismatches } from '../test/problem.js';

beforeAll(() => setBackend('cpu'));

function withGrads(grads: { shape: number[]; data: number[] }[]): Tensor[] {
  return grads.map((g) => {
    const p = zeros(g.shape, 'float64').requiresGrad_();
    p.grad = f64(g);
    return p;
  });
}

describe('clipGradNorm / clipGradValue match PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const params = withGrads(c.grads);
      const errors: string[] = [];
      if (c.kind === 'norm') {
        const normType = c.normType === 'inf' ? Infinity : (c.normType as number);
        const total = clipGradNorm(params, c.maxNorm!, normType);
        errors.push(...mismatches([total], [c.total!], 'total norm'));
      } else {
        clipGradValue(params, c.clipValue!);
      }
      params.forEach((p, i) => errors.push(...mismatches(p.grad!.dataSync(), c.clipped[i]!, `grad ${i}`)));
      params.forEach((p) => p.dispose());
      expect(errors).toEqual([]);
    });
  }
});

describe('clipGradNorm', () => {
  it('returns 0 and does nothing without gradients', () => {
    const p = zeros([3]).requiresGrad_();
    expect(clipGradNorm([p], 1)).toBe(0);
    expect(p.grad).toBeNull();
    p.dispose();
  });

  it('scales to maxNorm when the norm is larger, leaves smaller gradients alone', () => {
    const p = zeros([2], 'float64').requiresGrad_();
    p.grad = tensor([3, 4], [2], 'float64');
    expect(clipGradNorm(p, 1)).toBe(5);
    const [a, b] = p.grad.dataSync();
    expect(a).toBeCloseTo(0.6 * (5 / (5 + 1e-6)), 12);
    expect(b).toBeCloseTo(0.8 * (5 / (5 + 1e-6)), 12);
    const before = [...p.grad.dataSync()];
    clipGradNorm(p, 10);
    expect([...p.grad.dataSync()]).toEqual(before);
    p.dispose();
  });

  it('mixes float32 and float64 gradients', () => {
    const p = zeros([2]).requiresGrad_();
    const q = zeros([1], 'float64').requiresGrad_();
    p.grad = tensor([3, 0]);
    q.grad = tensor([4], [1], 'float64');
    expect(clipGradNorm([p, q], 100)).toBeCloseTo(5, 6);
    expect(p.grad.dtype).toBe('float32');
    p.dispose();
    q.dispose();
  });

  it('throws on a non-finite norm with errorIfNonfinite', () => {
    const p = zeros([2], 'float64').requiresGrad_();
    p.grad = tensor([Infinity, 1], [2], 'float64');
    expect(() => clipGradNorm(p, 1, 2, { errorIfNonfinite: true })).toThrow(/Infinity/);
    p.dispose();
  });

  it('leaves no tensors behind', () => {
    const p = zeros([4, 4], 'float64').requiresGrad_();
    p.grad = tensor(Array.from({ length: 16 }, (_, i) => i - 8), [4, 4], 'float64');
    const before = memory().numTensors;
    for (let i = 0; i < 20; i++) {
      clipGradNorm(p, 0.5, i % 2 ? Infinity : 2);
      clipGradValue(p, 0.1);
    }
    expect(memory().numTensors).toBe(before);
    p.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import {
  all,
  any,
  argmax,
  argmin,
  cumsum,
  dot,
  grad,
  logSoftmax,
  logsumexp,
  max,
  mean,
  memory,
  min,
  norm,
  outer,
  prod,
  softmax,
  std,
  tensor,
  tidy,
  variance,
  type Tensor,
} from '../index.js';

const vals = (t: Tensor): number[] => Array.from(t.dataSync());

function expectClose(actual: Tensor | number[], expected: number[], digits = 5): void {
  const a = Array.isArray(actual) ? actual : vals(actual);
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(v).toBeNaN();
    else if (!Number.isFinite(e)) expect(v).toBe(e);
    else expect(v).toBeCloseTo(e, digits);
  });
}

/** Gradient of `fn(x)·w` summed, by autograd. */
function gradOf(x: Tensor, fn: (t: Tensor) => Tensor, w?: Tensor): Tensor {
  return grad((t) => (w ? fn(t).mul(w).sum() : fn(t).sum()))(x);
}

/** Central finite differences of a scalar function of a float64 tensor. */
function numericGrad(x: Tensor, f: (t: Tensor) => Tensor, h = 1e-5): number[] {
  const base = vals(x);
  return base.map((_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i]! += h;
    minus[i]! -= h;
    const fp = tidy(() => f(tensor(plus, x.shape, 'float64')).item());
    const fm = tidy(() => f(tensor(minus, x.shape, 'float64')).item());
    return (fp - fm) / (2 * h);
  });
}

const softmaxRef = (xs: number[]): number[] => {
  const m = Math.max(...xs);
  const e = xs.map((v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
};

describe('mean', () => {
  it('reduces all, one or several axes (negative too), with keepDims', () => {
    const x = tensor([[1, 2, 3], [4, 5, 7]]);
    expectClose(mean(x), [22 / 6]);
    expect(mean(x).shape).toEqual([]);
    expectClose(mean(x, 1), [2, 16 / 3]);
    expectClose(mean(x, -2), [2.5, 3.5, 5]);
    expect(mean(x, [0, 1], true).shape).toEqual([1, 1]);
    expect(mean(x, -1, true).shape).toEqual([2, 1]);
    expect(x.mean(0).shape).toEqual([3]);
  });

  it('promotes integer input to float32', () => {
    const m = mean(tensor([1, 2], undefined, 'int32'));
    expect(m.dtype).toBe('float32');
    expect(m.item()).toBe(1.5);
  });

  it('gradient is 1/n broadcast back', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    expectClose(gradOf(x, (t) => mean(t, 0)), [1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3]);
    expectClose(gradOf(x, (t) => mean(t, 1, true), tensor([[1], [2], [3]])), [0.5, 0.5, 1, 1, 1.5, 1.5]);
  });
});

describe('max / min', () => {
  const x = tensor([[1, 5, 3], [7, 2, 7]]);

  it('values over axes with keepDims and negative axes', () => {
    expectClose(max(x), [7]);
    expectClose(min(x), [1]);
    expectClose(max(x, 1), [5, 7]);
    expectClose(min(x, -1), [1, 2]);
    expectClose(max(x, 0), [7, 5, 7]);
    expect(max(x, -1, true).shape).toEqual([2, 1]);
    expect(min(x, [0, 1], true).shape).toEqual([1, 1]);
    expectClose(x.max(0, true), [7, 5, 7]);
    expectClose(x.min(1), [1, 2]);
  });

  it('keeps integer dtypes', () => {
    const t = tensor([3, -1, 2], undefined, 'int32');
    expect(max(t).dtype).toBe('int32');
    expect(max(t).item()).toBe(3);
    expect(min(t).item()).toBe(-1);
  });

  it('gradient flows to the arg-extremum; ties split it evenly (amax semantics)', () => {
    expectClose(gradOf(x, (t) => max(t, 1)), [0, 1, 0, 0.5, 0, 0.5]);
    expectClose(gradOf(x, (t) => min(t, 1)), [1, 0, 0, 0, 1, 0]);
    expectClose(gradOf(tensor([2, 2, 2, 1]), (t) => max(t)), [1 / 3, 1 / 3, 1 / 3, 0]);
    expectClose(gradOf(tensor([0, 0, 5]), (t) => min(t)), [0.5, 0.5, 0]);
    // with an upstream gradient and keepDims
    expectClose(gradOf(x, (t) => max(t, 0, true), tensor([[10, 20, 30]])), [0, 20, 0, 10, 0, 30]);
  });

  it('refuses to reduce an empty dimension', () => {
    expect(() => max(tensor([]))).toThrow(/empty/);
  });
});

describe('prod', () => {
  it('values and int64 promotion', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expectClose(prod(x), [720]);
    expectClose(prod(x, 1), [6, 120]);
    expectClose(prod(x, -2, true), [4, 10, 18]);
    expect(prod(x, 0, true).shape).toEqual([1, 3]);
    const i = prod(tensor([2, 3], undefined, 'int32'));
    expect(i.dtype).toBe('int64');
    expect(i.item()).toBe(6);
    expect(prod(tensor([])).item()).toBe(1);
  });

  it('gradient out/x without zeros', () => {
    expectClose(gradOf(tensor([2, 3, 4]), (t) => prod(t)), [12, 8, 6]);
    expectClose(gradOf(tensor([[2, 3], [-1, 5]]), (t) => prod(t, 1)), [3, 2, 5, -1]);
  });

  it('gradient with one zero, and zero with two zeros, per slice', () => {
    expectClose(gradOf(tensor([2, 0, 4]), (t) => prod(t)), [0, 8, 0]);
    expectClose(gradOf(tensor([0, 3, 0]), (t) => prod(t)), [0, 0, 0]);
    // rows: no zero / one zero / two zeros
    const g = gradOf(tensor([[1, 2, 3], [0, 2, 3], [0, 0, 3]]), (t) => prod(t, 1));
    expectClose(g, [6, 3, 2, 6, 0, 0, 0, 0, 0]);
  });

  it('second derivatives (also with one zero) are exact', () => {
    // Σ_j H_ij = Σ_{j≠i} Π_{k≠i,j} x_k
    const h = (x: number[]) => grad((t) => grad((u) => prod(u))(t).sum())(tensor(x));
    expectClose(h([2, 3, 4]), [7, 6, 5]);
    expectClose(h([0, 2, 3]), [5, 3, 2]);
  });
});

describe('argmax / argmin', () => {
  const x = tensor([[1, 9, 3], [7, 2, 7]]);

  it('along an axis (negative too) and over the flattened tensor', () => {
    const a = argmax(x, 1);
    expect(a.dtype).toBe('int64');
    expect(vals(a)).toEqual([1, 0]);
    expect(vals(argmin(x, -1))).toEqual([0, 1]);
    expect(vals(argmax(x, 0))).toEqual([1, 0, 1]);
    expect(argmax(x).shape).toEqual([]);
    expect(argmax(x).item()).toBe(1);
    expect(argmin(x).item()).toBe(0);
    expect(x.argmax().item()).toBe(1);
    expect(vals(x.argmin(0))).toEqual([0, 1, 0]);
  });

  it('keepDims shapes and first index on ties', () => {
    expect(argmax(x, 1, true).shape).toEqual([2, 1]);
    expect(argmax(x, undefined, true).shape).toEqual([1, 1]);
    expect(vals(argmax(tensor([3, 5, 5, 1])))).toEqual([1]);
    expect(vals(argmin(tensor([[4, 1, 1]]), 1))).toEqual([1]);
  });
});

describe('logsumexp', () => {
  it('matches the reference and is stable', () => {
    const x = tensor([[1, 2, 3], [-1, 0, 4]]);
    const ref = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    expectClose(logsumexp(x, 1), [ref([1, 2, 3]), ref([-1, 0, 4])]);
    expectClose(logsumexp(x), [ref([1, 2, 3, -1, 0, 4])]);
    expect(logsumexp(x, -1, true).shape).toEqual([2, 1]);
    expect(x.logsumexp(0).shape).toEqual([3]);
    expectClose(logsumexp(tensor([1000, 1000])), [1000 + Math.LN2], 3);
    expectClose(logsumexp(tensor([-1000, -1000])), [-1000 + Math.LN2], 3);
    expectClose(logsumexp(tensor([-Infinity, -Infinity])), [-Infinity]);
    expectClose(logsumexp(tensor([-Infinity, 0])), [0]);
  });

  it('gradient is softmax, second derivative is diag(p) − ppᵀ', () => {
    const xs = [0.5, -1, 2];
    const p = softmaxRef(xs);
    expectClose(gradOf(tensor(xs), (t) => logsumexp(t)), p);
    expectClose(gradOf(tensor([1000, 1000]), (t) => logsumexp(t)), [0.5, 0.5], 4);
    const w = [1, -2, 0.5];
    const pw = p.reduce((s, v, i) => s + v * w[i]!, 0);
    const hw = grad((t) => grad((u) => logsumexp(u))(t).mul(tensor(w)).sum())(tensor(xs));
    expectClose(hw, p.map((v, i) => v * w[i]! - v * pw));
  });
});

describe('softmax / logSoftmax', () => {
  it('values along an axis, rows sum to 1, negative axes', () => {
    const x = tensor([[1, 2, 3], [0, 0, 0]]);
    expectClose(softmax(x), [...softmaxRef([1, 2, 3]), 1 / 3, 1 / 3, 1 / 3]);
    expectClose(softmax(x, -1), vals(softmax(x, 1)));
    const s0 = softmax(x, 0);
    expectClose(sumCols(s0, 2, 3), [1, 1, 1]);
    expectClose(logSoftmax(x), [...softmaxRef([1, 2, 3]).map(Math.log), -Math.log(3), -Math.log(3), -Math.log(3)]);
    expectClose(x.softmax(0), vals(s0));
    expectClose(x.logSoftmax(), vals(logSoftmax(x, 1)));
  });

  it('is stable for large logits', () => {
    expectClose(softmax(tensor([1000, 1000])), [0.5, 0.5]);
    expectClose(softmax(tensor([-1000, 0])), [0, 1]);
    expectClose(logSoftmax(tensor([1000, 1000])), [-Math.LN2, -Math.LN2]);
    expectClose(logSoftmax(tensor([1000, 0])), [0, -1000], 3);
    expect(vals(softmax(tensor([1e30, -1e30, 0]))).every(Number.isFinite)).toBe(true);
  });

  it('gradients match the closed forms', () => {
    const xs = [0.2, -0.7, 1.5];
    const w = [1, 3, -2];
    const p = softmaxRef(xs);
    const pw = p.reduce((s, v, i) => s + v * w[i]!, 0);
    expectClose(gradOf(tensor(xs), (t) => softmax(t), tensor(w)), p.map((v, i) => v * (w[i]! - pw)));
    const sw = w.reduce((s, v) => s + v, 0);
    expectClose(gradOf(tensor(xs), (t) => logSoftmax(t), tensor(w)), w.map((v, i) => v - p[i]! * sw));
  });

  it('grad of grad matches finite differences', () => {
    const x = tensor([[0.3, -1.2, 0.8], [2, 0.1, -0.4]], undefined, 'float64');
    const w = tensor([[1, -2, 0.5], [0.3, 0.7, -1]], undefined, 'float64');
    const v = tensor([[0.2, 1, -1], [1.5, -0.5, 0.25]], undefined, 'float64');
    for (const op of [softmax, logSoftmax]) {
      const g = (t: Tensor) => grad((u) => op(u).mul(w).sum())(t).mul(v).sum();
      expectClose(grad(g)(x), numericGrad(x, g), 6);
    }
  });
});

function sumCols(t: Tensor, rows: number, cols: number): number[] {
  const a = vals(t);
  return Array.from({ length: cols }, (_, j) => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += a[i * cols + j]!;
    return s;
  });
}

describe('variance / std', () => {
  const x = tensor([[1, 2, 3, 4], [2, 4, 4, 10]]);

  it('unbiased by default, population with correction 0, axes and keepDims', () => {
    expectClose(variance(tensor([1, 2, 3, 4])), [5 / 3]);
    expectClose(variance(tensor([1, 2, 3, 4]), 0, { correction: 0 }), [1.25]);
    expectClose(variance(x, 1), [5 / 3, 12]);
    expectClose(variance(x, -2, { correction: 0 }), [0.25, 1, 0.25, 9]);
    expect(variance(x, 1, { keepDims: true }).shape).toEqual([2, 1]);
    expectClose(x.var(1), [5 / 3, 12]);
    expectClose(std(tensor([2, 4, 4, 4, 5, 5, 7, 9]), undefined, { correction: 0 }), [2]);
    expectClose(std(x, 1), [Math.sqrt(5 / 3), Math.sqrt(12)]);
    expect(x.std(-1, { keepDims: true, correction: 0 }).shape).toEqual([2, 1]);
    expect(variance(tensor([1, 2], undefined, 'int32')).dtype).toBe('float32');
  });

  it('gradients: 2(x − mean)/(n − c) and (x − mean)/((n − c)·std), 0 for a constant slice', () => {
    const v = [1, 2, 3, 6];
    const m = 3;
    expectClose(gradOf(tensor(v), (t) => variance(t)), v.map((a) => (2 * (a - m)) / 3));
    expectClose(gradOf(tensor(v), (t) => variance(t, 0, { correction: 0 })), v.map((a) => (2 * (a - m)) / 4));
    const s = Math.sqrt(14 / 3);
    expectClose(gradOf(tensor(v), (t) => std(t)), v.map((a) => (a - m) / (3 * s)));
    expectClose(gradOf(tensor([[5, 5], [1, 3]]), (t) => std(t, 1)), [0, 0, -1 / Math.sqrt(2), 1 / Math.sqrt(2)]);
  });

  it('variance is twice differentiable', () => {
    // d²/dx² Σ var = 2(1 − 1/n)/(n − 1) per element (n = 4): 0.5
    const h = grad((t) => grad((u) => variance(u))(t).sum())(tensor([1, 2, 3, 6]));
    expectClose(h, [0, 0, 0, 0]);
    const hw = grad((t) => grad((u) => variance(u))(t).mul(tensor([1, 0, 0, 0])).sum())(tensor([1, 2, 3, 6]));
    expectClose(hw, [(2 * (1 - 1 / 4)) / 3, -2 / 12, -2 / 12, -2 / 12]);
  });
});

describe('all / any', () => {
  it('reduce to bool with keepDims; empty slices give identities', () => {
    const x = tensor([[1, 0, 2], [3, 4, 5]]);
    const a = all(x, 1);
    expect(a.dtype).toBe('bool');
    expect(a.arraySync()).toEqual([false, true]);
    expect(any(tensor([[0, 0], [0, 1]]), -1).arraySync()).toEqual([false, true]);
    expect(all(x).item()).toBe(0);
    expect(any(x).item()).toBe(1);
    expect(all(x, 0, true).shape).toEqual([1, 3]);
    expect(all(tensor([])).item()).toBe(1);
    expect(any(tensor([])).item()).toBe(0);
    expect(tensor([true, true]).all().item()).toBe(1);
    expect(tensor([false, false]).any().item()).toBe(0);
    expect(any(tensor([0, NaN])).item()).toBe(1);
  });
});

describe('cumsum', () => {
  it('along each axis (negative too), int → int64', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(vals(cumsum(x, 1))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(vals(cumsum(x, -1))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(vals(cumsum(x, 0))).toEqual([1, 2, 3, 5, 7, 9]);
    const r = cumsum(tensor([1, 2, 3, 4, 5, 6, 7], undefined, 'int32'), 0);
    expect(r.dtype).toBe('int64');
    expect(vals(r)).toEqual([1, 3, 6, 10, 15, 21, 28]);
    expect(vals(x.cumsum(0))).toEqual([1, 2, 3, 5, 7, 9]);
    const big = Array.from({ length: 37 }, (_, i) => i - 10);
    let acc = 0;
    expectClose(cumsum(tensor(big), 0), big.map((v) => (acc += v)));
  });

  it('keeps ±Infinity and NaN where they belong', () => {
    expectClose(cumsum(tensor([1, Infinity, 2]), 0), [1, Infinity, Infinity]);
    expectClose(cumsum(tensor([1, 2, NaN, 3]), 0), [1, 3, NaN, NaN]);
  });

  it('gradient is the reverse cumulative sum', () => {
    const w = [1, 2, 3, 4];
    expectClose(gradOf(tensor([5, 6, 7, 8]), (t) => cumsum(t, 0), tensor(w)), [10, 9, 7, 4]);
    expectClose(gradOf(tensor([[1, 2], [3, 4]]), (t) => cumsum(t, 0), tensor([[1, 2], [3, 4]])), [4, 6, 3, 4]);
  });
});

describe('norm', () => {
  it('ord 2, 1, ±Infinity over axes', () => {
    const x = tensor([[3, -4], [0, 0]]);
    expectClose(norm(x), [5]);
    expectClose(norm(x, 2, 1), [5, 0]);
    expectClose(norm(x, 1, -1), [7, 0]);
    expectClose(norm(x, Infinity, 1), [4, 0]);
    expectClose(norm(x, -Infinity, 0), [0, 0]);
    expectClose(norm(tensor([3, -4, 1]), -Infinity), [1]);
    expect(norm(x, 2, 1, true).shape).toEqual([2, 1]);
    expectClose(x.norm(1), [7]);
    expect(norm(tensor([3, -4]), 3).item()).toBeCloseTo(Math.cbrt(27 + 64), 5); // general p
    expect(() => norm(x, 0)).toThrow(/ord 0 is not supported/);
  });

  it('gradients: x/‖x‖ (0 at 0), sign(x), ties split for ∞', () => {
    expectClose(gradOf(tensor([3, -4]), (t) => norm(t)), [0.6, -0.8]);
    expectClose(gradOf(tensor([[3, -4], [0, 0]]), (t) => norm(t, 2, 1)), [0.6, -0.8, 0, 0]);
    expectClose(gradOf(tensor([3, -4, 0]), (t) => norm(t, 1)), [1, -1, 0]);
    expectClose(gradOf(tensor([4, -4, 1]), (t) => norm(t, Infinity)), [0.5, -0.5, 0]);
  });

  it('ord 2 is twice differentiable: Hessian (I − uuᵀ)/‖x‖', () => {
    const h = grad((t) => grad((u) => norm(u))(t).mul(tensor([1, 0])).sum())(tensor([3, 4]));
    expectClose(h, [(1 - 0.36) / 5, -0.48 / 5]);
  });
});

describe('dot / outer', () => {
  it('values and gradients', () => {
    const a = tensor([1, 2, 3]);
    const b = tensor([4, 5, 6]);
    expect(dot(a, b).shape).toEqual([]);
    expect(dot(a, b).item()).toBe(32);
    const o = outer(tensor([1, 2]), b);
    expect(o.shape).toEqual([2, 3]);
    expect(vals(o)).toEqual([4, 5, 6, 8, 10, 12]);
    expect(vals(gradOf(a, (t) => dot(t, b)))).toEqual([4, 5, 6]);
    expect(vals(gradOf(tensor([1, 2]), (t) => outer(t, b)))).toEqual([15, 15]);
    expect(() => dot(a, tensor([1, 2]))).toThrow(/dot/);
    expect(() => outer(tensor([[1]]), a)).toThrow(/outer/);
  });
});

describe('memory', () => {
  it('each reduction leaves exactly its output behind (forward and backward)', () => {
    const x = tensor([[1, 2, 3], [4, 0, 6]]);
    const fns: ((t: Tensor) => Tensor)[] = [
      (t) => mean(t, 1),
      (t) => max(t, 0),
      (t) => min(t),
      (t) => prod(t, 1),
      (t) => logsumexp(t, 1),
      (t) => softmax(t),
      (t) => logSoftmax(t, 0),
      (t) => variance(t, 1),
      (t) => std(t),
      (t) => cumsum(t, 1),
      (t) => norm(t, 2, 1),
      (t) => norm(t, Infinity),
    ];
    for (const f of fns) {
      const before = memory().numTensors;
      const y = f(x);
      expect(memory().numTensors).toBe(before + 1);
      y.dispose();
      const g = gradOf(x, f);
      expect(memory().numTensors).toBe(before + 1);
      g.dispose();
    }
    for (const f of [(t: Tensor) => argmax(t, 1), (t: Tensor) => all(t, 1), (t: Tensor) => any(t)]) {
      const before = memory().numTensors;
      f(x).dispose();
      expect(memory().numTensors).toBe(before);
    }
  });
});

import { describe, expect, it } from 'vitest';
import * as mx from '../index.js';
import { grad, grads, tensor, type NestedArray, type Tensor } from '../index.js';

const vals = (t: Tensor) => Array.from(t.dataSync());
const f64 = (v: NestedArray) => tensor(v, undefined, 'float64');
const close = (got: number[], want: number[], digits = 6) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, digits));
};

/** Central differences of an elementwise `f` at each point (float64). */
function numericDerivative(f: (t: Tensor) => Tensor, xs: number[], h = 1e-6): number[] {
  const up = vals(f(f64(xs.map((x) => x + h))));
  const down = vals(f(f64(xs.map((x) => x - h))));
  return up.map((u, i) => (u - down[i]!) / (2 * h));
}

/** d/dx of sum(f(x)) through autograd. */
const autoDerivative = (f: (t: Tensor) => Tensor, xs: number[]) => vals(grad((t) => f(t).sum())(f64(xs)));

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const SELU_A = 1.6732632423543772848170429916717;
const SELU_S = 1.0507009873554804934193349852946;

describe('unary gradients', () => {
  // points away from kinks (0, thresholds)
  const xs = [-2.3, -0.7, 0.3, 1.1, 2.9];
  const pos = [0.2, 0.9, 1.7, 4.2];
  const cases: [string, (t: Tensor) => Tensor, number[]][] = [
    ['abs', mx.abs, xs],
    ['expm1', mx.expm1, xs],
    ['log1p', mx.log1p, pos],
    ['sqrt', mx.sqrt, pos],
    ['rsqrt', mx.rsqrt, pos],
    ['square', mx.square, xs],
    ['sin', mx.sin, xs],
    ['cos', mx.cos, xs],
    ['tanh', mx.tanh, xs],
    ['sigmoid', mx.sigmoid, xs],
    ['relu', mx.relu, xs],
    ['relu6', mx.relu6, [-1, 0.5, 5.5, 7]],
    ['erf', mx.erf, xs],
    ['reciprocal', mx.reciprocal, xs],
    ['leakyRelu', (t) => mx.leakyRelu(t, 0.1), xs],
    ['elu', (t) => mx.elu(t, 1.5), xs],
    ['selu', mx.selu, xs],
    ['gelu', (t) => mx.gelu(t), xs],
    ['gelu tanh', (t) => mx.gelu(t, 'tanh'), xs],
    ['softplus', (t) => mx.softplus(t), xs],
    ['softplus beta/threshold', (t) => mx.softplus(t, 2, 3), [-1, 0.5, 1.2, 1.9]],
    ['silu', mx.silu, xs],
    ['hardSigmoid', (t) => mx.hardSigmoid(t), [-4, -1, 2, 3.5]],
    ['clip', (t) => mx.clip(t, -1, 1), xs],
  ];
  for (const [name, f, at] of cases) {
    it(`${name} matches central differences`, () => close(autoDerivative(f, at), numericDerivative(f, at)));
  }

  it('closed forms: tanh, sigmoid, selu, softplus, relu', () => {
    const x = [-1.5, -0.2, 0.4, 2];
    close(autoDerivative(mx.tanh, x), x.map((v) => 1 - Math.tanh(v) ** 2), 10);
    close(autoDerivative(mx.sigmoid, x), x.map((v) => sig(v) * (1 - sig(v))), 10);
    close(autoDerivative(mx.selu, x), x.map((v) => (v > 0 ? SELU_S : SELU_S * SELU_A * Math.exp(v))), 10);
    close(autoDerivative(mx.softplus, x), x.map(sig), 10);
    expect(autoDerivative(mx.relu, x)).toEqual([0, 0, 1, 1]);
    // relu at 0 and clip at its bounds follow PyTorch
    expect(autoDerivative(mx.relu, [0])).toEqual([0]);
    expect(autoDerivative((t) => mx.clip(t, 0, 1), [0, 1, -0.5, 1.5])).toEqual([1, 1, 0, 0]);
    expect(autoDerivative(mx.relu6, [0, 6])).toEqual([0, 0]);
    expect(autoDerivative(mx.abs, [0])).toEqual([0]);
  });

  it('gradients stay finite for extreme inputs', () => {
    const big = [-1000, -80, 80, 1000];
    for (const f of [mx.sigmoid, mx.softplus, mx.silu, mx.elu, mx.selu, mx.tanh, (t: Tensor) => mx.gelu(t)]) {
      for (const g of autoDerivative(f, big)) expect(Number.isFinite(g)).toBe(true);
    }
    close(autoDerivative(mx.softplus, [1000, -1000]), [1, 0]);
    close(autoDerivative(mx.sigmoid, [1000, -1000]), [0, 0]);
  });

  it('softplus is linear above the threshold', () => {
    close(autoDerivative((t) => mx.softplus(t, 1, 5), [6, 4]), [1, sig(4)], 10);
  });

  it('sign, floor, ceil and round have zero gradient', () => {
    for (const f of [mx.sign, mx.floor, mx.ceil, mx.round]) {
      expect(autoDerivative(f, [-1.3, 0.4, 2.7])).toEqual([0, 0, 0]);
    }
  });

  it('an int input promoted by a float-only op gets no gradient but the float result does', () => {
    const x = tensor([1, 2], undefined, 'int32');
    expect(mx.sqrt(x).requiresGrad).toBe(false);
    const y = tensor([1, 4]).requiresGrad_();
    mx.sqrt(y).sum().backward();
    close(vals(y.grad!), [0.5, 0.25]);
  });

  it('comparisons and logical ops carry no gradient', () => {
    const x = tensor([1, 2]).requiresGrad_();
    for (const r of [mx.lt(x, 2), mx.eq(x, x), mx.logicalAnd(x, 1), mx.logicalNot(x)]) expect(r.requiresGrad).toBe(false);
  });
});

describe('binary gradients', () => {
  it('pow: both operands, broadcast, and the guards at a = 0 and b = 0', () => {
    const [ga, gb] = grads((a, b) => mx.pow(a, b).sum())(f64([2, 3]), f64([[2], [0.5]]));
    // d/da = sum over rows of b·a^(b-1); d/db = a^b·log a summed over cols
    close(vals(ga!), [2 * 2 + 0.5 * 2 ** -0.5, 2 * 3 + 0.5 * 3 ** -0.5]);
    close(vals(gb!), [4 * Math.log(2) + 9 * Math.log(3), Math.SQRT2 * Math.log(2) + Math.sqrt(3) * Math.log(3)]);
    const [ga0, gb0] = grads((a, b) => mx.pow(a, b).sum())(f64([0, 0, 2]), f64([2, 0, 0]));
    expect(vals(ga0!)).toEqual([0, 0, 0]); // 2·0^1 = 0; b = 0 → 0 (not NaN)
    expect(vals(gb0!)).toEqual([0, 0, Math.log(2)]); // a = 0, b ≥ 0 → 0
    // x.pow(2) via the method and a scalar exponent
    close(autoDerivative((t) => t.pow(3), [1.5, -2]), [3 * 1.5 ** 2, 12]);
  });

  it('maximum/minimum route dy to the winner and split ties half/half', () => {
    const [ga, gb] = grads((a, b) => mx.maximum(a, b).sum())(f64([1, 5, 3]), f64([2, 4, 3]));
    expect(vals(ga!)).toEqual([0, 1, 0.5]);
    expect(vals(gb!)).toEqual([1, 0, 0.5]);
    const [ha, hb] = grads((a, b) => mx.minimum(a, b).sum())(f64([1, 5, 3]), f64([2, 4, 3]));
    expect(vals(ha!)).toEqual([1, 0, 0.5]);
    expect(vals(hb!)).toEqual([0, 1, 0.5]);
    // broadcast: the scalar collects from every element
    const [, gs] = grads((a, b) => mx.maximum(a, b).sum())(f64([1, 5, 3, 7]), f64([4]));
    expect(vals(gs!)).toEqual([2]);
  });

  it('mod: dy to a, -floor(a/b)·dy to b', () => {
    const [ga, gb] = grads((a, b) => mx.mod(a, b).sum())(f64([5, -5, 7.5]), f64([3, 3, -2]));
    expect(vals(ga!)).toEqual([1, 1, 1]);
    expect(vals(gb!)).toEqual([-1, 2, 4]);
  });

  it('where masks gradients and sums them to the branch shapes', () => {
    const cond = tensor([[true, false, true], [false, false, true]]);
    const [ga, gb] = grads((a, b) => mx.where(cond, a, b).mul(f64([1, 2, 3])).sum())(f64([1, 1, 1]), f64([[5], [6]]));
    expect(vals(ga!)).toEqual([1, 0, 6]);
    expect(vals(gb!)).toEqual([2, 3]);
  });

  it('clip with tensor bounds follows PyTorch', () => {
    const [gx, glo, ghi] = grads((x, lo, hi) => mx.clip(x, lo, hi).sum())(
      f64([-2, 0.5, 3, 0]),
      f64([-1, -1, -1, 2]),
      f64([1, 1, 1, 1]),
    );
    expect(vals(gx!)).toEqual([0, 1, 0, 0]);
    expect(vals(glo!)).toEqual([1, 0, 0, 0]); // last: min > max, so max wins
    expect(vals(ghi!)).toEqual([0, 0, 1, 1]);
    const [gy, glo2] = grads((x, lo) => mx.clamp(x, lo).sum())(f64([[-2, 3]]), f64([[0], [5]]));
    expect(vals(gy!)).toEqual([0, 1]);
    expect(vals(glo2!)).toEqual([1, 2]);
  });
});

describe('grad of grad', () => {
  const xs = [-1.7, -0.3, 0.5, 2.1];
  const second = (f: (t: Tensor) => Tensor) =>
    vals(grad((y) => grad((z) => f(z).sum())(y).sum())(f64(xs)));
  const firstOf = (f: (t: Tensor) => Tensor) => (t: Tensor) => grad((z) => f(z).sum())(t);

  it('tanh″ = -2·tanh·(1 - tanh²)', () => {
    close(second(mx.tanh), xs.map((x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)), 10);
  });

  it('sigmoid″ = s(1 - s)(1 - 2s)', () => {
    close(second(mx.sigmoid), xs.map((x) => sig(x) * (1 - sig(x)) * (1 - 2 * sig(x))), 10);
  });

  it('second derivatives of the other smooth ops match differences of the first', () => {
    const ops: [string, (t: Tensor) => Tensor][] = [
      ['gelu', (t) => mx.gelu(t)],
      ['gelu tanh', (t) => mx.gelu(t, 'tanh')],
      ['softplus', (t) => mx.softplus(t)],
      ['silu', mx.silu],
      ['elu', mx.elu],
      ['selu', mx.selu],
      ['erf', mx.erf],
      ['sin', mx.sin],
      ['expm1', mx.expm1],
      ['reciprocal', mx.reciprocal],
      ['pow 3', (t) => mx.pow(t, 3)],
    ];
    for (const [name, f] of ops) {
      const want = numericDerivative(firstOf(f), xs);
      second(f).forEach((g, i) => expect(g, name).toBeCloseTo(want[i]!, 5));
    }
  });
});

import { describe, expect, it } from 'vitest';
import * as mx from '../index.js';
import { memory, tensor, type Tensor } from '../index.js';

const vals = (t: Tensor) => Array.from(t.dataSync());
const close = (got: number[], want: number[], digits = 5) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i]!)) expect(g).toBeNaN();
    else if (!Number.isFinite(want[i]!)) expect(g).toBe(want[i]);
    else expect(g).toBeCloseTo(want[i]!, digits);
  });
};

const erfRef = (x: number) => {
  // high-precision series for |x| < 3 (enough for the test points)
  let sum = x, term = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const sigmoidRef = (x: number) => 1 / (1 + Math.exp(-x));
const SELU_A = 1.6732632423543772848170429916717;
const SELU_S = 1.0507009873554804934193349852946;

describe('elementwise unary values', () => {
  const xs = [-2.5, -1, -0.3, 0.4, 1, 2.2];
  const cases: [string, (t: Tensor) => Tensor, (x: number) => number][] = [
    ['abs', mx.abs, Math.abs],
    ['expm1', mx.expm1, Math.expm1],
    ['sin', mx.sin, Math.sin],
    ['cos', mx.cos, Math.cos],
    ['tanh', mx.tanh, Math.tanh],
    ['sigmoid', mx.sigmoid, sigmoidRef],
    ['relu', mx.relu, (x) => Math.max(x, 0)],
    ['relu6', mx.relu6, (x) => Math.min(Math.max(x, 0), 6)],
    ['erf', mx.erf, erfRef],
    ['square', mx.square, (x) => x * x],
    ['sign', mx.sign, Math.sign],
    ['floor', mx.floor, Math.floor],
    ['ceil', mx.ceil, Math.ceil],
    ['reciprocal', mx.reciprocal, (x) => 1 / x],
    ['leakyRelu', (t) => mx.leakyRelu(t), (x) => (x > 0 ? x : 0.01 * x)],
    ['leakyRelu(0.2)', (t) => mx.leakyRelu(t, 0.2), (x) => (x > 0 ? x : 0.2 * x)],
    ['elu', (t) => mx.elu(t), (x) => (x > 0 ? x : Math.expm1(x))],
    ['elu(0.5)', (t) => mx.elu(t, 0.5), (x) => (x > 0 ? x : 0.5 * Math.expm1(x))],
    ['selu', mx.selu, (x) => SELU_S * (x > 0 ? x : SELU_A * Math.expm1(x))],
    ['gelu', (t) => mx.gelu(t), (x) => 0.5 * x * (1 + erfRef(x / Math.SQRT2))],
    [
      'gelu tanh',
      (t) => mx.gelu(t, 'tanh'),
      (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
    ],
    ['softplus', (t) => mx.softplus(t), (x) => Math.log1p(Math.exp(x))],
    ['softplus(beta 2)', (t) => mx.softplus(t, 2), (x) => Math.log1p(Math.exp(2 * x)) / 2],
    ['silu', mx.silu, (x) => x * sigmoidRef(x)],
    ['hardSigmoid', (t) => mx.hardSigmoid(t), (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1)],
    ['hardSigmoid(0.2, 0.5)', (t) => mx.hardSigmoid(t, 0.2, 0.5), (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1)],
  ];
  for (const [name, f, ref] of cases) {
    it(`${name} matches its reference`, () => close(vals(f(tensor(xs))), xs.map(ref)));
  }

  it('sqrt, rsqrt, log1p on positive inputs', () => {
    const p = [0.25, 1, 4, 9.5];
    close(vals(mx.sqrt(tensor(p))), p.map(Math.sqrt));
    close(vals(mx.rsqrt(tensor(p))), p.map((x) => 1 / Math.sqrt(x)));
    close(vals(mx.log1p(tensor([0, 1e-8, 3]))), [0, 1e-8, Math.log1p(3)]);
    expect(vals(mx.sqrt(tensor([-1])))[0]).toBeNaN();
  });

  it('expm1 and log1p keep precision near 0 in float64', () => {
    const t = tensor([1e-12], undefined, 'float64');
    expect(mx.expm1(t).item()).toBeCloseTo(1e-12, 20);
    expect(mx.log1p(t).item()).toBeCloseTo(1e-12, 20);
  });

  it('round is half-to-even', () => {
    expect(vals(mx.round(tensor([0.5, 1.5, 2.5, -0.5, -1.5, 2.6, -2.6])))).toEqual([0, 2, 2, -0, -2, 3, -3]);
  });

  it('sigmoid and softplus are stable for large |x|', () => {
    const big = tensor([1000, -1000, 80, -80]);
    const s = vals(mx.sigmoid(big));
    close(s, [1, 0, 1, sigmoidRef(-80)]);
    expect(s[3]).toBeGreaterThan(0);
    const sp = vals(mx.softplus(tensor([1000, -1000, 30, 19, -50])));
    close(sp, [1000, 0, 30, Math.log1p(Math.exp(19)), Math.exp(-50)], 5);
    expect(sp[4]).toBeGreaterThan(0);
    // threshold: beta·x > threshold is linear
    close(vals(mx.softplus(tensor([3]), 1, 2)), [3]);
    close(vals(mx.softplus(tensor([1.5]), 1, 2)), [Math.log1p(Math.exp(1.5))]);
    // silu and elu also survive extreme inputs
    close(vals(mx.silu(big)), [1000, -0, 80, -80 * sigmoidRef(-80)]);
    close(vals(mx.elu(tensor([1000, -1000]))), [1000, -1]);
  });

  it('NaN propagates through relu, clip and maximum', () => {
    expect(mx.relu(tensor([NaN])).item()).toBeNaN();
    expect(mx.clip(tensor([NaN]), 0, 1).item()).toBeNaN();
    expect(mx.maximum(tensor([NaN]), 1).item()).toBeNaN();
    expect(mx.sign(tensor([NaN])).item()).toBeNaN();
  });

  it('gelu rejects an unknown approximation', () => {
    expect(() => mx.gelu(tensor([1]), 'fast' as 'tanh')).toThrow(/approximate/);
  });

  it('logicalNot gives bool on any dtype', () => {
    const r = mx.logicalNot(tensor([0, 2, -1], undefined, 'int32'));
    expect(r.dtype).toBe('bool');
    expect(r.arraySync()).toEqual([true, false, false]);
  });
});

describe('elementwise dtype rules', () => {
  const ints = () => tensor([1, 4, 9], undefined, 'int32');

  it('float-only ops promote int and bool inputs to float32', () => {
    const floatOnly = [
      mx.sqrt, mx.rsqrt, mx.expm1, mx.log1p, mx.sin, mx.cos, mx.tanh, mx.sigmoid, mx.erf,
      mx.reciprocal, mx.silu, mx.selu, mx.softplus, mx.hardSigmoid, mx.leakyRelu, mx.elu,
      (t: Tensor) => mx.gelu(t), (t: Tensor) => mx.gelu(t, 'tanh'),
    ];
    for (const f of floatOnly) {
      expect(f(ints()).dtype).toBe('float32');
      expect(f(tensor([true, false])).dtype).toBe('float32');
    }
    close(vals(mx.sqrt(ints())), [1, 2, 3]);
    close(vals(mx.reciprocal(ints())), [1, 0.25, 1 / 9]);
  });

  it('float64 stays float64 and float16 stays float16', () => {
    expect(mx.tanh(tensor([1], undefined, 'float64')).dtype).toBe('float64');
    expect(mx.sigmoid(tensor([1], undefined, 'float64')).dtype).toBe('float64');
    const h = mx.sqrt(tensor([4, 9], undefined, 'float16'));
    expect(h.dtype).toBe('float16');
    expect(vals(h)).toEqual([2, 3]);
    expect(mx.lt(tensor([1, 5], undefined, 'float16'), 2).dtype).toBe('bool');
    const hx = tensor([-1, 0.5, 8], undefined, 'float16');
    for (const r of [mx.relu(hx), mx.relu6(hx), mx.abs(hx), mx.clip(hx, 0, 1), mx.where(mx.gt(hx, 0), hx, 0), mx.sigmoid(hx)]) {
      expect(r.dtype).toBe('float16');
    }
    expect(vals(mx.where(mx.gt(hx, 0), hx, 0))).toEqual([0, 0.5, 8]);
    expect(vals(mx.relu6(hx))).toEqual([0, 0.5, 6]);
  });

  it('abs, square, sign, floor, relu, relu6 and clip keep integer dtypes', () => {
    const t = tensor([-3, 0, 7], undefined, 'int32');
    for (const f of [mx.abs, mx.square, mx.sign, mx.floor, mx.ceil, mx.round, mx.relu, mx.relu6]) {
      expect(f(t).dtype).toBe('int32');
    }
    expect(vals(mx.abs(t))).toEqual([3, 0, 7]);
    expect(vals(mx.square(t))).toEqual([9, 0, 49]);
    expect(vals(mx.relu6(t))).toEqual([0, 0, 6]);
    expect(mx.clip(t, 0, 5).dtype).toBe('int32');
    // a fractional bound promotes as PyTorch's type promotion does
    const c = mx.clip(t, 0.5);
    expect(c.dtype).toBe('float32');
    expect(vals(c)).toEqual([0.5, 0.5, 7]);
  });

  it('comparisons and logical ops return bool for every dtype', () => {
    const dtypes = ['float32', 'float64', 'int32', 'int64', 'int8', 'uint8', 'bool'] as const;
    for (const dt of dtypes) {
      const a = tensor([0, 1, 1], undefined, dt);
      const b = tensor([1, 1, 0], undefined, dt);
      for (const f of [mx.eq, mx.ne, mx.lt, mx.le, mx.gt, mx.ge, mx.logicalAnd, mx.logicalOr, mx.logicalXor]) {
        expect(f(a, b).dtype).toBe('bool');
      }
      expect(mx.lt(a, b).arraySync()).toEqual([true, false, false]);
    }
  });

  it('mixed dtypes promote before comparing', () => {
    expect(mx.eq(tensor([1, 2], undefined, 'int32'), tensor([1, 2.5])).arraySync()).toEqual([true, false]);
    expect(mx.lt(tensor([1, 2], undefined, 'int32'), 1.5).arraySync()).toEqual([true, false]);
  });

  it('integer pow stays integer; a fractional exponent gives float32', () => {
    const p = mx.pow(tensor([2, 3], undefined, 'int32'), 3);
    expect(p.dtype).toBe('int32');
    expect(vals(p)).toEqual([8, 27]);
    const q = mx.pow(tensor([4, 9], undefined, 'int32'), 0.5);
    expect(q.dtype).toBe('float32');
    close(vals(q), [2, 3]);
  });
});

describe('elementwise binary ops', () => {
  it('pow broadcasts', () => {
    const r = mx.pow(tensor([[1], [2], [3]]), tensor([0, 1, 2]));
    expect(r.shape).toEqual([3, 3]);
    expect(vals(r)).toEqual([1, 1, 1, 1, 2, 4, 1, 3, 9]);
    close(vals(mx.pow(2, tensor([-1, 0.5]))), [0.5, Math.SQRT2]);
  });

  it('maximum and minimum broadcast', () => {
    const a = tensor([[1, 5], [7, -2]]);
    expect(vals(mx.maximum(a, tensor([3, 0])))).toEqual([3, 5, 7, 0]);
    expect(vals(mx.minimum(a, 2))).toEqual([1, 2, 2, -2]);
  });

  it('mod is floor-mod with the sign of the divisor (Python)', () => {
    expect(vals(mx.mod(tensor([5, -5, 5, -5]), tensor([3, 3, -3, -3])))).toEqual([2, 1, -1, -2]);
    close(vals(mx.mod(tensor([5.5, -0.5]), 2)), [1.5, 1.5]);
    const i = mx.mod(tensor([7, -7], undefined, 'int32'), 4);
    expect(i.dtype).toBe('int32');
    expect(vals(i)).toEqual([3, 1]);
  });

  it('comparisons broadcast and have all aliases', () => {
    const a = tensor([[1], [2], [3]]);
    const b = tensor([1, 2, 3]);
    expect(mx.lt(a, b).shape).toEqual([3, 3]);
    expect(mx.lt(a, b).arraySync()).toEqual([
      [false, true, true],
      [false, false, true],
      [false, false, false],
    ]);
    const x = tensor([1, 2, 3]);
    const pairs: [(a: Tensor, b: number) => Tensor, (a: Tensor, b: number) => Tensor, boolean[]][] = [
      [mx.eq, mx.equal, [false, true, false]],
      [mx.ne, mx.notEqual, [true, false, true]],
      [mx.lt, mx.less, [true, false, false]],
      [mx.le, mx.lessEqual, [true, true, false]],
      [mx.gt, mx.greater, [false, false, true]],
      [mx.ge, mx.greaterEqual, [false, true, true]],
    ];
    for (const [f, alias, want] of pairs) {
      expect(f(x, 2).arraySync()).toEqual(want);
      expect(alias(x, 2).arraySync()).toEqual(want);
    }
  });

  it('logical ops treat nonzero as true and broadcast', () => {
    const a = tensor([[0], [3]]);
    const b = tensor([0, -1]);
    expect(mx.logicalAnd(a, b).arraySync()).toEqual([[false, false], [false, true]]);
    expect(mx.logicalOr(a, b).arraySync()).toEqual([[false, true], [true, true]]);
    expect(mx.logicalXor(a, b).arraySync()).toEqual([[false, true], [true, false]]);
  });

  it('where broadcasts condition and branches and casts cond to bool', () => {
    const r = mx.where(tensor([[true], [false]]), tensor([1, 2, 3]), -1);
    expect(r.shape).toEqual([2, 3]);
    expect(vals(r)).toEqual([1, 2, 3, -1, -1, -1]);
    expect(vals(mx.where(tensor([0, 2]), tensor([1, 1]), tensor([5, 5])))).toEqual([5, 1]);
    const i = mx.where(tensor([true, false]), tensor([1, 2], undefined, 'int32'), 0);
    expect(i.dtype).toBe('int32');
    const f = mx.where(tensor([true, false]), tensor([1, 2], undefined, 'int32'), 0.5);
    expect(f.dtype).toBe('float32');
    expect(vals(f)).toEqual([1, 0.5]);
  });
});

describe('clip', () => {
  it('clamps to numbers, either bound optional; max wins when min > max', () => {
    const x = tensor([-2, 0.5, 3]);
    expect(vals(mx.clip(x, 0, 1))).toEqual([0, 0.5, 1]);
    expect(vals(mx.clip(x, 0))).toEqual([0, 0.5, 3]);
    expect(vals(mx.clip(x, undefined, 1))).toEqual([-2, 0.5, 1]);
    expect(vals(mx.clip(x, null, 1))).toEqual([-2, 0.5, 1]);
    expect(vals(mx.clip(x, 2, 1))).toEqual([1, 1, 1]);
    expect(vals(mx.clamp(x, 0, 1))).toEqual([0, 0.5, 1]);
    expect(() => mx.clip(x)).toThrow(/min.*max/);
  });

  it('takes broadcastable tensor bounds', () => {
    const x = tensor([[-5, 0, 5]]);
    const lo = tensor([[-1], [1]]);
    const r = mx.clip(x, lo, tensor([4, 4, 4]));
    expect(r.shape).toEqual([2, 3]);
    expect(vals(r)).toEqual([-1, 0, 4, 1, 1, 4]);
  });
});

describe('tensor methods', () => {
  it('every op is a method', () => {
    const x = tensor([-1, 0.5, 2]);
    expect(vals(x.relu())).toEqual([0, 0.5, 2]);
    expect(vals(x.pow(2))).toEqual([1, 0.25, 4]);
    expect(vals(x.clip(0, 1))).toEqual([0, 0.5, 1]);
    expect(vals(x.clamp(0))).toEqual([0, 0.5, 2]);
    expect(x.lt(tensor([0, 0, 3])).arraySync()).toEqual([true, false, true]);
    expect(x.greaterEqual(0.5).arraySync()).toEqual([false, true, true]);
    expect(vals(x.abs().square().sqrt())).toEqual([1, 0.5, 2]);
    close(vals(x.sigmoid()), [-1, 0.5, 2].map(sigmoidRef));
    close(vals(x.gelu('tanh')), vals(mx.gelu(x, 'tanh')));
    close(vals(x.softplus(2, 10)), vals(mx.softplus(x, 2, 10)));
    close(vals(x.leakyRelu(0.1)), [-0.1, 0.5, 2]);
    expect(vals(x.maximum(0))).toEqual([0, 0.5, 2]);
    expect(vals(x.minimum(0))).toEqual([-1, 0, 0]);
    expect(vals(x.mod(2))).toEqual([1, 0.5, 0]);
    expect(x.logicalNot().arraySync()).toEqual([false, false, false]);
    expect(x.gt(0).logicalAnd(x.lt(1)).arraySync()).toEqual([false, true, false]);
    const names = [
      'abs', 'expm1', 'log1p', 'sqrt', 'rsqrt', 'square', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'relu6',
      'erf', 'sign', 'floor', 'ceil', 'round', 'reciprocal', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus',
      'silu', 'hardSigmoid', 'clip', 'clamp', 'logicalNot', 'pow', 'maximum', 'minimum', 'mod', 'eq', 'ne',
      'lt', 'le', 'gt', 'ge', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
      'logicalAnd', 'logicalOr', 'logicalXor',
    ];
    for (const n of names) expect(typeof (x as unknown as Record<string, unknown>)[n]).toBe('function');
  });
});

describe('memory', () => {
  it('each op leaves only its output behind; with gradients, disposing it frees its temporaries', () => {
    const x = tensor([-1, 0.5, 2], undefined, 'int32');
    const y = tensor([-1, 0.5, 2]).requiresGrad_();
    const ops: ((t: Tensor) => Tensor)[] = [
      mx.sigmoid, mx.softplus, mx.gelu, mx.silu, mx.selu, mx.elu, mx.hardSigmoid, mx.rsqrt,
      (t) => mx.clip(t, 0, 1), (t) => mx.pow(t, 2), (t) => mx.where(t, t, 0), (t) => mx.lt(t, 1),
    ];
    for (const f of ops) {
      for (const t of [x, y]) {
        const before = memory().numTensors;
        const out = f(t);
        if (!t.requiresGrad) expect(memory().numTensors).toBe(before + 1);
        else expect(out.requiresGrad).toBe(out.dtype !== 'bool'); // comparisons carry no gradient
        out.dispose();
        expect(memory().numTensors).toBe(before);
      }
    }
  });
});

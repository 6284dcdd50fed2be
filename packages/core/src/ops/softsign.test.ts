import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import * as functions from '../functions.js';
import { elementwiseReferences, grad, softsign, tensor, type Tensor } from '../index.js';

// softsign is the op added in one file (ops/softsign.ts): these tests check that the generated
// index, method table and references picked it up without any other file edited by hand.
const vals = (t: Tensor) => Array.from(t.dataSync());

describe('softsign (an op declared in one file)', () => {
  it('computes x / (1 + |x|), promoting ints to float32', () => {
    const y = softsign(tensor([-3, 0, 1, 4], undefined, 'int32'));
    expect(y.dtype).toBe('float32');
    expect(vals(y)).toEqual([-0.75, 0, 0.5, Math.fround(0.8)]);
  });

  it('has the gradient 1 / (1 + |x|)², also at 0', () => {
    const xs = [-2, -0.5, 0, 0.5, 3];
    const g = grad((t: Tensor) => softsign(t).sum())(tensor(xs, undefined, 'float64'));
    vals(g).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.abs(xs[i]!)) ** 2, 12));
  });

  it('is a Tensor method (from its `methods` entry)', () => {
    const x = tensor([-1, 2]);
    expect(vals(x.softsign())).toEqual(vals(softsign(x)));
    expect(Object.getOwnPropertyDescriptor(core.Tensor.prototype, 'softsign')?.enumerable).toBe(false);
  });

  it('is exported from @mapnn/core and @mapnn/core/functions', () => {
    expect(core.softsign).toBe(softsign);
    expect(functions.softsign).toBe(softsign);
  });

  it('declares a scalar reference that the conformance suite collects', () => {
    const ref = elementwiseReferences().softsign;
    expect(ref?.domain).toEqual([-5, 5]);
    const xs = [-4.5, -1, 0.25, 2];
    vals(softsign(tensor(xs, undefined, 'float64'))).forEach((v, i) => expect(v).toBeCloseTo(ref!.value(xs[i]!), 12));
  });
});

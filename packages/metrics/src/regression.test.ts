import '@mapnn/backend-cpu';
import { setBackend, tensor } from '@mapnn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, expectGolden, loadFixture, type Golden } from '../test/fixtures.js';
import {
  meanAbsoluteError,
  MeanAbsoluteError,
  meanSquaredError,
  MeanSquaredError,
  r2Score,
  R2Score,
  rootMeanSquaredError,
  RootMeanSquaredError,
} from './regression.js';
import { setWarningHandler, type WarningHandler } from './warnings.js';

let prev: WarningHandler | null = null;
beforeAll(() => {
  setBackend('cpu');
  prev = setWarningHandler(null);
});
afterAll(() => {
  setWarningHandler(prev);
});

describe('regression metrics vs scikit-learn (fixtures/regression.json)', () => {
  const { cases } = loadFixture('regression');
  it.each(cases.map((c) => [c.data as string, c]))('%s', (_, c) => {
    const w = c.sampleWeight ? { sampleWeight: c.sampleWeight } : {};
    for (const v of c.mse as Golden[]) expectGolden(() => meanSquaredError(c.yTrue, c.yPred, { ...w, multioutput: v.multioutput }), v.value, `mse ${v.multioutput}`);
    for (const v of c.rmse as Golden[]) expectGolden(() => rootMeanSquaredError(c.yTrue, c.yPred, { ...w, multioutput: v.multioutput }), v.value, `rmse ${v.multioutput}`);
    for (const v of c.mae as Golden[]) expectGolden(() => meanAbsoluteError(c.yTrue, c.yPred, { ...w, multioutput: v.multioutput }), v.value, `mae ${v.multioutput}`);
    for (const v of c.r2 as Golden[]) {
      expectGolden(
        () => r2Score(c.yTrue, c.yPred, { ...w, multioutput: v.multioutput, forceFinite: v.forceFinite }),
        v.value,
        `r2 ${v.multioutput} forceFinite=${v.forceFinite}`,
      );
    }
  });

  // A constant yTrue column has a variance of pure rounding noise (scikit-learn's R² there is
  // ±1e31 or 0 depending on summation order), so those cases are left out of this comparison.
  const streamable = cases.filter((c) => c.yTrue.length >= 4 && !String(c.data).includes('const'));
  it.each(streamable.map((c) => [c.data as string, c]))('streaming equals functional: %s', (_, c) => {
    const n = c.yTrue.length as number;
    const cuts = [0, Math.floor(n / 3), Math.floor(n / 3) + 1, n];
    const ms = [new MeanSquaredError({ multioutput: 'raw_values' }), new RootMeanSquaredError(), new MeanAbsoluteError(), new R2Score({ multioutput: 'raw_values' })];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i]!, cuts[i + 1]!];
      for (const m of ms) m.update(c.yTrue.slice(a, b), c.yPred.slice(a, b), c.sampleWeight?.slice(a, b));
    }
    const w = c.sampleWeight ? { sampleWeight: c.sampleWeight } : {};
    expectClose(ms[0]!.compute(), meanSquaredError(c.yTrue, c.yPred, { ...w, multioutput: 'raw_values' }), 1e-12);
    expectClose(ms[1]!.compute(), rootMeanSquaredError(c.yTrue, c.yPred, w), 1e-12);
    expectClose(ms[2]!.compute(), meanAbsoluteError(c.yTrue, c.yPred, w), 1e-12);
    expectClose(ms[3]!.compute(), r2Score(c.yTrue, c.yPred, { ...w, multioutput: 'raw_values' }), 1e-12);
  });
});

describe('regression metrics', () => {
  it('compute the documented examples', () => {
    expect(meanSquaredError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBe(0.375);
    expect(meanSquaredError([[0.5, 1], [-1, 1]], [[0, 2], [-1, 2]], { multioutput: 'raw_values' })).toEqual([0.125, 1]);
    expect(rootMeanSquaredError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.6123724356957945, 15);
    expect(meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBe(0.5);
    expect(r2Score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.9486081370449679, 15);
    expect(r2Score([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2Score([1], [2])).toBeNaN();
  });

  it('read tensors ([n] and [n, k])', () => {
    expect(meanSquaredError(tensor([3, -0.5, 2, 7]), tensor([[2.5], [0.0], [2], [8]]))).toBe(0.375);
    expect(meanAbsoluteError(tensor([[1, 2], [3, 4]], undefined, 'float64'), [[1, 1], [1, 1]], { multioutput: [1, 3] })).toBe((1 + 3 * 2) / 4);
  });

  it('stream with constant memory', () => {
    const m = new MeanSquaredError();
    m.update([3, -0.5], [2.5, 0]);
    m.update([2, 7], [2, 8]);
    expect(m.compute()).toBe(0.375);
    m.reset();
    expect(() => m.compute()).toThrow(/no samples/);
  });
});

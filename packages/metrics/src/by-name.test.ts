import '@mapnn/backend-cpu';
import { setBackend, tensor } from '@mapnn/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accuracy, Accuracy } from './accuracy.js';
import { averagePrecision } from './average-precision.js';
import { metricByName, metricNames, registerMetric } from './by-name.js';
import { cohenKappaScore } from './cohen-kappa.js';
import { confusionMatrix } from './confusion-matrix.js';
import { logLoss } from './log-loss.js';
import { matthewsCorrcoef } from './matthews.js';
import { f1Score, F1Score, fbetaScore, precision, recall } from './prf.js';
import { meanAbsoluteError, meanSquaredError, r2Score, rootMeanSquaredError } from './regression.js';
import { classificationReport } from './report.js';
import { rocAucScore } from './roc-auc.js';
import { topKAccuracy } from './top-k.js';
import { setWarningHandler, type WarningHandler } from './warnings.js';
import type { MetricInput, WeightsInput } from './input.js';
import { mulberry32 as rng } from '@mapnn/config/random';

let prev: WarningHandler | null = null;
beforeAll(() => {
  setBackend('cpu');
  prev = setWarningHandler(null);
});
afterAll(() => {
  setWarningHandler(prev);
});

function data(seed: number, n: number, k: number) {
  const r = rng(seed);
  const yTrue = Array.from({ length: n }, (_, i) => (i < k ? i : Math.floor(r() * k)));
  const yPred = yTrue.map((y) => (r() < 0.35 ? Math.floor(r() * k) : y));
  const scores = yTrue.map((y) => {
    const row = Array.from({ length: k }, (_, j) => Math.round(r() * 4) + (j === y ? Math.round(r() * 3) : 0) + 1e-3);
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / s);
  });
  const binScores = yTrue.map((y) => Math.round((y % 2 ? 0.3 : 0) * 10 + r() * 7) / 10);
  const weights = yTrue.map(() => Math.round(r() * 300) / 100);
  const reg = yTrue.map(() => r() * 10 - 5);
  const regPred = reg.map((v) => v + r() - 0.5);
  return { yTrue, yPred, scores, binScores, binTrue: yTrue.map((y) => y % 2), weights, reg, regPred };
}

type Fn = (yTrue: MetricInput, yPred: MetricInput, options: { sampleWeight?: WeightsInput }) => unknown;
interface Spec {
  name: string;
  options?: Record<string, unknown>;
  fn: Fn;
  input: 'labels' | 'scores' | 'binary' | 'regression';
}

const specs: Spec[] = [
  { name: 'accuracy', fn: accuracy, input: 'labels' },
  { name: 'precision', options: { average: 'macro' }, fn: (a, b, o) => precision(a, b, { ...o, average: 'macro' }), input: 'labels' },
  { name: 'recall', options: { average: null }, fn: (a, b, o) => recall(a, b, { ...o, average: null }), input: 'labels' },
  { name: 'f1', options: { average: 'weighted' }, fn: (a, b, o) => f1Score(a, b, { ...o, average: 'weighted' }), input: 'labels' },
  { name: 'fbeta', options: { beta: 2, average: 'micro' }, fn: (a, b, o) => fbetaScore(a, b, { ...o, beta: 2, average: 'micro' }), input: 'labels' },
  { name: 'matthews_corrcoef', fn: matthewsCorrcoef, input: 'labels' },
  { name: 'cohen_kappa', options: { weights: 'quadratic' }, fn: (a, b, o) => cohenKappaScore(a, b, { ...o, weights: 'quadratic' }), input: 'labels' },
  { name: 'confusion_matrix', options: { normalize: 'true' }, fn: (a, b, o) => confusionMatrix(a, b, { ...o, normalize: 'true' }), input: 'labels' },
  { name: 'classification_report', options: { digits: 4 }, fn: (a, b, o) => classificationReport(a, b, { ...o, digits: 4 }), input: 'labels' },
  { name: 'top_k_accuracy', options: { k: 2 }, fn: (a, b, o) => topKAccuracy(a, b, { ...o, k: 2 }), input: 'scores' },
  { name: 'roc_auc', options: { average: 'weighted' }, fn: (a, b, o) => rocAucScore(a, b, { ...o, average: 'weighted' }), input: 'scores' },
  { name: 'average_precision', fn: averagePrecision, input: 'scores' },
  { name: 'log_loss', fn: logLoss, input: 'scores' },
  { name: 'roc_auc', fn: rocAucScore, input: 'binary' },
  { name: 'average_precision', fn: averagePrecision, input: 'binary' },
  { name: 'mse', fn: meanSquaredError, input: 'regression' },
  { name: 'rmse', fn: rootMeanSquaredError, input: 'regression' },
  { name: 'mae', fn: meanAbsoluteError, input: 'regression' },
  { name: 'r2', fn: r2Score, input: 'regression' },
];

describe('streaming metrics: compute() equals the functional metric on the concatenated batches', () => {
  for (const spec of specs) {
    for (const weighted of [false, true]) {
      it(`${spec.name} ${JSON.stringify(spec.options ?? {})} (${spec.input}${weighted ? ', weighted' : ''})`, () => {
        const d = data(spec.name.length * 101 + (weighted ? 1 : 0), 37, 4);
        const [yTrue, yPred] =
          spec.input === 'labels'
            ? [d.yTrue, d.yPred]
            : spec.input === 'scores'
              ? [d.yTrue, d.scores]
              : spec.input === 'binary'
                ? [d.binTrue, d.binScores]
                : [d.reg, d.regPred];
        const m = metricByName(spec.name, spec.options);
        const cuts = [0, 5, 6, 20, 37];
        for (let i = 0; i + 1 < cuts.length; i++) {
          const [a, b] = [cuts[i]!, cuts[i + 1]!];
          // mix plain arrays and tensors across batches
          const t = i % 2 ? tensor(yTrue.slice(a, b) as number[], undefined, 'float64') : yTrue.slice(a, b);
          m.update(t, (yPred as unknown[]).slice(a, b) as MetricInput, weighted ? d.weights.slice(a, b) : undefined);
        }
        const expected = spec.fn(yTrue, yPred as MetricInput, weighted ? { sampleWeight: d.weights } : {});
        if (spec.input === 'regression') {
          expect(m.compute() as number).toBeCloseTo(expected as number, 12);
        } else {
          expect(m.compute()).toEqual(expected);
        }
        m.reset();
        m.update(yTrue.slice(0, 12), (yPred as unknown[]).slice(0, 12) as MetricInput);
        const again = spec.fn(yTrue.slice(0, 12), (yPred as unknown[]).slice(0, 12) as MetricInput, {});
        if (spec.input === 'regression') expect(m.compute() as number).toBeCloseTo(again as number, 12);
        else expect(m.compute()).toEqual(again);
      });
    }
  }
});

describe('metricByName', () => {
  it('makes metrics from scikit-learn, camelCase and short names', () => {
    expect(metricByName('accuracy')).toBeInstanceOf(Accuracy);
    expect(metricByName('f1Score')).toBeInstanceOf(F1Score);
    expect(metricByName('f1_score')).toBeInstanceOf(F1Score);
    expect(metricByName('topKAccuracy').name).toBe('top_k_accuracy');
    expect(metricByName('rocAucScore').name).toBe('roc_auc');
    expect(metricByName('meanSquaredError').name).toBe('mse');
    expect(metricByName('MSE').name).toBe('mse');
    expect(metricByName('r2Score').name).toBe('r2');
    expect(metricByName('mcc').name).toBe('matthews_corrcoef');
    expect(() => metricByName('nope')).toThrow(/unknown metric 'nope'/);
  });

  it('passes options and lists names', () => {
    const m = metricByName('f1', { average: 'macro' });
    m.update([0, 1, 2], [0, 1, 1]);
    expect(m.compute()).toBe(f1Score([0, 1, 2], [0, 1, 1], { average: 'macro' }));
    expect(metricNames()).toEqual(expect.arrayContaining(['accuracy', 'f1', 'roc_auc', 'mse', 'r2', 'log_loss']));
  });

  it('finds metrics registered in the core registry', () => {
    registerMetric('alwaysOne', () => ({ name: 'always_one', update() {}, compute: () => 1, reset() {} }));
    expect(metricByName('always_one').compute()).toBe(1);
    expect(metricNames()).toContain('always_one');
  });
});

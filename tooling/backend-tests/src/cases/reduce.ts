import type { CaseTable } from '../types.js';
import { call, defined } from '../util.js';

const axesReductions = ['sum', 'mean', 'max', 'min', 'prod', 'logsumexp', 'all', 'any'];

/** Reductions, softmax family, cumsum and norm (reduce.json). */
export const reduceCases: CaseTable = {
  ...Object.fromEntries(axesReductions.map((n) => [n, { run: ([x], a) => call(n, x, a.axes, a.keepDims) }])),
  argmax: { run: ([x], a) => call('argmax', x, a.axis, a.keepDims) },
  argmin: { run: ([x], a) => call('argmin', x, a.axis, a.keepDims) },
  variance: { run: ([x], a) => call('variance', x, a.axes, defined({ correction: a.correction, keepDims: a.keepDims })) },
  std: { run: ([x], a) => call('std', x, a.axes, defined({ correction: a.correction, keepDims: a.keepDims })) },
  softmax: { run: ([x], a) => call('softmax', x, a.axis) },
  logSoftmax: { run: ([x], a) => call('logSoftmax', x, a.axis) },
  cumsum: { run: ([x], a) => call('cumsum', x, a.axis) },
  // JSON has no Infinity: the fixture writes ord 'inf'
  norm: { run: ([x], a) => call('norm', x, a.ord === 'inf' ? Infinity : a.ord, a.axes, a.keepDims) },
};

/** Matrix products (linalg.json). */
export const linalgCases: CaseTable = {
  matmul: { run: ([x, y]) => call('matmul', x, y) },
  batchMatmul: { run: ([x, y], a) => call('batchMatmul', x, y, a.transA, a.transB) },
  dot: { run: ([x, y]) => call('dot', x, y) },
  outer: { run: ([x, y]) => call('outer', x, y) },
  linear: { run: ([x, w, b], a) => call('linear', x, w, b ?? null, defined({ activation: a.activation })) },
  fusedMatmul: {
    // the bias-less case has two inputs
    run: ([x, y, b], a) => call('fusedMatmul', x, y, a.transA ?? false, a.transB ?? false, b ?? null, a.activation ?? 'none'),
  },
};

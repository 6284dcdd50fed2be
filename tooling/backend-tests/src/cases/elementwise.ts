import type { CaseTable } from '../types.js';
import { call } from '../util.js';

const simpleUnary = [
  'neg', 'abs', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'sin', 'cos', 'tanh', 'sigmoid',
  'relu', 'relu6', 'erf', 'sign', 'floor', 'ceil', 'round', 'reciprocal', 'selu', 'silu', 'logicalNot',
];

/** Elementwise unary ops, casts and dropout (unary.json). */
export const unaryCases: CaseTable = {
  ...Object.fromEntries(simpleUnary.map((n) => [n, { run: ([x]) => call(n, x) }])),
  leakyRelu: { run: ([x], a) => call('leakyRelu', x, a.negativeSlope) },
  elu: { run: ([x], a) => call('elu', x, a.alpha) },
  gelu: { run: ([x], a) => call('gelu', x, a.approximate) },
  softplus: { run: ([x], a) => call('softplus', x, a.beta, a.threshold) },
  hardSigmoid: { run: ([x], a) => call('hardSigmoid', x, a.alpha, a.beta) },
  clip: { run: ([x], a) => call('clip', x, a.min, a.max) },
  clamp: { run: ([x], a) => call('clamp', x, a.min, a.max) },
  clipTensor: { ops: ['clip'], run: ([x, lo, hi]) => call('clip', x, lo, hi) },
  cast: { run: ([x], a) => call('cast', x, a.dtype) },
  dropout: { run: ([x], a) => call('dropout', x, a.p, a.training) },
};

const binary = (name: string) => ({
  run: ([x, y]: import('@mapnn/core').Tensor[], a: Record<string, unknown>) =>
    a.scalar === undefined ? call(name, x, y) : a.scalarFirst ? call(name, a.scalar, x) : call(name, x, a.scalar),
});

const binaryNames = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
  'logicalAnd', 'logicalOr', 'logicalXor',
];

/** Broadcasting binary ops, comparisons and where (binary.json). */
export const binaryCases: CaseTable = {
  ...Object.fromEntries(binaryNames.map((n) => [n, binary(n)])),
  where: { run: ([c, x, y], a) => call('where', c, x, a.scalar === undefined ? y : a.scalar) },
};

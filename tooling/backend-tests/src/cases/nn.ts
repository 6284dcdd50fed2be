import type { Tensor } from '@mapnn/core';
import type { CaseTable } from '../types.js';
import { call, defined } from '../util.js';

const convOpts = (a: Record<string, unknown>) =>
  defined({ stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups });

const pool = (name: string) => ({ run: ([x]: Tensor[], a: Record<string, unknown>) => call(name, x, a) });

// Global pools are compared as [N, C, 1, 1] (PyTorch's adaptive pools with output size 1);
// a [N, C] result is reshaped, so either convention passes.
const global = (name: string) => ({
  run: ([x]: Tensor[]) => call('reshape', call(name, x), [x.shape[0], x.shape[1], 1, 1]),
});

/** Convolutions, im2col and pooling (conv.json, pool.json). */
export const nnCases: CaseTable = {
  conv1d: { run: ([x, w, b], a) => call('conv1d', x, w, b, convOpts(a)) },
  conv2d: { run: ([x, w, b], a) => call('conv2d', x, w, b ?? null, defined({ ...convOpts(a), activation: a.activation })) },
  convTranspose2d: {
    run: ([x, w, b], a) => call('convTranspose2d', x, w, b, defined({ ...convOpts(a), outputPadding: a.outputPadding })),
  },
  conv2dBackpropInput: { run: ([dy, w], a) => call('conv2dBackpropInput', dy, w, a.xShape, convOpts(a)) },
  conv2dBackpropFilter: { run: ([x, dy], a) => call('conv2dBackpropFilter', x, dy, a.wShape, convOpts(a)) },
  unfold2d: { run: ([x], a) => call('unfold2d', x, a) },
  fold2d: { run: ([c], a) => call('fold2d', c, a) },
  maxPool1d: pool('maxPool1d'),
  maxPool2d: pool('maxPool2d'),
  avgPool1d: pool('avgPool1d'),
  avgPool2d: pool('avgPool2d'),
  globalAvgPool2d: { ops: ['globalAvgPool2d'], ...global('globalAvgPool2d') },
  globalMaxPool2d: { ops: ['globalMaxPool2d'], ...global('globalMaxPool2d') },
  adaptiveAvgPool2d: { run: ([x], a) => call('adaptiveAvgPool2d', x, a.outputSize) },
};

/** Deterministic creation ops (creation.json). */
export const creationCases: CaseTable = {
  arange: { run: (_, a) => call('arange', a.start, a.stop, a.step) },
  linspace: { run: (_, a) => call('linspace', a.start, a.stop, a.num) },
  eye: { run: (_, a) => call('eye', a.n, a.m) },
};
